// Tokens for unit tests: a local issuer key pair, signed JWTs with any claims, and a verifier that
// checks them against the pair's public key (no network).
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { parseRoleMap } from '../../lib/auth/principal';
import type { AuthConfig } from '../../lib/auth/config';
import { createVerifier, type TokenVerifier } from '../../lib/auth/verifier';

export const testIssuer = 'https://issuer.test';
export const testAudience = 'docket-test';

export const testAuthConfig: AuthConfig = {
  issuer: testIssuer,
  audience: testAudience,
  rolesClaim: 'groups',
  roleMap: parseRoleMap('submitter=docket-submitters,reviewer=docket-reviewers,operator=docket-operators'),
  algorithms: ['RS256'],
  clockTolerance: 5,
};

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface TestIssuer {
  verifier: TokenVerifier;
  /** A token signed by the issuer's key; `claims` and `options` override the defaults. */
  sign(claims: JWTPayload, options?: { expiresIn?: string | number; key?: KeyPair }): Promise<string>;
  /** A token signed by another key with the same key id: a forgery. */
  forge(claims: JWTPayload): Promise<string>;
}

export async function testIssuerKeys(config: AuthConfig = testAuthConfig): Promise<TestIssuer> {
  const key = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  const sign = async (claims: JWTPayload, options: { expiresIn?: string | number; key?: KeyPair } = {}) =>
    new SignJWT({ iss: testIssuer, aud: testAudience, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign((options.key ?? key).privateKey);
  return {
    verifier: createVerifier(config, { keys }),
    sign,
    forge: (claims) => sign(claims, { key: other }),
  };
}

export const people = {
  alice: { sub: 'u-alice', name: 'Alice Reviewer', groups: ['docket-reviewers'] },
  olga: { sub: 'u-olga', name: 'Olga Operator', groups: ['docket-operators', 'docket-reviewers'] },
  sam: { sub: 'u-sam', name: 'Sam Submitter', groups: ['docket-submitters'] },
} as const;
