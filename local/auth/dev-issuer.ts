/**
 * A development OIDC issuer, so the local stack signs people in offline: an RS256 key made at
 * start, discovery, JWKS, the authorization code flow with PKCE (S256) and `state`, and a
 * development-only grant that mints a token for a named user (the CLI, the tests, the demo).
 * Never for production: anyone who reaches it can be anyone on its user list.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/** A person the development issuer signs in. */
export interface DevUser {
  name: string;
  email: string;
  /** Values of the `groups` claim docket maps to roles (DOCKET_AUTH_ROLE_MAP's defaults). */
  groups: string[];
}

/** The development users, by login name: their subject is `dev-<login>`. */
export const devUsers: Record<string, DevUser> = {
  alice: { name: 'Alice Archer', email: 'alice@docket.test', groups: ['docket-reviewers'] },
  bob: { name: 'Bob Baker', email: 'bob@docket.test', groups: ['docket-reviewers'] },
  olga: { name: 'Olga Ortiz', email: 'olga@docket.test', groups: ['docket-operators', 'docket-reviewers'] },
  sam: { name: 'Sam Sato', email: 'sam@docket.test', groups: ['docket-submitters'] },
};

/** The development grant: `grant_type=<this>&user=alice[&expires_in=60]` at /token. */
export const devUserGrant = 'urn:docket:params:oauth:grant-type:dev-user';

export const devIssuerDefaults = {
  audience: 'docket',
  clientId: 'docket-web',
  /** Seconds a token lives. */
  tokenLifetime: 3600,
} as const;

export interface DevIssuerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** `aud` of the access tokens. @default 'docket' */
  audience?: string;
  /** The one client the code flow serves. @default 'docket-web' */
  clientId?: string;
  /** Seconds. @default 3600 */
  tokenLifetime?: number;
  /** @default devUsers */
  users?: Record<string, DevUser>;
  /**
   * The issuer URL (`iss`) and sign-in page as browsers reach it, when that differs from where
   * servers reach it (docker-compose: http://127.0.0.1:9400 for the browser, http://auth:9400 for
   * the containers). Discovery then names the token endpoint and JWKS on the address it was asked on.
   * @default http://<host>:<port>
   */
  publicUrl?: string;
}

export interface DevIssuer {
  /** The issuer URL (`iss`), e.g. http://127.0.0.1:15123. */
  readonly issuer: string;
  readonly audience: string;
  readonly clientId: string;
  /** An access token for `login`, signed now. */
  mint(login: string, options?: { expiresIn?: number }): Promise<string>;
  close(): Promise<void>;
}

interface PendingCode {
  login: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  expires: number;
}

/** Starts the issuer; it answers until closed. */
export async function startDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const audience = options.audience ?? devIssuerDefaults.audience;
  const clientId = options.clientId ?? devIssuerDefaults.clientId;
  const lifetime = options.tokenLifetime ?? devIssuerDefaults.tokenLifetime;
  const users = options.users ?? devUsers;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  let issuer = '';

  const sign = (claims: Record<string, unknown>, aud: string, expiresIn: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .setJti(randomUUID())
      .sign(privateKey);

  const claimsOf = (login: string) => {
    const user = users[login]!;
    return {
      sub: `dev-${login}`,
      name: user.name,
      preferred_username: login,
      email: user.email,
      groups: user.groups,
    };
  };
  const mint = (login: string, opts: { expiresIn?: number } = {}) => {
    if (!users[login])
      throw new Error(`no development user '${login}'; users: ${Object.keys(users).join(', ')}`);
    return sign({ ...claimsOf(login), scope: 'openid profile email' }, audience, opts.expiresIn ?? lifetime);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        json(res, 500, { error: 'server_error', error_description: (err as Error).message });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    // Server-to-server endpoints on the address this request used; the sign-in page on the public one.
    const here =
      req.headers.host && /^[\w.-]+(:\d+)?$/.test(req.headers.host) ? `http://${req.headers.host}` : issuer;
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${here}/token`,
          jwks_uri: `${here}/jwks`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', devUserGrant],
          code_challenge_methods_supported: ['S256'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['none'],
          scopes_supported: ['openid', 'profile', 'email'],
          claims_supported: ['sub', 'name', 'preferred_username', 'email', 'groups'],
        });
      case 'GET /jwks':
        return json(res, 200, { keys: [jwk] });
      case 'GET /authorize':
        return authorize(url.searchParams, res);
      case 'POST /authorize':
        return authorize(new URLSearchParams(await readBody(req)), res);
      case 'POST /token':
        return token(new URLSearchParams(await readBody(req)), res);
      default:
        return json(res, 404, { error: 'not_found' });
    }
  }

  function authorize(params: URLSearchParams, res: http.ServerResponse): void {
    const redirectUri = params.get('redirect_uri') ?? '';
    let target: URL;
    try {
      target = new URL(redirectUri);
      if (!/^https?:$/.test(target.protocol)) throw new Error('not http(s)');
    } catch {
      // Never redirect to something unchecked: say it on the page instead.
      return html(res, 400, page('Sign-in refused', '<p>redirect_uri must be an absolute http(s) URL.</p>'));
    }
    // An unknown client gets a page, not a redirect (RFC 6749 4.1.2.1); the others go back to it.
    if (params.get('client_id') !== clientId) {
      return html(
        res,
        400,
        page('Sign-in refused', `<p>Unknown client_id; this issuer serves '${esc(clientId)}'.</p>`),
      );
    }
    const problem =
      params.get('response_type') !== 'code'
        ? 'response_type must be code'
        : params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge')
          ? 'PKCE is required: code_challenge with code_challenge_method=S256'
          : undefined;
    if (problem)
      return redirect(
        res,
        withParams(target, {
          error: 'invalid_request',
          error_description: problem,
          state: params.get('state'),
        }),
      );
    const login = params.get('user') ?? params.get('login_hint') ?? '';
    if (!users[login]) return html(res, 200, chooser(params));
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      login,
      clientId,
      redirectUri,
      challenge: params.get('code_challenge')!,
      ...(params.get('nonce') ? { nonce: params.get('nonce')! } : {}),
      expires: Date.now() + 60_000,
    });
    return redirect(res, withParams(target, { code, state: params.get('state') }));
  }

  async function token(params: URLSearchParams, res: http.ServerResponse): Promise<void> {
    const grant = params.get('grant_type');
    if (grant === devUserGrant) {
      const login = params.get('user') ?? '';
      if (!users[login])
        return json(res, 400, {
          error: 'invalid_request',
          error_description: `no development user '${login}'`,
        });
      const expiresIn = params.has('expires_in') ? Number(params.get('expires_in')) : lifetime;
      if (!Number.isInteger(expiresIn))
        return json(res, 400, {
          error: 'invalid_request',
          error_description: 'expires_in must be whole seconds',
        });
      return json(res, 200, {
        access_token: await mint(login, { expiresIn }),
        token_type: 'Bearer',
        expires_in: expiresIn,
      });
    }
    if (grant !== 'authorization_code') {
      return json(res, 400, {
        error: 'unsupported_grant_type',
        error_description: `grant_type must be authorization_code or ${devUserGrant}`,
      });
    }
    const code = params.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code); // One use only, whatever happens next.
    const verifier = params.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const problem =
      !pending || pending.expires < Date.now()
        ? 'unknown or expired code'
        : params.get('client_id') !== pending.clientId
          ? 'client_id does not match the code'
          : params.get('redirect_uri') !== pending.redirectUri
            ? 'redirect_uri does not match the code'
            : challenge !== pending.challenge
              ? 'code_verifier does not match the code_challenge'
              : undefined;
    if (problem || !pending) return json(res, 400, { error: 'invalid_grant', error_description: problem });
    const claims = claimsOf(pending.login);
    return json(res, 200, {
      access_token: await mint(pending.login),
      id_token: await sign(
        { ...claims, ...(pending.nonce ? { nonce: pending.nonce } : {}) },
        clientId,
        lifetime,
      ),
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: 'openid profile email',
    });
  }

  function chooser(params: URLSearchParams): string {
    const hidden = [...params.entries()]
      .filter(([k]) => k !== 'user' && k !== 'login_hint')
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('');
    const buttons = Object.entries(users)
      .map(
        ([login, u]) =>
          `<button name="user" value="${esc(login)}">${esc(u.name)} <small>(${esc(login)}: ${esc(u.groups.join(', '))})</small></button>`,
      )
      .join('\n');
    return page(
      'Sign in to docket (development)',
      `<form method="post" action="/authorize">${hidden}${buttons}</form>
<p class="note">Development issuer: every user here signs in without a password.</p>`,
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  issuer = (options.publicUrl ?? `http://${options.host}:${(server.address() as AddressInfo).port}`).replace(
    /\/$/,
    '',
  );
  return {
    issuer,
    audience,
    clientId,
    mint,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function withParams(url: URL, params: Record<string, string | null>): string {
  const out = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== null) out.searchParams.set(k, v);
  return out.toString();
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    .end(JSON.stringify(body));
}

function html(res: http.ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    .end(body);
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' }).end();
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto}button{display:block;width:100%;margin:.5rem 0;padding:.75rem;font-size:1rem;text-align:left}.note{color:#666}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks a running development issuer for a token for `login` (the development grant). */
export async function fetchDevToken(
  issuer: string,
  login: string,
  options: { expiresIn?: number } = {},
): Promise<string> {
  const body = new URLSearchParams({ grant_type: devUserGrant, user: login });
  if (options.expiresIn !== undefined) body.set('expires_in', String(options.expiresIn));
  const res = await fetch(`${issuer}/token`, { method: 'POST', body });
  const answer = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !answer.access_token) {
    throw new Error(
      `the development issuer at ${issuer} refused a token for '${login}': ${answer.error_description ?? res.status}`,
    );
  }
  return answer.access_token;
}
