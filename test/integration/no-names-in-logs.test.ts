// File names, S3 keys and document text never reach a log, a workflow id, a search attribute or a
// failure message: an end-to-end run through the real stack (the compiled worker process, the API
// and the S3-event starter in this process with their pino loggers, the local Textract and the
// Temporal dev server with their log files) with distinctive names and known document text, a
// review with oversized input on the way (refused with a 4xx, ignored as raw signals; the document
// still succeeds), and failure paths (a missing object through the starter and inside the workflow).
// Then every log the run produced is scanned. moto's log is left out on purpose: it is S3's
// access log, which names keys by design (as S3 server access logs and CloudTrail do on AWS).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadApiConfig } from '../../clients/api/config';
import { apiAuthOptions } from '../../clients/api/auth';
import { buildApi } from '../../clients/api/server';
import { loadClientConfig } from '../../clients/config';
import { DocketClient, RequestError } from '../../clients/documents';
import { eventDocumentId } from '../../clients/s3-event-starter/events';
import { type MessageOutcome, S3EventStarter } from '../../clients/s3-event-starter/starter';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { stackEnv } from '@docket/local/stack/stack';
import { DocumentStatus, documentWorkflowId, FailureType, statusQuery } from '../../lib/contract';
import { reviewLimits } from '../../lib/review-input';
import { eventually, LifecycleSuite, type WorkerProcess } from '../support/lifecycle';
import { uniqueBytes } from '../fixtures/textract/harness';

const suite = new LifecycleSuite('names');
const run = randomUUID().slice(0, 8);
const taskQueue = `names-test-${run}`;
const bucket = suite.resources.inputBucket;
// Names nobody else uses: any trace of them in a log is a leak.
const person = 'Zephyrine Quackenbush';
const fileName = `Zephyrine-Quackenbush-medical-bill-${run}.pdf`;
const reviewedKey = `patients/${person}/${fileName}`;
const eventFileName = `Bartholomew-Fenwickshire-payslip-${run}.pdf`;
const eventKey = `payroll/${eventFileName}`;
const goneFileName = `Ottoline-Vavasour-tax-return-${run}.pdf`;
const missingFileName = `Ignatius-Pemberton-Smythe-lease-${run}.pdf`;
// Words of demo/samples/clean-invoice.pdf (its text layer), found nowhere in docket or its tests.
const documentWords = ['Northwind', 'Harbour', 'Bristol'];
// The field name of a raw signal that bypasses the clients: ~600 KB.
const signalName = 'Vexillologist-Quince-'.repeat(30_000);

const needles = [
  person,
  'Quackenbush',
  fileName,
  reviewedKey,
  eventFileName,
  eventKey,
  goneFileName,
  missingFileName,
  'Pemberton',
  'Vexillologist',
  ...documentWords,
];

/** Lines written to a pino logger, kept in memory. */
function memoryLogger(service: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug', base: { service } }, stream) };
}

const api = memoryLogger('docket-api');
const starterLog = memoryLogger('docket-s3-event-starter');
let docket: DocketClient;
let app: FastifyInstance;
let baseUrl: string;
let worker: WorkerProcess;
let starter: S3EventStarter;
let profilesDir: string;
let queueUrl: string;
const workflowIds: string[] = [];

beforeAll(async () => {
  await suite.setUp();
  Object.assign(process.env, stackEnv(suite.stack));
  profilesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-names-'));
  const profilesFile = path.join(profilesDir, 'profiles.json');
  const output = { bucket: suite.resources.outputBucket, kmsKeyId: suite.resources.kmsAlias };
  fs.writeFileSync(
    profilesFile,
    JSON.stringify({
      // A field the invoice does not have: the document waits for a person.
      'names-review': {
        textract: { api: 'ANALYSIS', features: ['FORMS'] },
        defaultThreshold: 0,
        requiredFields: ['Purchase order'],
        output,
      },
      'names-clean': { textract: { api: 'TEXT_DETECTION' }, defaultThreshold: 0, output },
    }),
  );
  docket = await DocketClient.connect(
    loadClientConfig({ ...process.env, DOCKET_PROFILES_FILE: profilesFile, DOCKET_TASK_QUEUE: taskQueue }),
  );
  const apiConfig = loadApiConfig(process.env);
  app = buildApi(docket, {
    defaultProfile: 'names-review',
    logger: api.logger,
    auth: apiAuthOptions(apiConfig.auth),
  });
  for (const user of ['sam', 'alice', 'olga'] as const) {
    tokens[user] = await fetchDevToken(suite.stack.auth.issuer, user);
  }
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const queue = `names-${run}`;
  queueUrl = (await suite.aws.sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
  const dlqUrl = (await suite.aws.sqs.send(new CreateQueueCommand({ QueueName: `${queue}-dlq` }))).QueueUrl!;
  starter = new S3EventStarter(
    suite.aws.sqs,
    docket,
    {
      queueUrl,
      deadLetterQueueUrl: dlqUrl,
      defaultProfile: 'names-clean',
      prefixProfiles: [],
      buckets: [bucket],
      waitSeconds: 1,
      batchSize: 10,
      visibilityTimeout: undefined,
    },
    starterLog.logger,
  );
  worker = await suite.spawnWorker(taskQueue, { DOCKET_LOG_LEVEL: 'debug' });
}, 180_000);

afterAll(async () => {
  await Promise.all(
    workflowIds.map((id) =>
      docket.temporal.workflow
        .getHandle(id)
        .terminate('names test done')
        .catch(() => undefined),
    ),
  );
  await app?.close();
  await docket?.close();
  await suite.tearDown();
  fs.rmSync(profilesDir, { recursive: true, force: true });
});

/** Development tokens from the stack's issuer: sam submits, alice reviews, olga reads status. */
const tokens: Record<'sam' | 'alice' | 'olga', string> = { sam: '', alice: '', olga: '' };

async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const user = method === 'GET' ? 'olga' : url === '/documents' ? 'sam' : 'alice';
  const authorization = `Bearer ${tokens[user]}`;
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    ...(payload === undefined
      ? { headers: { authorization } }
      : { body: JSON.stringify(payload), headers: { authorization, 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function statusOf(documentId: string): Promise<Record<string, unknown>> {
  return (await call('GET', `/documents/${documentId}`)).body;
}

/** An S3 ObjectCreated notification for an object, as S3 sends it to the queue. */
function s3Event(key: string, eTag: string): string {
  return JSON.stringify({
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: {
          bucket: { name: bucket },
          object: { key: encodeURIComponent(key).replace(/%20/g, '+'), eTag },
        },
      },
    ],
  });
}

/** Every string in a workflow's history, payload bytes as latin1 (encrypted: they never match). */
async function historyText(workflowId: string): Promise<string> {
  const handle = docket.temporal.workflow.getHandle(workflowId);
  const history = await handle.fetchHistory();
  const described = await handle.describe();
  const replacer = (_k: string, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v;
  return JSON.stringify({ history, raw: described.raw }, replacer);
}

test('a document reviewed through the API with oversized input succeeds, and no name reaches a log, id or history', async () => {
  // 1. Started through the API without an id: the id is opaque.
  const clean = fs.readFileSync(path.join(__dirname, '..', '..', 'demo', 'samples', 'clean-invoice.pdf'));
  await suite.upload(reviewedKey, uniqueBytes(clean));
  const started = await call('POST', '/documents', { source: `s3://${bucket}/${reviewedKey}` });
  expect(started.status).toBe(202);
  const documentId = String(started.body.documentId);
  expect(documentId).toMatch(/^doc-[0-9a-f]{24}$/);
  workflowIds.push(documentWorkflowId(documentId));
  await eventually('AWAITING_REVIEW', async () =>
    (await statusOf(documentId)).status === 'AWAITING_REVIEW' ? true : undefined,
  );

  // 2. Two 900 KB corrections: refused with a 4xx naming the limit, before anything reaches Temporal.
  const big = 'x'.repeat(900 * 1024);
  for (const field of ['Purchase order', 'Invoice Number:']) {
    const refused = await call('POST', `/documents/${documentId}/review`, {
      action: 'correct',
      reviewer: 'rita',
      fields: { [field]: big },
    });
    expect(refused).toMatchObject({
      status: 413,
      body: { message: "request body is larger than the API's limit of 262144 bytes" },
    });
  }
  // Under the body limit but over a value's: 400 naming the limit (never the field name).
  const long = await call('POST', `/documents/${documentId}/review`, {
    action: 'correct',
    reviewer: 'rita',
    fields: { [person]: 'y'.repeat(reviewLimits.valueLength + 1) },
  });
  expect(long.status).toBe(400);
  expect(long.body.message).toContain(`must NOT have more than ${reviewLimits.valueLength} characters`);
  expect(String(long.body.message)).not.toContain(person);
  const longKey = await call('POST', `/documents/${documentId}/review`, {
    action: 'correct',
    reviewer: 'rita',
    fields: { [`${person} `.repeat(20)]: '1' },
  });
  expect(longKey.status).toBe(400);
  expect(longKey.body.message).toContain(
    `body/fields must NOT have more than ${reviewLimits.fieldKeyLength} characters`,
  );
  expect(String(longKey.body.message)).not.toContain('Quackenbush');
  // An unknown field through the client: the caller is told which, the worker's log is not.
  const unknown = await docket
    .review(documentId, { action: 'correct', reviewer: 'rita', fields: { [person]: '1' } })
    .catch((err: unknown) => err);
  expect((unknown as Error).message).toBe(`review refused: fields.${person} is not a field of this document`);
  // The same through the client, as the CLI and other callers use it: the update's validator refuses.
  const viaClient = await docket
    .review(documentId, { action: 'correct', reviewer: 'rita', fields: { 'Purchase order': big } })
    .catch((err: unknown) => err);
  expect(viaClient).toBeInstanceOf(RequestError);
  expect((viaClient as Error).message).toBe(
    `review refused: a field value is longer than ${reviewLimits.valueLength} characters`,
  );

  // 3. Raw signals bypassing every client: a 600 KB field name and a 900 KB value are ignored, counted.
  const raw = docket.temporal.workflow.getHandle(documentWorkflowId(documentId));
  await raw.signal('correct', { reviewer: 'mallory', fields: { [signalName]: '1' } });
  await raw.signal('correct', { reviewer: 'mallory', fields: { 'Purchase order': big } });
  const state = await eventually('both signals ignored', async () => {
    const s = await raw.query(statusQuery);
    return s.ignoredCount === 2 ? s : undefined;
  });
  expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
  expect(state.reviewActions).toEqual([]);
  expect(JSON.stringify(state).length).toBeLessThan(20_000);

  // 4. Still reviewable: a correction within the limits, then approve; a second approval is a 409.
  expect(
    (
      await call('POST', `/documents/${documentId}/review`, {
        action: 'correct',
        reviewer: 'rita',
        fields: { 'Purchase order': 'PO-77' },
      })
    ).status,
  ).toBe(200);
  expect(
    (await call('POST', `/documents/${documentId}/review`, { action: 'approve', reviewer: 'rita' })).status,
  ).toBe(200);
  const second = await call('POST', `/documents/${documentId}/review`, {
    action: 'approve',
    reviewer: 'bob',
  });
  expect(second.status).toBe(409);
  expect(second.body.message).toMatch(
    new RegExp(`^document ${documentId} is (PROCESSING|SUCCEEDED), not awaiting review$`),
  );
  const done = await eventually('SUCCEEDED', async () => {
    const s = await raw.query(statusQuery);
    return s.status === DocumentStatus.SUCCEEDED || s.status === DocumentStatus.FAILED ? s : undefined;
  });
  expect(done.status).toBe(DocumentStatus.SUCCEEDED);
  expect(done.transitions.map((t) => t.status)).toEqual([
    'RECEIVED',
    'PROCESSING',
    'AWAITING_REVIEW',
    'PROCESSING',
    'SUCCEEDED',
  ]);
  // The key travels inside the encrypted output, where the consumer needs it.
  const output = await suite.readOutput(done.output!, documentId);
  expect(JSON.stringify(output)).toContain(reviewedKey);

  // 5. Through the S3-event starter: one object that exists (it succeeds), one that is gone.
  const uploaded = await suite.aws.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: eventKey,
      Body: uniqueBytes(clean),
    }),
  );
  const eTag = uploaded.ETag!.replace(/"/g, '');
  const eventId = eventDocumentId({ bucket, key: eventKey, eTag });
  expect(eventId).toMatch(/^doc-[0-9a-f]{24}$/);
  workflowIds.push(documentWorkflowId(eventId));
  // The API's object too: its event derives the same id, so it joins the document the API started.
  const reviewedHead = await suite.aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: reviewedKey }));
  const events = [
    s3Event(eventKey, eTag),
    s3Event(`payroll/${goneFileName}`, 'abc'),
    s3Event(reviewedKey, reviewedHead.ETag!.replace(/"/g, '')),
  ];
  for (const body of events) {
    await suite.aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }
  const outcomes: MessageOutcome[] = [];
  await eventually('the events handled', async () => {
    outcomes.push(...(await starter.pollOnce()));
    return outcomes.length >= events.length ? true : undefined;
  });
  const fromEvents = outcomes.flatMap((o) => (o.outcome === 'started' ? o.documents : []));
  expect(fromEvents).toEqual(
    expect.arrayContaining([
      { documentId: eventId, started: true },
      { documentId, started: false },
    ]),
  );
  expect(outcomes.filter((o) => o.outcome === 'dead-lettered')).toHaveLength(1);
  const eventDone = await eventually('the event document finished', async () => {
    const s = await docket.status(eventId);
    return s.status === DocumentStatus.SUCCEEDED || s.status === DocumentStatus.FAILED ? s : undefined;
  });
  expect(eventDone.status).toBe(DocumentStatus.SUCCEEDED);

  // 6. A missing object inside the workflow: the failure in the history names the bucket, not the key.
  const missingId = `names-missing-${run}`;
  const missing = await suite.start(taskQueue, {
    documentId: missingId,
    source: { bucket, key: `patients/${missingFileName}` },
    profile: suite.profile(),
  });
  workflowIds.push(missing.workflowId);
  await expect(missing.result()).rejects.toThrow();
  const failed = await docket.status(missingId);
  expect(failed.failure).toMatchObject({ type: FailureType.DOCUMENT_NOT_FOUND });
  expect(failed.failure?.message).toBe(
    `the source object in bucket ${bucket} does not exist: check the bucket, the key and the version`,
  );

  // 7. Histories (workflow ids, search attributes, summaries, details, failures) and every log.
  const workerLog = worker.log();
  const sources: Record<string, string> = {
    worker: workerLog,
    api: api.lines.join('\n'),
    starter: starterLog.lines.join('\n'),
  };
  const logDir = path.join(suite.stack.dataDir, 'logs');
  for (const file of ['textract.log', 'temporal.log']) {
    sources[file] = fs.readFileSync(path.join(logDir, file), 'utf8');
  }
  for (const id of workflowIds) sources[`history of ${id}`] = await historyText(id);
  // Each source saw this run, so finding nothing means something.
  expect(sources.worker).toContain('review message ignored');
  expect(sources.worker).toContain(documentId);
  expect(sources.api).toContain(documentId);
  expect(sources.starter).toContain(eventId);
  expect(sources['textract.log']).toContain(documentId);
  const leaks = Object.entries(sources).flatMap(([where, text]) =>
    needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n.slice(0, 60)}`),
  );
  expect(leaks).toEqual([]);
  // A flood of big signals writes no big log lines.
  const ignoredLines = workerLog.split('\n').filter((l) => l.includes('review message ignored'));
  expect(ignoredLines).toHaveLength(2);
  // Each is one JSON line of ~400 bytes (ids, the message name, the problem naming the limit).
  for (const line of ignoredLines) expect(line.length).toBeLessThan(500);
  // The longest line of the whole log is the SDK's "Creating worker" options dump (~2.5 KB).
  const longest = Math.max(...workerLog.split('\n').map((l) => l.length));
  expect(longest).toBeLessThan(4_000);
});
