/**
 * Authentication and roles for the HTTP API (registered first by buildApi). Every request gets
 * `request.principal` from `Authorization: Bearer <token>` or the HttpOnly session cookie
 * (`docket_session`, set by the browser sign-in below). Deny by default: each route declares
 * `config: { roles: [...] }` (any one suffices) or `config: { public: true }`, and a route that
 * declares neither is refused when it is registered. Without a valid token: 401 with
 * `WWW-Authenticate: Bearer` (a browser asking for HTML is sent to /auth/login instead); with the
 * wrong role: 403. A cookie-authenticated unsafe request must come from the API's own origin.
 *
 * Browser sign-in: /auth/login → the issuer's authorization endpoint (code flow with PKCE S256;
 * state, verifier and the page to return to in a short-lived HttpOnly cookie) → /auth/callback
 * (the code exchanged at the token endpoint; the access token verified and kept as the session
 * cookie) → back to the page. /auth/logout clears the session.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasAnyRole, reviewerIdentity, roles, type Principal, type Role } from '../../lib/auth/principal';
import { AuthError, createVerifier, type TokenVerifier } from '../../lib/auth/verifier';
import type { ReviewerIdentity } from '../../lib/contract';
import { UnavailableError } from '../documents';
import type { ApiConfig } from './config';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: a principal holding any one of these roles. */
    roles?: readonly Role[];
    /** Anyone may call the route, signed in or not (health check, sign-in). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The verified caller; set before any route that declares roles runs. */
    principal?: Principal;
  }
}

/** The session cookie: the verified access token, HttpOnly, for as long as the token lives. */
export const sessionCookie = 'docket_session';
/** State, PKCE verifier and return path between /auth/login and /auth/callback. */
const flowCookie = 'docket_signin';
const flowSeconds = 600;

export interface ApiAuthOptions {
  verifier: TokenVerifier;
  /** The client id the browser sign-in uses at the issuer (DOCKET_AUTH_CLIENT_ID). */
  clientId: string;
  /** For a confidential client (DOCKET_AUTH_CLIENT_SECRET). @default none: a public client with PKCE */
  clientSecret?: string;
  /** The API as browsers reach it (DOCKET_PUBLIC_URL): the redirect URI and the only origin trusted. */
  publicUrl: string;
  /** @default 'openid profile email' */
  scopes?: string;
}

/** The API's authentication as its configuration describes it (the API process, tests, benchmarks). */
export function apiAuthOptions(auth: ApiConfig['auth'], verifier = createVerifier(auth)): ApiAuthOptions {
  return {
    verifier,
    clientId: auth.clientId,
    ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
    publicUrl: auth.publicUrl,
    scopes: auth.scopes,
  };
}

/** The reviewer identity of the signed-in caller, for review actions: never typed input. */
export function reviewerOf(request: FastifyRequest): Required<ReviewerIdentity> {
  if (!request.principal)
    throw new Error('reviewerOf: the route does not declare roles, so nobody signed in');
  return reviewerIdentity(request.principal);
}

/** Adds the hook and the sign-in routes; call before any other route is added. */
export function registerAuth(app: FastifyInstance, options: ApiAuthOptions): void {
  const publicUrl = new URL(options.publicUrl);
  const origin = publicUrl.origin;
  const secure = publicUrl.protocol === 'https:';
  const base = publicUrl.pathname.replace(/\/$/, '');
  const redirectUri = `${origin}${base}/auth/callback`;

  app.addHook('onRoute', (route) => {
    const config = route.config ?? {};
    if (config.public) return;
    const allowed = config.roles;
    if (!allowed || allowed.length === 0 || allowed.some((r) => !roles.includes(r))) {
      throw new Error(
        `route ${[route.method].flat().join(',')} ${route.url} must declare config.roles (some of ${roles.join(', ')}) or config.public`,
      );
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    // No route matched: fastify answers 404 and serves nothing.
    if (request.routeOptions.url === undefined || config.public) return;
    const allowed = config.roles ?? [];
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const cookie = bearer ? undefined : readCookies(request.headers.cookie)[sessionCookie];
    const token = bearer ?? cookie;
    if (!token) return unauthorized(request, reply, 'sign in: send Authorization: Bearer <token>');
    try {
      request.principal = await options.verifier.verify(token);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.unavailable) {
        request.log.warn({ reason: err.message }, 'token not checked: issuer unreachable');
        return refuse(reply, 503, 'the identity provider cannot be reached; try again');
      }
      if (cookie) reply.header('set-cookie', clearCookie(sessionCookie, '/', secure));
      return unauthorized(request, reply, err.message, true);
    }
    if (cookie && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      // A cookie rides along with requests other sites make: unsafe ones must come from our pages.
      if (request.headers.origin !== origin) {
        return refuse(reply, 403, `a signed-in browser request must come from ${origin}`);
      }
    }
    if (!hasAnyRole(request.principal, allowed)) {
      return refuse(
        reply,
        403,
        `requires the role ${allowed.join(' or ')}; ${request.principal.name} has ${request.principal.roles.join(', ') || 'no docket role'}`,
      );
    }
  });

  function unauthorized(request: FastifyRequest, reply: FastifyReply, message: string, invalid = false) {
    if (request.method === 'GET' && wantsHtml(request)) {
      // `next` is the path as the browser sees it: behind a proxy that strips the base, add it back.
      return reply.redirect(`${base}/auth/login?next=${encodeURIComponent(`${base}${request.url}`)}`, 302);
    }
    const error = invalid ? `, error="invalid_token", error_description="${message.replace(/"/g, "'")}"` : '';
    reply.header('www-authenticate', `Bearer realm="docket"${error}`);
    return refuse(reply, 401, message);
  }

  app.get<{ Querystring: { next?: string; login_hint?: string } }>(
    '/auth/login',
    {
      config: { public: true, summary: 'Browser sign-in: redirects to the identity provider' },
      schema: {
        querystring: {
          type: 'object',
          properties: {
            next: { type: 'string', maxLength: 2048 },
            login_hint: { type: 'string', maxLength: 256 },
          },
        },
      },
    },
    async (request, reply) => {
      const metadata = await options.verifier.metadata().catch(unavailable);
      if (!metadata.authorization_endpoint)
        return refuse(reply, 503, 'the identity provider has no authorization endpoint');
      const state = randomBytes(24).toString('base64url');
      const verifier = randomBytes(48).toString('base64url');
      const next = sameOriginPath(request.query.next, base);
      const target = new URL(metadata.authorization_endpoint);
      const params: Record<string, string> = {
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: redirectUri,
        scope: options.scopes ?? 'openid profile email',
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        ...(request.query.login_hint ? { login_hint: request.query.login_hint } : {}),
      };
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      const flow = Buffer.from(JSON.stringify({ state, verifier, next })).toString('base64url');
      // SameSite=Lax: the issuer's redirect back is a top-level GET, which carries it.
      reply.header(
        'set-cookie',
        cookieHeader(flowCookie, flow, { path: `${base}/auth`, maxAge: flowSeconds, secure }),
      );
      return reply.header('cache-control', 'no-store').redirect(target.toString(), 302);
    },
  );

  app.get<{ Querystring: { code?: string; state?: string; error?: string; error_description?: string } }>(
    '/auth/callback',
    {
      config: {
        public: true,
        summary: 'Browser sign-in: where the identity provider sends the browser back',
      },
    },
    async (request, reply) => {
      reply.header('set-cookie', clearCookie(flowCookie, `${base}/auth`, secure));
      const { code, state, error } = request.query;
      if (error) return refuse(reply, 401, `sign-in refused by the identity provider: ${error}`);
      let flow: { state?: string; verifier?: string; next?: string } = {};
      try {
        flow = JSON.parse(
          Buffer.from(readCookies(request.headers.cookie)[flowCookie] ?? '', 'base64url').toString('utf8'),
        ) as typeof flow;
      } catch {
        // Handled below as a missing sign-in.
      }
      if (!code || !state || !flow.state || !flow.verifier || state !== flow.state) {
        return refuse(
          reply,
          400,
          'this sign-in was not started here or took too long; sign in again at /auth/login',
        );
      }
      const metadata = await options.verifier.metadata().catch(unavailable);
      if (!metadata.token_endpoint) return refuse(reply, 503, 'the identity provider has no token endpoint');
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: options.clientId,
        code_verifier: flow.verifier,
        ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
      });
      const res = await fetch(metadata.token_endpoint, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(10_000),
      }).catch(unavailable);
      const answer = (await res.json().catch(() => ({}))) as {
        access_token?: string;
        error?: string;
        expires_in?: number;
      };
      if (!res.ok || !answer.access_token) {
        return refuse(reply, 401, `the identity provider refused the sign-in: ${answer.error ?? res.status}`);
      }
      let principal: Principal;
      try {
        principal = await options.verifier.verify(answer.access_token);
      } catch (err) {
        if (err instanceof AuthError)
          return refuse(reply, 401, `the identity provider's token is not accepted: ${err.message}`);
        throw err;
      }
      request.log.info({ subject: principal.subject, roles: principal.roles }, 'signed in');
      const maxAge = Math.max(1, Math.min(answer.expires_in ?? 3600, 12 * 3600));
      reply.header('set-cookie', [
        clearCookie(flowCookie, `${base}/auth`, secure),
        cookieHeader(sessionCookie, answer.access_token, { path: base || '/', maxAge, secure }),
      ]);
      return reply.header('cache-control', 'no-store').redirect(sameOriginPath(flow.next, base), 303);
    },
  );

  const logout = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('set-cookie', clearCookie(sessionCookie, base || '/', secure));
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><title>Signed out</title><p>You are signed out of docket. <a href="${base}/auth/login">Sign in again</a></p>`,
      );
  };
  app.get(
    '/auth/logout',
    { config: { public: true, summary: 'Signs the browser out (clears the session cookie)' } },
    logout,
  );
  app.post(
    '/auth/logout',
    { config: { public: true, summary: 'Signs the browser out (clears the session cookie)' } },
    logout,
  );

  app.get(
    '/auth/me',
    {
      config: { roles: [...roles], summary: 'Who the token or session says the caller is' },
      schema: {
        response: {
          200: {
            type: 'object',
            required: ['subject', 'name', 'roles'],
            properties: {
              subject: { type: 'string' },
              name: { type: 'string' },
              roles: { type: 'array', items: { type: 'string', enum: [...roles] } },
            },
          },
        },
      },
    },
    (request, reply) => reply.send(request.principal),
  );
}

function refuse(reply: FastifyReply, statusCode: 401 | 403 | 400 | 503, message: string) {
  const error = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[
    statusCode
  ];
  return reply.code(statusCode).header('cache-control', 'no-store').send({ statusCode, error, message });
}

function unavailable(err: unknown): never {
  throw new UnavailableError(`the identity provider cannot be reached: ${(err as Error).message}`);
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/** `next` when it is a path on this API, else the API's root: never another site (open redirect). */
export function sameOriginPath(next: string | undefined, base = ''): string {
  const fallback = `${base}/`;
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  // Control characters could smuggle another target past a browser's URL parser.
  if ([...next].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return fallback;
  const resolved = new URL(next, 'http://docket.invalid');
  // Dot segments can resolve to `//host` ('/..//evil.example'): a browser reads that as another site.
  if (resolved.origin !== 'http://docket.invalid' || resolved.pathname.startsWith('//')) return fallback;
  return `${resolved.pathname}${resolved.search}`;
}

export function readCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in cookies)) cookies[name] = part.slice(eq + 1).trim();
  }
  return cookies;
}

function cookieHeader(
  name: string,
  value: string,
  o: { path: string; maxAge: number; secure: boolean },
): string {
  return `${name}=${value}; Path=${o.path}; Max-Age=${o.maxAge}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}

function clearCookie(name: string, path: string, secure: boolean): string {
  return cookieHeader(name, '', { path, maxAge: 0, secure });
}
