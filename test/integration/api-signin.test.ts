// Signing in to the API through the stack's development issuer, as a browser does it, with plain
// HTTP and redirects followed by hand: /auth/login → the issuer's page → a user's button → the
// callback → the session cookie, which then authenticates API calls. Bearer tokens from the
// issuer work too; the API process refuses to start without an issuer.
import { spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { freePort } from '@docket/local/stack/ports';
import { stackEnv } from '@docket/local/stack/stack';
import { repoRoot } from '@docket/local/stack/tools';
import { loadApiConfig } from '../../clients/api/config';
import { apiAuthOptions } from '../../clients/api/auth';
import { buildApi } from '../../clients/api/server';
import { DocketClient } from '../../clients/documents';
import { compiled, testStack } from '../support/stack';

const stack = testStack();
const env = { ...process.env, ...stackEnv(stack) };
let docket: DocketClient;
let app: FastifyInstance;
let api: string;

beforeAll(async () => {
  const port = await freePort('127.0.0.1');
  const config = loadApiConfig({ ...env, DOCKET_API_PORT: String(port) });
  docket = await DocketClient.connect(config.client);
  app = buildApi(docket, {
    auth: apiAuthOptions(config.auth),
  });
  api = await app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await app?.close();
  await docket?.close();
});

/** The `name=value` of each Set-Cookie, by name. */
function setCookies(res: Response): Record<string, string> {
  return Object.fromEntries(
    res.headers.getSetCookie().map((c) => {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/** The browser's walk up to the issuer's redirect back, choosing `user` on the issuer's page. */
async function authorizeAs(user: string, next: string) {
  const login = await fetch(`${api}/auth/login?next=${encodeURIComponent(next)}`, { redirect: 'manual' });
  expect(login.status).toBe(302);
  const flow = setCookies(login).docket_signin!;
  expect(login.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Lax/);
  const authorize = new URL(login.headers.get('location')!);
  expect(authorize.origin).toBe(stack.auth.issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');

  // The issuer's page: one button per user in a form that posts back the request's parameters.
  const page = await fetch(authorize);
  const html = await page.text();
  expect(html).toContain('Alice Archer');
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(
      name!,
      value!.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))),
    );
  }
  form.set('user', user);
  const chosen = await fetch(`${stack.auth.issuer}/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(chosen.status).toBe(302);
  const callback = new URL(chosen.headers.get('location')!);
  expect(`${callback.origin}${callback.pathname}`).toBe(`${api}/auth/callback`);
  return { flow, callback };
}

/** The whole walk: back at the API's callback with the sign-in cookie. */
async function signIn(user: string, next: string) {
  const { flow, callback } = await authorizeAs(user, next);
  const back = await fetch(callback, { headers: { cookie: `docket_signin=${flow}` }, redirect: 'manual' });
  return { back, flow, callback };
}

test('a browser signs in with the code flow and the session cookie then authenticates', async () => {
  const { back } = await signIn('bob', '/auth/me');
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/auth/me');
  const session = setCookies(back).docket_session;
  expect(session).toBeTruthy();
  expect(back.headers.getSetCookie().find((c) => c.startsWith('docket_session='))).toMatch(
    /Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/,
  );
  const cookie = `docket_session=${session}`;
  const me = await fetch(`${api}/auth/me`, { headers: { cookie } });
  expect(await me.json()).toEqual({ subject: 'dev-bob', name: 'Bob Baker', roles: ['reviewer'] });

  // A change with the cookie needs the API's own origin; with it, bob's review reaches docket.
  const review = (headers: Record<string, string>) =>
    fetch(`${api}/documents/no-such-doc/review`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ action: 'approve' }),
    });
  expect((await review({ origin: 'http://127.0.0.1:1' })).status).toBe(403);
  expect((await review({ origin: new URL(api).origin })).status).toBe(404);

  const out = await fetch(`${api}/auth/logout`, { method: 'POST', headers: { cookie } });
  expect(out.headers.getSetCookie()[0]).toMatch(/^docket_session=; Path=\/; Max-Age=0/);
});

test('a callback whose state was not issued to this browser is refused', async () => {
  const { callback } = await signIn('alice', '/');
  const other = await fetch(`${api}/auth/login`, { redirect: 'manual' });
  const forged = await fetch(callback, {
    headers: { cookie: `docket_signin=${setCookies(other).docket_signin}` },
    redirect: 'manual',
  });
  expect(forged.status).toBe(400);
  expect(((await forged.json()) as { message: string }).message).toMatch(/not started here/);
  expect(setCookies(forged).docket_session).toBeUndefined();
});

test('sign-in never sends the browser to another site afterwards', async () => {
  const { back } = await signIn('alice', 'https://evil.example/');
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/');
});

test('a browser without a session is sent to sign in; an API client gets 401', async () => {
  const page = await fetch(`${api}/documents`, { headers: { accept: 'text/html' }, redirect: 'manual' });
  expect(page.status).toBe(302);
  expect(page.headers.get('location')).toBe('/auth/login?next=%2Fdocuments');
  const res = await fetch(`${api}/documents`);
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="docket"');
});

test("bearer tokens from the issuer's development grant authenticate, short-lived ones expire", async () => {
  const token = await fetchDevToken(stack.auth.issuer, 'olga');
  const me = await fetch(`${api}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(await me.json()).toEqual({
    subject: 'dev-olga',
    name: 'Olga Ortiz',
    roles: ['reviewer', 'operator'],
  });
  // Expired a minute ago: beyond the clock tolerance.
  const old = await fetchDevToken(stack.auth.issuer, 'olga', { expiresIn: -60 });
  const late = await fetch(`${api}/documents`, { headers: { authorization: `Bearer ${old}` } });
  expect(late.status).toBe(401);
  expect(late.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
});

test('the API process refuses to start without an issuer, naming the variables', async () => {
  const { DOCKET_AUTH_ISSUER: _i, DOCKET_AUTH_AUDIENCE: _a, ...without } = env;
  const child = spawn(process.execPath, [compiled('clients/api/main.js')], {
    cwd: repoRoot,
    env: { ...without, DOCKET_API_PORT: String(await freePort('127.0.0.1')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(2);
  expect(output).toMatch(/DOCKET_AUTH_ISSUER is required/);
  expect(output).toMatch(/DOCKET_AUTH_AUDIENCE is required/);
});

test('the development issuer hands out a code once, and only for the PKCE verifier it was bound to', async () => {
  const { callback } = await authorizeAs('alice', '/');
  const code = callback.searchParams.get('code')!;
  const exchange = (verifier: string) =>
    fetch(`${stack.auth.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: stack.auth.clientId,
        redirect_uri: `${callback.origin}${callback.pathname}`,
        code_verifier: verifier,
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
  // The browser's verifier is in its sign-in cookie, not here: any other one is refused…
  expect(await exchange('a'.repeat(43))).toMatchObject({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' },
  });
  // …and the code is spent by the attempt.
  expect((await exchange('a'.repeat(43))).body.error_description).toBe('unknown or expired code');
});

test('npm run token prints a token the API accepts', async () => {
  // Not spawnSync: the issuer may run in this very process (jest in band), and must keep answering.
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/auth/token.ts', 'sam'], {
    cwd: repoRoot,
    env: { ...env, DOCKET_AUTH_ISSUER: stack.auth.issuer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const me = await fetch(`${api}/auth/me`, { headers: { authorization: `Bearer ${stdout.trim()}` } });
  expect(await me.json()).toEqual({ subject: 'dev-sam', name: 'Sam Sato', roles: ['submitter'] });
});
