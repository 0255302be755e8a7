import { authConfigFrom, authEnvPart } from '../../lib/auth/config';
import { ConfigError, parseEnv } from '../../lib/config';
import { parseRoleMap, rolesFromClaim } from '../../lib/auth/principal';
import { AuthError } from '../../lib/auth/verifier';
import { people, testAuthConfig, testIssuerKeys, type TestIssuer } from '../support/tokens';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await testIssuerKeys();
});

test('a valid token gives its subject, name and mapped roles', async () => {
  const principal = await issuer.verifier.verify(await issuer.sign({ ...people.olga }));
  expect(principal).toEqual({ subject: 'u-olga', name: 'Olga Operator', roles: ['reviewer', 'operator'] });
});

test.each([
  [
    'expired',
    () => issuer.sign({ ...people.alice }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    /expired/,
  ],
  ['signed by another key', () => issuer.forge({ ...people.alice }), /signature/],
  ['from another issuer', () => issuer.sign({ ...people.alice, iss: 'https://evil.test' }), /iss/],
  ['for another audience', () => issuer.sign({ ...people.alice, aud: 'another-app' }), /aud/],
  ['without a subject', () => issuer.sign({ name: 'nobody' }), /sub/],
])('a token %s is refused, saying why', async (_what, token, reason) => {
  const err = await issuer.verifier.verify(await token()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).message).toMatch(reason);
  expect((err as AuthError).unavailable).toBe(false);
});

test('garbage and an unsigned token are refused', async () => {
  await expect(issuer.verifier.verify('not-a-jwt')).rejects.toThrow(/malformed/);
  const [header, body] = (await issuer.sign({ ...people.alice })).split('.');
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
  await expect(issuer.verifier.verify(none)).rejects.toThrow(AuthError);
  void header;
});

test('the display name falls back to preferred_username, email, then the subject', async () => {
  const name = async (claims: Record<string, string>) =>
    (await issuer.verifier.verify(await issuer.sign({ sub: 's-1', ...claims }))).name;
  expect(await name({ preferred_username: 'pat', email: 'pat@example.com' })).toBe('pat');
  expect(await name({ email: 'pat@example.com' })).toBe('pat@example.com');
  expect(await name({})).toBe('s-1');
});

test('roles come from an array or a space/comma-separated claim, through the configured map', () => {
  const map = parseRoleMap('reviewer=rev|checkers, operator=ops');
  expect(rolesFromClaim(['rev', 'other'], map)).toEqual(['reviewer']);
  expect(rolesFromClaim('ops checkers', map)).toEqual(['reviewer', 'operator']);
  expect(rolesFromClaim('ops,rev', map)).toEqual(['reviewer', 'operator']);
  expect(rolesFromClaim(undefined, map)).toEqual([]);
  expect(rolesFromClaim(42, map)).toEqual([]);
});

test('a token without the roles claim verifies but holds no role', async () => {
  const p = await issuer.verifier.verify(await issuer.sign({ sub: 's-2', name: 'Norole' }));
  expect(p.roles).toEqual([]);
});

test('a role map naming an unknown role or malformed is refused', () => {
  expect(() => parseRoleMap('admin=ops')).toThrow(/'admin' is not a role/);
  expect(() => parseRoleMap('reviewer')).toThrow(/not role=claim-value/);
  expect(() => parseRoleMap('')).toThrow(/maps no claim value/);
  expect(testAuthConfig.roleMap.reviewer).toEqual(['docket-reviewers']);
});

test('the configuration names a missing issuer and a bad role map, and has no way to turn auth off', () => {
  const err = (() => {
    try {
      parseEnv(authEnvPart, { DOCKET_AUTH_ROLE_MAP: 'admin=x' });
    } catch (e) {
      return e as Error;
    }
  })();
  expect(err).toBeInstanceOf(ConfigError);
  expect(err?.message).toMatch(/DOCKET_AUTH_ISSUER is required/);
  expect(err?.message).toMatch(/DOCKET_AUTH_AUDIENCE is required/);
  expect(err?.message).toMatch(/DOCKET_AUTH_ROLE_MAP='admin=x' is not valid: 'admin' is not a role/);
  const ok = authConfigFrom(
    parseEnv(authEnvPart, { DOCKET_AUTH_ISSUER: 'https://id.example.com', DOCKET_AUTH_AUDIENCE: 'docket' }),
  );
  expect(ok).toMatchObject({ rolesClaim: 'groups', algorithms: ['RS256', 'ES256'], clockTolerance: 30 });
  expect(ok.roleMap.operator).toEqual(['docket-operators']);
});
