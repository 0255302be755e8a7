// Completion by notification through the real stack: the worker process starts jobs with a
// NotificationChannel, the local Textract publishes to SNS, moto delivers to SQS, the worker's listener
// signals the document. A dropped notification is covered by the fallback check; a duplicated one
// changes nothing. The histories replay.
import { randomBytes, randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DocumentStatus, statusQuery } from '../../lib/contract';
import { resultsPrefix } from '../../lib/extraction';
import { quotaStateQuery, textractQuotaWorkflowId } from '../../lib/quota';
import { LifecycleSuite, type DocumentHandle, type WorkerProcess } from '../support/lifecycle';

const suite = new LifecycleSuite('notify');
/** Fallback checks far beyond the test's timeout: only a notification can finish the document. */
const noFallback = { DOCKET_TEXTRACT_FIRST_CHECK_MS: '600000', DOCKET_TEXTRACT_CHECK_INTERVAL_MS: '600000' };
/** A fallback check soon after the job ends: covers a lost notification. */
const quickFallback = { DOCKET_TEXTRACT_FIRST_CHECK_MS: '4000', DOCKET_TEXTRACT_CHECK_INTERVAL_MS: '2000' };
const run = randomUUID();
const queues = { notified: `e2e-notify-${run}`, fallback: `e2e-notify-fallback-${run}` };
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  await suite.setUp();
  await suite.setDocumentRules([
    { match: `*${run}/plain-*.pdf`, jobMs: 2_000, synthetic: { pages: 2 } },
    { match: `*${run}/dropped-*.pdf`, jobMs: 2_000, synthetic: { pages: 2 }, notification: 'drop' },
    { match: `*${run}/twice-*.pdf`, jobMs: 2_000, synthetic: { pages: 3 }, notification: 'duplicate' },
    // Outlasts the first fallback checks: collection finds it still running, then finished.
    { match: `*${run}/slow-*.pdf`, jobMs: 9_000, synthetic: { pages: 2 }, notification: 'drop' },
  ]);
  workers.push(await suite.spawnWorker(queues.notified, noFallback));
  workers.push(await suite.spawnWorker(queues.fallback, quickFallback));
}, 240_000);
afterAll(() => suite.tearDown());

type Event = temporal.api.history.v1.IHistoryEvent;

/** The activity type of a local activity's marker (core records it as plain JSON in `data`). */
function localActivityType(e: Event): string[] {
  const attrs = e.markerRecordedEventAttributes;
  if (attrs?.markerName !== 'core_local_activity') return [];
  const data = attrs.details?.data?.payloads?.[0]?.data;
  if (!data) return [];
  const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string };
  return parsed.activity_type ? [parsed.activity_type] : [];
}

/** Activity types run (scheduled, or local in a marker), in order, and the signals received. */
async function historyOf(handle: DocumentHandle): Promise<{ activities: string[]; signals: string[] }> {
  const events: Event[] = (await handle.fetchHistory()).events ?? [];
  return {
    activities: events.flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes?.activityType?.name;
      return scheduled ? [scheduled] : localActivityType(e);
    }),
    signals: events.flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []),
  };
}

async function startDocument(kind: 'plain' | 'dropped' | 'twice' | 'slow', taskQueue: string) {
  const name = `${kind}-${randomUUID().slice(0, 8)}`;
  const source = await suite.upload(
    `e2e/${run}/${name}.pdf`,
    Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(512)]),
  );
  return suite.start(taskQueue, { documentId: `e2e-notify-${name}`, source, profile: suite.profile() });
}

function withOutput<T>(body: () => Promise<T>): Promise<T> {
  return body().catch((err: unknown) => {
    throw new Error(`${String(err)}\nworker output:\n${workers.map((w) => w.output()).join('\n---\n')}`);
  });
}

test('a document completes by notification: one collection confirms the end, no polling activity', async () => {
  const handle = await startDocument('plain', queues.notified);
  const result = await withOutput(() => handle.result());
  expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: 2 });
  const { activities, signals } = await historyOf(handle);
  expect(signals).toContain('textractCompleted');
  expect(activities).not.toContain('waitForTextractJob');
  // The notification said "look now": collection's first page confirmed the end, no check before it.
  expect(activities.filter((a) => a === 'collectFinishedTextractResults')).toHaveLength(1);
  expect(activities).not.toContain('checkTextractJob'); // local activities are read off their markers
  // The output, the claim and the record in one activity: no closing local activities.
  expect(activities.slice(-1)).toEqual(['writeOutputAndRecord']);
  expect(activities).not.toContain('completeClaim');
  const output = await suite.readOutput(result.output!, result.documentId, result.checksum);
  expect(output.textract?.pages).toBe(2);
  // The listener gave the lease back as the message arrived; collection released nothing itself.
  const quota = await suite.client.workflow
    .getHandle(textractQuotaWorkflowId(queues.notified))
    .fetchHistory();
  const received = (quota.events ?? []).flatMap(
    (e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? [],
  );
  expect(received).toContain('textractJobEnded');
  expect(received).not.toContain('releaseTextractLease');
  const state = await suite.client.workflow
    .getHandle(textractQuotaWorkflowId(queues.notified))
    .query(quotaStateQuery);
  expect(state.holders.map((h) => h.workflowId)).not.toContain(handle.workflowId);
}, 120_000);

test('a lost notification is covered by the fallback check', async () => {
  const handle = await startDocument('dropped', queues.fallback);
  const result = await withOutput(() => handle.result());
  expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: 2 });
  const { activities, signals } = await historyOf(handle);
  expect(signals).not.toContain('textractCompleted');
  expect(activities).not.toContain('waitForTextractJob');
  expect(activities).not.toContain('checkTextractJob');
  // The fallback check's timer fired and collection found the job over (or looked again later).
  expect(activities.filter((a) => a === 'collectFinishedTextractResults').length).toBeGreaterThanOrEqual(1);
  expect(activities.filter((a) => a === 'writeOutputAndRecord')).toHaveLength(1);
}, 120_000);

test('collection that finds the job still running writes nothing, keeps the lease and looks again', async () => {
  const handle = await startDocument('slow', queues.fallback);
  const result = await withOutput(() => handle.result());
  expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: 2 });
  const { activities } = await historyOf(handle);
  // Checks at 4 s, then every 2 s, for a 9 s job: at least two looks found it running.
  expect(activities.filter((a) => a === 'collectFinishedTextractResults').length).toBeGreaterThanOrEqual(3);
  expect(activities).not.toContain('checkTextractJob');
  // The looks that found it running wrote nothing: one raw and one normalized part, from the last look.
  const state = await handle.query(statusQuery);
  const listed = await suite.aws.s3.send(
    new ListObjectsV2Command({
      Bucket: suite.resources.resultsBucket,
      Prefix: `${resultsPrefix(result.documentId, state.textractJobId!)}/`,
    }),
  );
  expect((listed.Contents ?? []).map((o) => o.Key!.split('/').slice(-2).join('/')).sort()).toEqual([
    'normalized/00001.json',
    'raw/00001.json',
  ]);
  const output = await suite.readOutput(result.output!, result.documentId, result.checksum);
  expect(output.textract?.pages).toBe(2);
  expect(output.pages).toHaveLength(2);
  // The lease went back once the job was over.
  const quota = await suite.client.workflow
    .getHandle(textractQuotaWorkflowId(queues.fallback))
    .query(quotaStateQuery);
  expect(quota.holders.map((h) => h.workflowId)).not.toContain(handle.workflowId);
}, 120_000);

test('a duplicated notification changes nothing: one job, one collection, one output', async () => {
  const handle = await startDocument('twice', queues.notified);
  const result = await withOutput(() => handle.result());
  expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: 3 });
  const { activities } = await historyOf(handle);
  expect(activities.filter((a) => a === 'collectFinishedTextractResults')).toHaveLength(1);
  expect(activities.filter((a) => a === 'writeOutputAndRecord')).toHaveLength(1);
  expect(await suite.textractJobs(result.checksum!)).toHaveLength(1);
  const output = await suite.readOutput(result.output!, result.documentId, result.checksum);
  expect(output.textract?.pages).toBe(3);
  // The second copy reaches the workflow (another worker's listener) or is dropped as a duplicate:
  // either way the document stays SUCCEEDED.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await expect(handle.describe()).resolves.toMatchObject({ status: { name: 'COMPLETED' } });
}, 120_000);

test('every workflow this suite ran replays deterministically', async () => {
  await expect(suite.replayAll()).resolves.toEqual([]);
}, 60_000);
