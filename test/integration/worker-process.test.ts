// The worker process as operators run it: its Prometheus endpoint carries docket's own metrics, and
// SIGTERM in the middle of a document loses nothing — the worker drains, exits 0, and a restarted
// worker finishes the document with the one Textract job it already started.
import { randomBytes, randomUUID } from 'node:crypto';
import { freePort } from '@docket/local/stack/ports';
import { DocumentStatus, rejectSignal, statusQuery } from '../../lib/contract';
import { eventually, LifecycleSuite } from '../support/lifecycle';
import { metric } from '../support/prometheus';

const suite = new LifecycleSuite('worker-process');

beforeAll(() => suite.setUp(), 120_000);
afterAll(() => suite.tearDown());

const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(512)]);

test('the metrics endpoint counts documents, pages, Textract calls and throttles, and the review queue', async () => {
  const run = randomUUID();
  const taskQueue = `e2e-metrics-${run}`;
  const port = await freePort('127.0.0.1');
  // Half the Textract requests throttled: the SDK and the activities slow down and still finish. With
  // notifications a document makes only ~4 calls, so chance alone may throttle none: Get* is also held
  // to 1 per second, which the completion check and collection's pages, a fraction of a second apart,
  // always exceed.
  await suite.setFaults({
    throttleRate: 0.5,
    tps: { GetDocumentAnalysis: 1 },
    documents: [{ match: `*${run}/*`, jobMs: 500, synthetic: { pages: 3 } }],
  });
  const worker = await suite.spawnWorker(taskQueue, {
    DOCKET_METRICS_ADDRESS: `127.0.0.1:${port}`,
    DOCKET_REVIEW_QUEUE_INTERVAL_MS: '300',
  });
  const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  try {
    const clean = await suite.start(taskQueue, {
      documentId: `e2e-metrics-clean-${run}`,
      source: await suite.upload(`e2e/${run}/clean.pdf`, pdf()),
      profile: suite.profile(),
    });
    expect(await clean.result()).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: 3 });
    await suite.setFaults({ documents: [{ match: `*${run}/*`, jobMs: 200, synthetic: { pages: 1 } }] });
    // A required field the document lacks: it waits for review and the queue gauge sees it.
    const review = await suite.start(taskQueue, {
      documentId: `e2e-metrics-review-${run}`,
      source: await suite.upload(`e2e/${run}/review.pdf`, pdf()),
      profile: suite.profile({ requiredFields: ['Purchase order'] }),
    });
    await eventually('the document to wait for review', async () =>
      (await review.query(statusQuery)).status === DocumentStatus.AWAITING_REVIEW ? true : undefined,
    );
    const text = await eventually('the review queue gauge to count it', async () => {
      const t = await scrape();
      return (metric(t, 'docket_review_queue_size', {}) ?? 0) >= 1 ? t : undefined;
    });
    const profile = `e2e-${suite.suite}`;
    expect(metric(text, 'docket_documents_finished', { status: 'SUCCEEDED', profile })).toBe(1);
    expect(metric(text, 'docket_pages_processed', { status: 'SUCCEEDED', profile })).toBe(3);
    expect(
      metric(text, 'docket_textract_calls', { operation: 'StartDocumentAnalysis' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      metric(text, 'docket_textract_calls', { operation: 'GetDocumentAnalysis' }),
    ).toBeGreaterThanOrEqual(2);
    const throttled = ['StartDocumentAnalysis', 'GetDocumentAnalysis'].map(
      (operation) => metric(text, 'docket_textract_throttles', { operation }) ?? 0,
    );
    expect(throttled[0]! + throttled[1]!).toBeGreaterThan(0);
    // The SDK's own runtime metrics are on the same endpoint.
    expect(text).toMatch(/^temporal_worker_start\b|^temporal_\w+/m);

    await review.signal(rejectSignal, { reviewer: 'metrics-test', reason: 'test document' });
    await expect(review.result()).rejects.toMatchObject({ cause: { type: 'ReviewRejected' } });
    await eventually('a finished FAILED document to be counted', async () =>
      metric(await scrape(), 'docket_documents_finished', { status: 'FAILED', profile }) === 1
        ? true
        : undefined,
    );
  } catch (err) {
    throw new Error(`${String(err)}\nworker output:\n${worker.output()}`);
  } finally {
    await worker.kill();
    await suite.setFaults({});
  }
});

test('SIGTERM while a document polls its Textract job: the worker exits 0 and a new one finishes it', async () => {
  const run = randomUUID();
  const taskQueue = `e2e-sigterm-${run}`;
  await suite.setDocumentRules([{ match: `*${run}/slow.pdf`, jobMs: 8_000, synthetic: { pages: 2 } }]);
  const worker = await suite.spawnWorker(taskQueue, { DOCKET_SHUTDOWN_GRACE_MS: '2000' });
  const handle = await suite.start(taskQueue, {
    documentId: `e2e-sigterm-${run}`,
    source: await suite.upload(`e2e/${run}/slow.pdf`, pdf()),
    profile: suite.profile({ heartbeatTimeout: '3 seconds' }),
  });
  const jobId = await eventually('the Textract job to be started and polled', async () => {
    const state = await handle.query(statusQuery);
    return state.status === DocumentStatus.PROCESSING && state.textractJobId
      ? state.textractJobId
      : undefined;
  });
  const began = Date.now();
  const code = await worker.terminate();
  const stopMs = Date.now() - began;
  expect({ code, output: code === 0 ? '' : worker.output() }).toEqual({ code: 0, output: '' });
  expect(stopMs).toBeLessThan(30_000);
  expect(worker.output()).toContain('docket worker stopped');

  const [result, state] = await suite.withWorker(
    async () => [await handle.result(), await handle.query(statusQuery)] as const,
    taskQueue,
  );
  expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: 2 });
  expect(state.textractJobId).toBe(jobId);
  expect(await suite.textractJobs(result.checksum!)).toEqual([jobId]);
  await expect(suite.replayAll()).resolves.toEqual([]);
});
