/**
 * Verifies OIDC access tokens (JWTs) with jose: the signature against the issuer's JWKS (fetched
 * and cached by `createRemoteJWKSet`, refetched when an unknown key id appears), the issuer, the
 * audience, expiry and not-before with a small clock tolerance, and only the allowed algorithms.
 * A verified token becomes a {@link Principal}.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from './config';
import { displayName, rolesFromClaim, type Principal } from './principal';

/** Why a request carries no usable identity. The message is safe to show the caller. */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    message: string,
    /** True when the issuer could not be reached: nobody's fault in the request, try again. */
    readonly unavailable = false,
  ) {
    super(message);
  }
}

/** The parts of an issuer's discovery document docket uses. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  end_session_endpoint?: string;
}

/** Fetches `<issuer>/.well-known/openid-configuration` (or `url`) and checks it names the same issuer. */
export async function discoverIssuer(
  issuer: string,
  url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
): Promise<IssuerMetadata> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new AuthError(`cannot reach the OIDC issuer at ${url}: ${(err as Error).message}`, true);
  }
  if (!res.ok) {
    throw new AuthError(`the OIDC issuer's discovery document ${url} answered ${res.status}`, true);
  }
  const doc = (await res.json()) as Partial<IssuerMetadata>;
  if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string') {
    throw new AuthError(
      `the discovery document at ${url} is for issuer '${String(doc.issuer)}', not '${issuer}', or has no jwks_uri`,
    );
  }
  return doc as IssuerMetadata;
}

export interface TokenVerifier {
  /** The principal a token proves, or an AuthError saying why not. */
  verify(token: string): Promise<Principal>;
  /** The issuer's discovery document (fetched once, retried after a failure). */
  metadata(): Promise<IssuerMetadata>;
}

export interface VerifierOptions {
  /** Keys to verify with instead of the issuer's JWKS (unit tests: a local key set). */
  keys?: JWTVerifyGetKey;
}

/** A verifier for `config`; nothing is fetched until the first token or metadata call. */
export function createVerifier(config: AuthConfig, options: VerifierOptions = {}): TokenVerifier {
  let discovery: Promise<IssuerMetadata> | undefined;
  const metadata = () => {
    discovery ??= discoverIssuer(config.issuer, config.discoveryUrl).catch((err: unknown) => {
      discovery = undefined;
      throw err;
    });
    return discovery;
  };
  let keys: Promise<JWTVerifyGetKey> | undefined = options.keys ? Promise.resolve(options.keys) : undefined;
  const keySet = () => {
    keys ??= (config.jwksUrl ? Promise.resolve(config.jwksUrl) : metadata().then((m) => m.jwks_uri))
      .then((url) => createRemoteJWKSet(new URL(url)))
      .catch((err: unknown) => {
        keys = undefined;
        throw err;
      });
    return keys;
  };

  return {
    metadata,
    async verify(token) {
      if (!token) throw new AuthError('no token');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keySet(), {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: config.algorithms,
          clockTolerance: config.clockTolerance,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (err) {
        if (err instanceof AuthError) throw err;
        const unavailable = !(err instanceof errors.JOSEError) || err instanceof errors.JWKSTimeout;
        throw new AuthError(describeJoseError(err), unavailable);
      }
      const subject = payload.sub!;
      return {
        subject,
        name: displayName(payload, subject),
        roles: rolesFromClaim(payload[config.rolesClaim], config.roleMap),
      };
    },
  };
}

function describeJoseError(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is not accepted`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return "the token's signature does not verify";
  if (err instanceof errors.JOSEAlgNotAllowed) return "the token's algorithm is not accepted";
  if (err instanceof errors.JWKSNoMatchingKey) return "the token's signing key is not the issuer's";
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'the token is malformed';
  if (err instanceof errors.JOSEError) return `the token is not accepted (${err.code})`;
  // Reaching the JWKS failed: not the caller's fault, but still no identity.
  return `the token cannot be checked now: ${(err as Error).message}`;
}
