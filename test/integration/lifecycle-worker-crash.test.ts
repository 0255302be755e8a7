// A worker process killed with SIGKILL while one document polls its Textract job and another collects
// a long result: a new worker finishes both from their heartbeats, with one Textract job each and no
// page missing. The histories replay deterministically.
import { randomBytes, randomUUID } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { temporal } from '@temporalio/proto';
import { partKey, resultsPrefix } from '../../lib/extraction';
import { DocumentStatus, statusQuery } from '../../lib/contract';
import { eventually, LifecycleSuite, pollingOnlyEnv, type DocumentHandle } from '../support/lifecycle';

const suite = new LifecycleSuite('crash');

beforeAll(() => suite.setUp(), 120_000);
afterAll(() => suite.tearDown());

/** 100 synthetic pages of 496 blocks: 50 Get* pages to collect. */
const collectPages = 100;
const collectParts = Math.ceil((collectPages * 496) / 1000);

/** Highest attempt at which each activity type started (the started event of its last attempt). */
function attempts(events: temporal.api.history.v1.IHistoryEvent[]): Map<string, number> {
  const types = new Map<number, string>();
  const out = new Map<string, number>();
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) types.set(Number(e.eventId), scheduled.activityType?.name ?? '');
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const type = types.get(Number(started.scheduledEventId)) ?? '';
      out.set(type, Math.max(out.get(type) ?? 0, started.attempt ?? 1));
    }
  }
  return out;
}

async function normalizedPageNumbers(documentId: string, jobId: string, parts: number): Promise<number[]> {
  const pages: number[] = [];
  for (let part = 1; part <= parts; part++) {
    const key = partKey(resultsPrefix(documentId, jobId), 'normalized', part);
    const res = await suite.aws.s3.send(
      new GetObjectCommand({ Bucket: suite.resources.resultsBucket, Key: key }),
    );
    const body = JSON.parse(await res.Body!.transformToString()) as { pages: { page: number }[] };
    pages.push(...body.pages.map((p) => p.page));
  }
  return pages;
}

test('SIGKILL during the poll and during collection: a new worker finishes both, one job each, no page lost', async () => {
  const run = randomUUID();
  await suite.setDocumentRules([
    { match: `*${run}/poll.pdf`, jobMs: 12_000, synthetic: { pages: 2 } },
    { match: `*${run}/collect.pdf`, jobMs: 500, synthetic: { pages: collectPages } },
  ]);
  const profile = suite.profile({ heartbeatTimeout: '3 seconds' });
  const doc = async (name: 'poll' | 'collect') => ({
    documentId: `e2e-crash-${name}-${run}`,
    source: await suite.upload(
      `e2e/${run}/${name}.pdf`,
      Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(512)]),
    ),
    profile,
  });
  const inputs = { poll: await doc('poll'), collect: await doc('collect') };
  const taskQueue = `e2e-crash-${run}`;

  // The kill must hit the heartbeating poll: this worker polls (no NotificationChannel).
  const worker = await suite.spawnWorker(taskQueue, pollingOnlyEnv);
  const polling = await suite.start(taskQueue, inputs.poll);
  const collecting = await suite.start(taskQueue, inputs.collect);
  const jobIdOf = (h: DocumentHandle) => h.query(statusQuery).then((s) => s.textractJobId);
  try {
    // Kill once the second document has written a few result parts while the first still polls.
    const collectJob = await eventually('the collection to be under way', async () => {
      const jobId = await jobIdOf(collecting);
      if (!jobId) return undefined;
      const raw = await suite.listKeys(
        suite.resources.resultsBucket,
        `${resultsPrefix(inputs.collect.documentId, jobId)}/raw/`,
      );
      return raw.length >= 3 ? jobId : undefined;
    });
    const state = await polling.query(statusQuery);
    expect(state.status).toBe(DocumentStatus.PROCESSING);
    expect(state.textractJobId).toBeDefined();
    expect(state.pages).toBeUndefined(); // its job is still running
    const partsBeforeKill = (
      await suite.listKeys(
        suite.resources.resultsBucket,
        `${resultsPrefix(inputs.collect.documentId, collectJob)}/raw/`,
      )
    ).length;
    expect(partsBeforeKill).toBeLessThan(collectParts);
  } catch (err) {
    throw new Error(`${String(err)}\nworker output:\n${worker.output()}`);
  } finally {
    await worker.kill();
  }

  await suite.withWorker(async () => {
    const [polled, collected] = await Promise.all([polling.result(), collecting.result()]);
    expect(polled).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: 2 });
    expect(collected).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: collectPages });

    for (const [handle, result] of [
      [polling, polled],
      [collecting, collected],
    ] as const) {
      expect(await suite.textractJobs(result.checksum!)).toHaveLength(1);
      const doc = await suite.readOutput(result.output!, result.documentId, result.checksum);
      expect(doc.textract?.pages).toBe(result.pages);
      // The kill hit the activity it was meant to: the new worker ran a second attempt of it.
      const tries = attempts((await handle.fetchHistory()).events ?? []);
      expect(tries.get(handle === polling ? 'waitForTextractJob' : 'collectTextractResults')).toBeGreaterThan(
        1,
      );
      expect(tries.get('startTextractJob')).toBe(1);
    }
    const jobId = (await collecting.query(statusQuery)).textractJobId!;
    const pages = await normalizedPageNumbers(inputs.collect.documentId, jobId, collectParts);
    expect(pages).toEqual(Array.from({ length: collectPages }, (_, i) => i + 1));
  }, taskQueue);

  await expect(suite.replayAll()).resolves.toEqual([]);
});
