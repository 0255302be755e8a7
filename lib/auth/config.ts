/**
 * The authentication settings every process that checks tokens reads (API, codec server, CLI):
 * which issuer, which audience, and how token claims map to docket's roles. There is no "auth
 * disabled" setting: a process without an issuer refuses to start.
 */
import { z } from 'zod';
import { parseRoleMap, type RoleMap } from './principal';

/** The signature algorithms accepted unless DOCKET_AUTH_ALGORITHMS says otherwise. */
export const defaultAlgorithms = ['RS256', 'ES256'] as const;

export const defaultRoleMap =
  'submitter=docket-submitters,reviewer=docket-reviewers,operator=docket-operators';

/** Every variable of the verifier: composed into the API's, the codec server's and the CLI's schemas. */
export const authEnvPart = z.object({
  /** The OIDC issuer (`iss`), e.g. https://login.example.com/realms/docket. */
  DOCKET_AUTH_ISSUER: z.url('is required: the OIDC issuer URL whose tokens docket accepts'),
  /** The audience (`aud`) docket's tokens are issued for. */
  DOCKET_AUTH_AUDIENCE: z
    .string({ error: 'is required: the audience (aud) of docket access tokens' })
    .min(1, 'is required: the audience (aud) of docket access tokens'),
  /** @default the `jwks_uri` of the issuer's discovery document */
  DOCKET_AUTH_JWKS_URL: z.url().optional(),
  /**
   * Where this process fetches the discovery document, when the issuer URL browsers use is not
   * reachable from here (containers). Its `issuer` must still be DOCKET_AUTH_ISSUER.
   * @default <DOCKET_AUTH_ISSUER>/.well-known/openid-configuration
   */
  DOCKET_AUTH_DISCOVERY_URL: z.url().optional(),
  /** The claim holding group or role values. @default 'groups' */
  DOCKET_AUTH_ROLES_CLAIM: z.string().min(1).default('groups'),
  /** role=value pairs, e.g. reviewer=docket-reviewers; several values per role with `|`. */
  DOCKET_AUTH_ROLE_MAP: z
    .string()
    .default(defaultRoleMap)
    .transform((text, ctx) => {
      try {
        return parseRoleMap(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Comma-separated JWS algorithms. @default 'RS256,ES256' */
  DOCKET_AUTH_ALGORITHMS: z
    .string()
    .default(defaultAlgorithms.join(','))
    .transform((text) => text.split(',').map((a) => a.trim()))
    .refine((algs) => algs.every((a) => /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/.test(a)), {
      message: 'lists asymmetric JWS algorithms only (RS256, PS256, ES256, EdDSA…)',
    }),
  /** Seconds of clock skew allowed on exp/nbf/iat. @default 30 */
  DOCKET_AUTH_CLOCK_TOLERANCE: z.coerce.number().int().min(0).max(300).default(30),
});

export interface AuthConfig {
  issuer: string;
  audience: string;
  /** @default discovered */
  jwksUrl?: string;
  /** @default <issuer>/.well-known/openid-configuration */
  discoveryUrl?: string;
  rolesClaim: string;
  roleMap: RoleMap;
  algorithms: string[];
  /** Seconds. */
  clockTolerance: number;
}

/** The typed settings from a parsed {@link authEnvPart}. */
export function authConfigFrom(v: z.infer<typeof authEnvPart>): AuthConfig {
  return {
    issuer: v.DOCKET_AUTH_ISSUER,
    audience: v.DOCKET_AUTH_AUDIENCE,
    ...(v.DOCKET_AUTH_JWKS_URL ? { jwksUrl: v.DOCKET_AUTH_JWKS_URL } : {}),
    ...(v.DOCKET_AUTH_DISCOVERY_URL ? { discoveryUrl: v.DOCKET_AUTH_DISCOVERY_URL } : {}),
    rolesClaim: v.DOCKET_AUTH_ROLES_CLAIM,
    roleMap: v.DOCKET_AUTH_ROLE_MAP,
    algorithms: v.DOCKET_AUTH_ALGORITHMS,
    clockTolerance: v.DOCKET_AUTH_CLOCK_TOLERANCE,
  };
}
