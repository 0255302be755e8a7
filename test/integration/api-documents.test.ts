// The HTTP API against the real stack over real HTTP: every route with valid and invalid
// requests, each made as a user of the stack's development issuer with the role it needs, and one
// document started through the API that a worker process takes to review, where the API approves it
// (recorded under the token's name and subject) and reads its output. The exports of schema 2 documents
// are checked in api-exports.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadClientConfig } from '../../clients/config';
import { DocketClient } from '../../clients/documents';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { stackEnv } from '@docket/local/stack/stack';
import { documentWorkflowId } from '../../lib/contract';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { apiFor } from '../support/api-server';
import { eventually, LifecycleSuite } from '../support/lifecycle';

const suite = new LifecycleSuite('api');
const run = randomUUID().slice(0, 8);
const taskQueue = `api-test-${run}`;
let docket: DocketClient;
let app: FastifyInstance;
let baseUrl: string;
const ids: string[] = [];
/** A development token per user: sam submits, alice reviews, olga operates. */
const tokens: Record<'sam' | 'alice' | 'olga', string> = { sam: '', alice: '', olga: '' };

/** The user whose role a route needs. */
function userFor(method: string, url: string): keyof typeof tokens {
  if (method === 'POST' && url.startsWith('/documents/')) return 'alice';
  if (method === 'POST' || url.includes('/output')) return 'sam';
  return 'olga';
}

beforeAll(async () => {
  Object.assign(process.env, stackEnv(suite.stack));
  // A profile whose invoice number always needs a person, so the review route has work to do.
  const profilesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docket-api-')), 'profiles.json');
  fs.writeFileSync(
    profilesFile,
    JSON.stringify({
      'api-review': {
        textract: { api: 'ANALYSIS', features: ['FORMS'] },
        defaultThreshold: 0,
        fieldThresholds: { 'Invoice Number': 99.9 },
      },
    }),
  );
  // The queue comes from the client's configuration, as in the API process (DOCKET_TASK_QUEUE).
  docket = await DocketClient.connect(
    loadClientConfig({ ...process.env, DOCKET_PROFILES_FILE: profilesFile, DOCKET_TASK_QUEUE: taskQueue }),
  );
  for (const user of Object.keys(tokens) as (keyof typeof tokens)[]) {
    tokens[user] = await fetchDevToken(suite.stack.auth.issuer, user);
  }
  ({ api: app, url: baseUrl } = await apiFor(docket, 'api-review'));
});

afterAll(async () => {
  await Promise.all(
    ids.map((id) =>
      docket.temporal.workflow
        .getHandle(documentWorkflowId(id))
        .terminate('api test done')
        .catch(() => undefined),
    ),
  );
  await app?.close();
  await docket?.close();
  await suite.tearDown();
});

/**
 * Real HTTP against the listening API (fastify.inject needs light-my-request, whose cookie
 * dependency is ESM-only and cannot load under jest on Node 20).
 */
async function request(method: 'GET' | 'POST', url: string, body?: string) {
  const authorization = `Bearer ${tokens[userFor(method, url)]}`;
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  return request(method, url, payload === undefined ? undefined : JSON.stringify(payload));
}

/** A GET whose answer may not be JSON: status, the headers that matter here, and the body as text. */
async function getText(url: string) {
  const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${tokens.sam}` } });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    cacheControl: res.headers.get('cache-control'),
    body: await res.text(),
  };
}

test('GET /healthz says Temporal is reachable', async () => {
  expect(await call('GET', '/healthz')).toEqual({ status: 200, body: { ok: true, temporal: 'reachable' } });
});

test('GET /openapi.json documents every route with its request schema', async () => {
  const { status, body } = await call('GET', '/openapi.json');
  expect(status).toBe(200);
  expect(body.openapi).toBe('3.1.0');
  const paths = body.paths as Record<string, Record<string, Record<string, unknown>>>;
  const operations = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
  expect(operations.sort()).toEqual(
    [
      'get /documents',
      'get /documents/{id}',
      'get /documents/{id}/output',
      'get /healthz',
      'get /openapi.json',
      'get /auth/login',
      'get /auth/callback',
      'get /auth/logout',
      'post /auth/logout',
      'get /auth/me',
      'post /documents',
      'post /documents/{id}/review',
      'post /documents/{id}/claim',
      'post /documents/{id}/release',
      'post /documents/{id}/reprocess',
      // The review desk (clients/desk): its pages, assets and data routes.
      'get /desk',
      'get /desk/documents/{id}',
      'get /desk/assets/desk.js',
      'get /desk/assets/desk.css',
      'get /documents/{id}/pages/{n}',
      'get /documents/{id}/fields',
    ].sort(),
  );
  expect(paths['/documents']?.post?.requestBody).toMatchObject({
    content: { 'application/json': { schema: { required: ['source'] } } },
  });
  expect(paths['/documents/{id}']?.get?.parameters).toEqual([
    expect.objectContaining({ name: 'id', in: 'path', required: true }),
  ]);
  expect(paths['/documents']?.get?.parameters).toEqual(
    expect.arrayContaining([expect.objectContaining({ name: 'status', in: 'query' })]),
  );
  const output = paths['/documents/{id}/output']?.get as {
    parameters: { name: string; in: string }[];
    responses: Record<string, { content: Record<string, unknown> }>;
  };
  expect(output.parameters.map((p) => `${p.in} ${p.name}`)).toEqual([
    'path id',
    'query format',
    'query table',
  ]);
  expect(Object.keys(output.responses['200']?.content ?? {})).toEqual([
    'application/json',
    'text/markdown',
    'text/csv',
    'text/plain',
  ]);
  expect(Object.keys(output.responses).sort()).toEqual([
    '200',
    '400',
    '401',
    '403',
    '404',
    '406',
    '409',
    '503',
  ]);
});

test('GET /documents/{id}/output refuses bad formats and tables before looking, and unknown documents', async () => {
  const unknown = `/documents/nope-${run}/output`;
  expect(await call('GET', unknown)).toMatchObject({
    status: 404,
    body: { message: `no document nope-${run}` },
  });
  const badFormat = await call('GET', `${unknown}?format=pdf`);
  expect(badFormat.status).toBe(400);
  expect(badFormat.body.message).toContain('querystring/format: one of json, markdown, csv, text');
  // These are wrong whatever the document: 400, not 404.
  expect(await call('GET', `${unknown}?format=csv`)).toMatchObject({
    status: 400,
    body: { message: 'the csv format exports one table: give its number (1-based, document order)' },
  });
  expect(await call('GET', `${unknown}?format=markdown&table=1`)).toMatchObject({
    status: 400,
    body: { message: 'a table number only applies to the csv format, not markdown' },
  });
  expect((await call('GET', `${unknown}?format=csv&table=0`)).body.message).toContain(
    'querystring/table must be >= 1',
  );
  expect((await call('GET', `${unknown}?format=csv&table=x`)).status).toBe(400);
  expect((await call('GET', `${unknown}?format=text&extra=1`)).status).toBe(400);
});

test.each([
  ['no source', {}, /body must have required property 'source'/],
  ['a local path instead of an S3 URI', { source: '/etc/passwd' }, /body\/source must match pattern/],
  ['an unknown property', { source: 's3://b/k', priority: 1 }, /must NOT have additional properties/],
  ['a document id with spaces', { source: 's3://b/k', documentId: 'a b' }, /body\/documentId must match/],
])('POST /documents with %s is 400 naming the field', async (_what, payload, message) => {
  const { status, body } = await call('POST', '/documents', payload);
  expect(status).toBe(400);
  expect(body.message).toMatch(message);
});

test('POST /documents refuses malformed JSON, an unknown profile and a missing object', async () => {
  const malformed = await request('POST', '/documents', '{"source": ');
  expect(malformed.status).toBe(400);
  const source = await suite.upload(`api/${run}/exists.pdf`, '%PDF-1.7\n');
  const uri = `s3://${source.bucket}/${source.key}`;
  const profile = await call('POST', '/documents', { source: uri, profile: 'nope' });
  expect(profile.status).toBe(400);
  expect(profile.body.message).toContain("unknown profile 'nope'");
  const missing = await call('POST', '/documents', { source: `s3://${source.bucket}/api/${run}/absent.pdf` });
  expect(missing.status).toBe(422);
  expect(missing.body.message).toContain('does not exist');
});

test('unknown documents are 404 and malformed ids, statuses and reviews are 400', async () => {
  expect(await call('GET', `/documents/nope-${run}`)).toMatchObject({
    status: 404,
    body: { message: `no document nope-${run}` },
  });
  expect((await call('GET', '/documents/a%20b')).status).toBe(400);
  const list = await call('GET', '/documents?status=DONE');
  expect(list.status).toBe(400);
  expect(list.body.message).toContain('querystring/status');
  expect((await call('GET', '/documents?limit=0')).status).toBe(400);
  const review = (payload: unknown) => call('POST', `/documents/nope-${run}/review`, payload);
  expect((await review({ action: 'approve', reviewer: 'sam' })).status).toBe(404);
  expect((await review({ action: 'maybe', reviewer: 'sam' })).body.message).toContain('body/action');
  expect((await review({ action: 'reject', reviewer: 'sam' })).body.message).toContain("'reason'");
  expect((await review({ action: 'correct', reviewer: 'sam', fields: {} })).status).toBe(400);
  // The reviewer comes from the token: a body without one is complete.
  expect((await review({ action: 'approve' })).status).toBe(404);
});

test('a document started through the API reaches review with a worker running, and the API approves it', async () => {
  const worker = await suite.spawnWorker(taskQueue);
  try {
    const source = await suite.upload(
      `api/${run}/sample-invoice.pdf`,
      uniqueCorpusDocument('sample-invoice.pdf'),
    );
    const start = await call('POST', '/documents', { source: `s3://${source.bucket}/${source.key}` });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({
      started: true,
      workflowId: `document-${String(start.body.documentId)}`,
    });
    const documentId = String(start.body.documentId);
    ids.push(documentId);
    // The same POST again is idempotent: nothing new starts.
    const again = await call('POST', '/documents', { source: `s3://${source.bucket}/${source.key}` });
    expect(again).toMatchObject({ status: 202, body: { documentId, started: false } });

    const waiting = await eventually('AWAITING_REVIEW', async () => {
      const res = await call('GET', `/documents/${documentId}`);
      return res.body.status === 'AWAITING_REVIEW' ? res.body : undefined;
    });
    expect(waiting.review).toEqual([expect.objectContaining({ field: 'Invoice Number' })]);
    expect(await call('GET', `/documents/${documentId}/output`)).toMatchObject({
      status: 409,
      body: { message: `document ${documentId} has no output yet: it is AWAITING_REVIEW` },
    });
    const listed = await eventually('the document listed', async () => {
      const res = await call('GET', '/documents?status=AWAITING_REVIEW&limit=1000');
      const docs = res.body.documents as { documentId: string }[];
      return docs.some((d) => d.documentId === documentId) ? docs : undefined;
    });
    expect(listed.length).toBeGreaterThan(0);

    const unknownField = await call('POST', `/documents/${documentId}/review`, {
      action: 'correct',
      reviewer: 'rita',
      fields: { 'No Such Field': 'x' },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toContain('No Such Field');
    // Alice approves; the name typed into the body is not who the audit records.
    const approved = await call('POST', `/documents/${documentId}/review`, {
      action: 'approve',
      reviewer: 'sam',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.actionsRecorded).toBe(1);
    const done = await eventually('SUCCEEDED', async () => {
      const res = await call('GET', `/documents/${documentId}`);
      return res.body.status === 'SUCCEEDED' ? res.body : undefined;
    });
    expect(done.reviewActions).toEqual([
      expect.objectContaining({ action: 'approve', reviewer: 'Alice Archer', reviewerId: 'dev-alice' }),
    ]);
    const output = await getText(`/documents/${documentId}/output`);
    expect(output).toMatchObject({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      cacheControl: 'no-store',
    });
    const stored = JSON.parse(output.body) as { documentId: string; status: string; schemaVersion?: number };
    expect(stored).toMatchObject({ documentId, status: 'SUCCEEDED' });
    const markdown = await getText(`/documents/${documentId}/output?format=markdown`);
    // Until the worker writes schema 2 (activities/output.ts), its outputs can only be read as JSON.
    if (stored.schemaVersion === 2) {
      expect(markdown).toMatchObject({ status: 200, contentType: 'text/markdown; charset=utf-8' });
      expect(markdown.body.startsWith(`Document \`${documentId}\` · **SUCCEEDED**`)).toBe(true);
    } else {
      expect(markdown.status).toBe(406);
    }
    const late = await call('POST', `/documents/${documentId}/review`, {
      action: 'approve',
      reviewer: 'sam',
    });
    expect(late).toMatchObject({
      status: 409,
      body: { message: `document ${documentId} is SUCCEEDED, not awaiting review` },
    });
  } catch (err) {
    throw new Error(`${String(err)}\nworker output:\n${worker.output()}`);
  } finally {
    await worker.kill();
  }
});
