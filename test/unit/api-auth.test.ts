// The API's authentication and roles through fastify's inject, with tokens from a local key pair
// and a stand-in docket client: who may call what, what a refusal looks like, and that a review is
// recorded under the token's subject and name whatever the body says.
import type { FastifyInstance } from 'fastify';
import { sameOriginPath } from '../../clients/api/auth';
import { buildApi } from '../../clients/api/server';
import { type DocketClient, RequestError } from '../../clients/documents';
import { DocumentStatus, type ReviewerIdentity, type ReviewInput } from '../../lib/contract';
import { people, testIssuerKeys, type TestIssuer } from '../support/tokens';

const publicUrl = 'http://docket.test:8080';
let issuer: TestIssuer;
let app: FastifyInstance;
const reviews: ReviewInput[] = [];
const starts: unknown[] = [];

const fakeDocket = {
  profiles: { forms: {} },
  start: (request: unknown) => {
    starts.push(request);
    return Promise.resolve({ documentId: 'd1', workflowId: 'document-d1', started: true });
  },
  list: () => Promise.resolve([]),
  status: (documentId: string) =>
    Promise.resolve({
      documentId,
      profile: 'forms',
      status: DocumentStatus.AWAITING_REVIEW,
      transitions: [],
      warnings: [],
      review: [],
      reviewActions: [],
      ignoredMessages: [],
    }),
  review: (_id: string, input: ReviewInput) => {
    reviews.push(input);
    return Promise.resolve({ status: DocumentStatus.AWAITING_REVIEW, actionsRecorded: reviews.length });
  },
  claim: (id: string, who: ReviewerIdentity) => {
    claims.push({ id, who });
    if (id === 'held') {
      return Promise.reject(
        new RequestError('claim refused: the document is claimed by Bob until 2026-12-02T10:00:00Z'),
      );
    }
    return Promise.resolve({
      status: DocumentStatus.AWAITING_REVIEW,
      claim: { ...who, at: '2026-12-02T09:00:00.000Z', expiresAt: '2026-12-02T09:30:00.000Z' },
    });
  },
  release: (id: string, who: ReviewerIdentity, options: { force?: boolean }) => {
    claims.push({ id, who, force: options.force });
    return Promise.resolve({ status: DocumentStatus.AWAITING_REVIEW });
  },
  temporal: { workflowService: { getSystemInfo: () => Promise.resolve({}) } },
} as unknown as DocketClient;
const claims: { id: string; who: ReviewerIdentity; force?: boolean }[] = [];

beforeAll(async () => {
  issuer = await testIssuerKeys();
  app = buildApi(fakeDocket, {
    auth: { verifier: issuer.verifier, clientId: 'docket-web', publicUrl },
  });
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  claims.length = 0;
  reviews.length = 0;
  starts.length = 0;
});

/** The parts of the OpenAPI document checked here. */
interface OpenApi {
  paths: Record<string, Record<string, { security?: unknown[] }> | undefined>;
  components: { securitySchemes: Record<string, unknown> };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const approve = { action: 'approve' };

test('without a token every route but the health check and sign-in answers 401 with a Bearer challenge', async () => {
  for (const [method, url] of [
    ['GET', '/documents'],
    ['GET', '/documents/d1'],
    ['POST', '/documents'],
    ['POST', '/documents/d1/review'],
    ['GET', '/documents/d1/output'],
    ['GET', '/openapi.json'],
    ['GET', '/auth/me'],
  ] as const) {
    const res = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    expect([method, url, res.statusCode]).toEqual([method, url, 401]);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="docket"/);
    expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  }
  expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  expect(reviews).toEqual([]);
  expect(starts).toEqual([]);
});

test('a browser asking for HTML is sent to sign in, and comes back to where it was', async () => {
  const res = await app.inject({
    method: 'GET',
    url: '/documents?status=FAILED',
    headers: { accept: 'text/html' },
  });
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).toBe(`/auth/login?next=${encodeURIComponent('/documents?status=FAILED')}`);
});

test.each([
  [
    'that has expired',
    () => issuer.sign({ ...people.alice }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    /expired/,
  ],
  ['signed by another key', () => issuer.forge({ ...people.alice }), /signature/],
  ['for another audience', () => issuer.sign({ ...people.alice, aud: 'other' }), /aud/],
])('a token %s is refused with 401 and invalid_token', async (_what, token, reason) => {
  const res = await app.inject({
    method: 'POST',
    url: '/documents/d1/review',
    headers: bearer(await token()),
    payload: approve,
  });
  expect(res.statusCode).toBe(401);
  expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  expect(res.json<{ message: string }>().message).toMatch(reason);
  expect(reviews).toEqual([]);
});

test('the wrong role answers 403 naming the role needed', async () => {
  const sam = await issuer.sign({ ...people.sam });
  const res = await app.inject({
    method: 'POST',
    url: '/documents/d1/review',
    headers: bearer(sam),
    payload: approve,
  });
  expect(res.statusCode).toBe(403);
  expect(res.json<{ message: string }>().message).toBe(
    'requires the role reviewer; Sam Submitter has submitter',
  );
  const alice = await issuer.sign({ ...people.alice });
  const start = await app.inject({
    method: 'POST',
    url: '/documents',
    headers: bearer(alice),
    payload: { source: 's3://in/a.pdf' },
  });
  expect(start.statusCode).toBe(403);
  const noRole = await issuer.sign({ sub: 'u-x', name: 'Nobody' });
  const list = await app.inject({ method: 'GET', url: '/documents', headers: bearer(noRole) });
  expect(list.statusCode).toBe(403);
  expect(list.json<{ message: string }>().message).toMatch(/Nobody has no docket role/);
  expect(reviews).toEqual([]);
  expect(starts).toEqual([]);
});

test('each role reaches its routes', async () => {
  const sam = bearer(await issuer.sign({ ...people.sam }));
  const olga = bearer(await issuer.sign({ ...people.olga }));
  expect(
    (
      await app.inject({
        method: 'POST',
        url: '/documents',
        headers: sam,
        payload: { source: 's3://in/a.pdf' },
      })
    ).statusCode,
  ).toBe(202);
  expect((await app.inject({ method: 'GET', url: '/documents/d1', headers: sam })).statusCode).toBe(200);
  expect((await app.inject({ method: 'GET', url: '/documents', headers: sam })).statusCode).toBe(403);
  expect((await app.inject({ method: 'GET', url: '/documents', headers: olga })).statusCode).toBe(200);
  const me = await app.inject({ method: 'GET', url: '/auth/me', headers: olga });
  expect(me.json()).toEqual({ subject: 'u-olga', name: 'Olga Operator', roles: ['reviewer', 'operator'] });
});

test("a review is recorded under the token's subject and name; a typed reviewer is ignored", async () => {
  const alice = await issuer.sign({ ...people.alice });
  const res = await app.inject({
    method: 'POST',
    url: '/documents/d1/review',
    headers: bearer(alice),
    payload: { action: 'reject', reason: 'blurred', reviewer: 'Mallory' },
  });
  expect(res.statusCode).toBe(200);
  expect(reviews).toEqual([
    { action: 'reject', reason: 'blurred', reviewer: 'Alice Reviewer', reviewerId: 'u-alice' },
  ]);
});

test('the session cookie authenticates, but an unsafe request from another origin is refused', async () => {
  const cookie = `docket_session=${await issuer.sign({ ...people.alice })}`;
  expect((await app.inject({ method: 'GET', url: '/documents', headers: { cookie } })).statusCode).toBe(200);
  const crossSite = await app.inject({
    method: 'POST',
    url: '/documents/d1/review',
    headers: { cookie, origin: 'http://evil.test' },
    payload: approve,
  });
  expect(crossSite.statusCode).toBe(403);
  expect(crossSite.json<{ message: string }>().message).toMatch(/must come from http:\/\/docket\.test:8080/);
  const noOrigin = await app.inject({
    method: 'POST',
    url: '/documents/d1/review',
    headers: { cookie },
    payload: approve,
  });
  expect(noOrigin.statusCode).toBe(403);
  expect(reviews).toEqual([]);
  const sameSite = await app.inject({
    method: 'POST',
    url: '/documents/d1/review',
    headers: { cookie, origin: publicUrl },
    payload: approve,
  });
  expect(sameSite.statusCode).toBe(200);
  expect(reviews).toEqual([{ action: 'approve', reviewer: 'Alice Reviewer', reviewerId: 'u-alice' }]);
});

test('an invalid session cookie is cleared', async () => {
  const cookie = `docket_session=${await issuer.forge({ ...people.alice })}`;
  const res = await app.inject({ method: 'GET', url: '/documents', headers: { cookie } });
  expect(res.statusCode).toBe(401);
  expect(String(res.headers['set-cookie'])).toMatch(/^docket_session=; Path=\/; Max-Age=0; HttpOnly/);
});

test('a route that declares neither roles nor public is refused when it is added', async () => {
  const other = buildApi(fakeDocket, { auth: { verifier: issuer.verifier, clientId: 'c', publicUrl } });
  expect(() => other.get('/open', async () => 'anyone')).toThrow(/must declare config.roles/);
  await other.close();
});

test('sign-in returns only to paths on this API', () => {
  expect(sameOriginPath('/documents?status=FAILED')).toBe('/documents?status=FAILED');
  for (const bad of [
    'https://evil.test/',
    '//evil.test/x',
    '/\\evil.test',
    'javascript:alert(1)',
    '/\tx',
    // Dot segments that resolve to another site's //host.
    '/.//evil.test',
    '/..//evil.test',
    '/%2e%2e//evil.test',
    undefined,
  ]) {
    expect(sameOriginPath(bad)).toBe('/');
  }
});

test('the OpenAPI document says the review body carries no reviewer and how to authenticate', async () => {
  const doc = (
    await app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: bearer(await issuer.sign({ ...people.alice })),
    })
  ).json<OpenApi>();
  const review = doc.paths['/documents/{id}/review']!.post!;
  expect(review).toMatchObject({
    requestBody: {
      content: {
        'application/json': {
          schema: { required: ['action'], properties: { reviewer: { deprecated: true } } },
        },
      },
    },
    'x-docket-roles': ['reviewer'],
  });
  expect(doc.paths['/healthz']!.get!.security).toEqual([]);
  expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
});

test('behind https under a path, sign-in cookies are Secure and every path carries the base', async () => {
  const verifier = {
    verify: (token: string) => issuer.verifier.verify(token),
    metadata: () =>
      Promise.resolve({
        issuer: 'https://issuer.test',
        jwks_uri: 'https://issuer.test/jwks',
        authorization_endpoint: 'https://issuer.test/authorize',
        token_endpoint: 'https://issuer.test/token',
      }),
  };
  const behind = buildApi(fakeDocket, {
    auth: { verifier, clientId: 'docket-web', publicUrl: 'https://docket.example.com/review' },
  });
  try {
    const login = await behind.inject({ method: 'GET', url: '/auth/login?next=/review/documents' });
    expect(login.statusCode).toBe(302);
    const target = new URL(String(login.headers.location));
    expect(target.origin + target.pathname).toBe('https://issuer.test/authorize');
    expect(target.searchParams.get('redirect_uri')).toBe('https://docket.example.com/review/auth/callback');
    expect(target.searchParams.get('code_challenge_method')).toBe('S256');
    expect(String(login.headers['set-cookie'])).toMatch(
      /^docket_signin=[\w-]+; Path=\/review\/auth; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/,
    );
    const page = await behind.inject({ method: 'GET', url: '/documents', headers: { accept: 'text/html' } });
    expect(page.headers.location).toBe('/review/auth/login?next=%2Freview%2Fdocuments');
    // HEAD, which fastify adds for every GET, is guarded like the GET.
    expect((await behind.inject({ method: 'HEAD', url: '/documents' })).statusCode).toBe(401);
  } finally {
    await behind.close();
  }
});

test("a claim is the token's reviewer's; a refused claim is 409; only an operator may force a release", async () => {
  const alice = bearer(await issuer.sign({ ...people.alice }));
  const olga = bearer(await issuer.sign({ ...people.olga }));
  const sam = bearer(await issuer.sign({ ...people.sam }));
  const claimed = await app.inject({
    method: 'POST',
    url: '/documents/d1/claim',
    headers: alice,
    payload: {},
  });
  expect(claimed.statusCode).toBe(200);
  expect(claimed.json()).toMatchObject({
    claim: { reviewerId: people.alice.sub, expiresAt: '2026-12-02T09:30:00.000Z' },
  });
  // A name in the body is no identity: the body allows nothing.
  const typed = await app.inject({
    method: 'POST',
    url: '/documents/d1/claim',
    headers: alice,
    payload: { reviewer: 'mallory' },
  });
  expect(typed.statusCode).toBe(400);
  const held = await app.inject({
    method: 'POST',
    url: '/documents/held/claim',
    headers: alice,
    payload: {},
  });
  expect(held.statusCode).toBe(409);
  expect(held.json<{ message: string }>().message).toContain('claimed by Bob until');
  expect(
    (await app.inject({ method: 'POST', url: '/documents/d1/claim', headers: sam, payload: {} })).statusCode,
  ).toBe(403);
  // Claims are a reviewer's: an operator only looking does not lock reviewers out.
  const operatorOnly = bearer(await issuer.sign({ sub: 'u-op', name: 'Op', groups: ['docket-operators'] }));
  expect(
    (await app.inject({ method: 'POST', url: '/documents/d1/claim', headers: operatorOnly, payload: {} }))
      .statusCode,
  ).toBe(403);

  const notOperator = await app.inject({
    method: 'POST',
    url: '/documents/d1/release',
    headers: alice,
    payload: { force: true },
  });
  expect(notOperator.statusCode).toBe(403);
  const own = await app.inject({ method: 'POST', url: '/documents/d1/release', headers: alice, payload: {} });
  expect(own.statusCode).toBe(200);
  const forced = await app.inject({
    method: 'POST',
    url: '/documents/d1/release',
    headers: olga,
    payload: { force: true },
  });
  expect(forced.statusCode).toBe(200);
  expect(claims.map((c) => [c.id, c.who.reviewerId, c.force])).toEqual([
    ['d1', people.alice.sub, undefined],
    ['held', people.alice.sub, undefined],
    ['d1', people.alice.sub, false],
    ['d1', people.olga.sub, true],
  ]);
  // Everything comes from the token: a POST without a body is a claim or release all the same.
  for (const url of ['/documents/d1/claim', '/documents/d1/release']) {
    expect((await app.inject({ method: 'POST', url, headers: alice })).statusCode).toBe(200);
  }
});
