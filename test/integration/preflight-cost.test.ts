// Pre-flight and cost through the real stack: an oversized local file is refused by the CLI before
// anything is uploaded; too many pages and a cost cap fail a document before any Textract job; a
// document's cost shows in status, in its output and in `docket cost`, summing pages × the configured
// prices; two worker processes on one host (metrics on port 0) share the work.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { stackEnv } from '@docket/local/stack/stack';
import {
  type DocumentResult,
  DocumentStatus,
  FailurePhase,
  FailureType,
  statusQuery,
} from '../../lib/contract';
import type { CostReport } from '../../clients/cost-report';
import { defaultPrices } from '../../lib/pricing';
import { runDocket } from '../support/docket-cli';
import { LifecycleSuite } from '../support/lifecycle';
import { metric } from '../support/prometheus';
import { pagedPdf, pagedTiff } from '../support/paged-documents';

const suite = new LifecycleSuite('preflight-cost');

beforeAll(() => suite.setUp(), 120_000);
afterAll(() => suite.tearDown());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const randomPdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(512)]);

type Event = temporal.api.history.v1.IHistoryEvent;

/**
 * The Temporal Cloud actions a notified, leased document is billed, counted from its history up to
 * the output activity (what workflows/actions.ts counts): its start, activities and local activities
 * (markers; patch markers are not billed), timers, signals sent and received, and accepted updates;
 * and its own search-attribute upserts, the final one after the output included (not the SDK's
 * TemporalChangeVersion ones). Signals received after the output are not in its cost. Two more land
 * in the quota workflow's history: the lease's release, and the signalWithStart of a lease request
 * whose signal found no quota workflow yet (one per failed signal).
 */
function billedUntilOutput(events: Event[]): number {
  const output = events.findIndex((e) =>
    ['writeOutputAndRecord', 'writeDocumentOutput'].includes(
      e.activityTaskScheduledEventAttributes?.activityType?.name ?? '',
    ),
  );
  expect(output).toBeGreaterThan(0);
  const own = (e: Event) =>
    Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some(
      (f) => f !== 'TemporalChangeVersion',
    );
  let billed = 1 + events.filter(own).length; // the release, and the upserts
  for (const e of events.slice(0, output + 1)) {
    if (
      e.workflowExecutionStartedEventAttributes ||
      e.activityTaskScheduledEventAttributes ||
      (e.markerRecordedEventAttributes && e.markerRecordedEventAttributes.markerName !== 'core_patch') ||
      e.timerStartedEventAttributes ||
      e.signalExternalWorkflowExecutionInitiatedEventAttributes ||
      e.workflowExecutionSignaledEventAttributes ||
      e.workflowExecutionUpdateAcceptedEventAttributes
    )
      billed += 1;
    if (e.signalExternalWorkflowExecutionFailedEventAttributes) billed += 1;
  }
  return billed;
}

/** The failure a document ended with (its result rides in the workflow failure's details). */
async function failureOf(handle: { result(): Promise<unknown> }) {
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e as { cause?: { type?: string; details?: unknown[] } },
  );
  return (err?.cause?.details?.[0] as DocumentResult | undefined)?.failure;
}

test('the CLI refuses a file over Textract’s size limit before hashing or uploading it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-preflight-'));
  const name = `big-${randomUUID()}.png`;
  const file = path.join(dir, name);
  // A PNG signature, then a sparse 11 MB: over the 10 MB limit for images, nothing on disk to speak of.
  fs.writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  fs.truncateSync(file, 11 * 1024 * 1024);
  try {
    const run = await runDocket(['start', file], {
      ...process.env,
      ...stackEnv(suite.stack),
      DOCKET_TASK_QUEUE: `preflight-${randomUUID()}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DocumentTooLarge: .*image\/png \(10 MB\); nothing was uploaded/);
    const uploaded = await suite.listKeys(suite.resources.inputBucket, 'uploads/');
    expect(uploaded.filter((k) => k.endsWith(`/${name}`))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('too many pages (PDF and TIFF) and a cost cap fail before any Textract job is started', async () => {
  const run = randomUUID();
  await suite.withWorker(async (taskQueue) => {
    const refuse = async (name: string, bytes: Buffer, overrides: Parameters<typeof suite.profile>[0]) => {
      const handle = await suite.start(taskQueue, {
        documentId: `e2e-preflight-${name}-${run}`,
        source: await suite.upload(`e2e/${run}/${name}`, bytes),
        profile: suite.profile(overrides),
      });
      return { failure: await failureOf(handle), jobs: await suite.textractJobs(sha256(bytes)) };
    };
    const pdf = await refuse('long.pdf', pagedPdf(5), { maxPages: 3 });
    expect(pdf.failure).toMatchObject({ type: FailureType.TOO_MANY_PAGES, phase: FailurePhase.CHECKSUM });
    expect(pdf.failure?.message).toContain("has 5 pages; the profile's maxPages is 3");
    expect(pdf.jobs).toEqual([]);

    const tiff = await refuse('long.tiff', pagedTiff(4), { maxPages: 2 });
    expect(tiff.failure).toMatchObject({ type: FailureType.TOO_MANY_PAGES, phase: FailurePhase.CHECKSUM });
    expect(tiff.jobs).toEqual([]);

    // FORMS costs 0.05 USD a page by default: 4 pages are 0.20 USD, over a 0.10 USD cap.
    const dear = await refuse('dear.pdf', pagedPdf(4), { maxCostPerDocument: 0.1 });
    expect(dear.failure).toMatchObject({
      type: FailureType.COST_LIMIT_EXCEEDED,
      phase: FailurePhase.TEXTRACT_START,
    });
    expect(dear.failure?.message).toContain(`${4 * defaultPrices.textract.analyzeDocument.FORMS} USD`);
    expect(dear.jobs).toEqual([]);
  });
}, 120_000);

test('two worker processes share the work; costs show in status, outputs and docket cost', async () => {
  const run = randomUUID();
  const since = new Date(Date.now() - 1000).toISOString();
  const taskQueue = `e2e-cost-${run}`;
  const profileName = `cost-${run.slice(0, 8)}`;
  const formsPrice = 0.07; // configured through DOCKET_PRICES, not the default 0.05
  const pagesOf = [2, 3, 5, 1, 4, 2];
  await suite.setDocumentRules(
    pagesOf.map((pages, i) => ({ match: `*${run}/doc-${i}.pdf`, jobMs: 300, synthetic: { pages } })),
  );
  const workerEnv = {
    DOCKET_METRICS_ADDRESS: '127.0.0.1:0',
    // One activity at a time each: neither worker can take every document by itself.
    DOCKET_MAX_CONCURRENT_ACTIVITIES: '1',
    DOCKET_PRICES: JSON.stringify({ textract: { analyzeDocument: { FORMS: formsPrice } } }),
  };
  const workers = [
    await suite.spawnWorker(taskQueue, workerEnv),
    await suite.spawnWorker(taskQueue, workerEnv),
  ];
  try {
    const handles = await Promise.all(
      pagesOf.map(async (_, i) =>
        suite.start(taskQueue, {
          documentId: `e2e-cost-${i}-${run}`,
          source: await suite.upload(`e2e/${run}/doc-${i}.pdf`, randomPdf()),
          profile: suite.profile({ name: profileName }),
        }),
      ),
    );
    const results = await Promise.all(handles.map((h) => h.result()));
    for (const [i, result] of results.entries()) {
      expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, pages: pagesOf[i] });
      const cost = result.cost!;
      expect(cost.textract.usd).toBeCloseTo(pagesOf[i]! * formsPrice, 6);
      // Every billed action is counted: what its history shows up to the output write (when the cost
      // is taken), and the two signals that land in the quota workflow's history instead.
      const billed = billedUntilOutput((await handles[i]!.fetchHistory()).events ?? []);
      expect(cost.temporal.actions).toBe(billed);
      expect(cost.kms.requests).toBeGreaterThan(0);
      // The same cost in the status query and in the output document.
      expect((await handles[i]!.query(statusQuery)).cost).toEqual(cost);
      expect((await suite.readOutput(result.output!, result.documentId)).cost).toEqual(cost);
    }

    // Both workers took documents, each printed its own metrics address.
    for (const w of workers) expect(w.log()).toContain('document checksummed');
    const addresses = workers.map(
      (w) => /"metrics":"(http:\/\/127\.0\.0\.1:\d+\/metrics)"/.exec(w.log())?.[1],
    );
    expect(new Set(addresses).size).toBe(2);
    // docket_document_cost_usd (a histogram per profile): the two endpoints together saw every document.
    let counted = 0;
    let summed = 0;
    for (const url of addresses) {
      const text = await (await fetch(url!)).text();
      counted += metric(text, 'docket_document_cost_usd_count', { profile: profileName }) ?? 0;
      summed += metric(text, 'docket_document_cost_usd_sum', { profile: profileName }) ?? 0;
    }
    expect(counted).toBe(pagesOf.length);
    expect(summed).toBeCloseTo(
      results.reduce((sum, r) => sum + r.cost!.total, 0),
      6,
    );

    const cli = (args: string[]) =>
      runDocket(args, { ...process.env, ...stackEnv(suite.stack), DOCKET_TASK_QUEUE: taskQueue });
    const status = await cli(['status', results[0]!.documentId]);
    expect(status.stdout).toContain(`cost         $${results[0]!.cost!.total.toFixed(6)}`);

    const report = await cli(['cost', '--profile', profileName, '--since', since, '--json']);
    expect(report.code).toBe(0);
    const sums = JSON.parse(report.stdout) as CostReport;
    const human = await cli(['cost', '--profile', profileName, '--since', since]);
    expect(human.stdout).toContain(
      `total $${sums.totalUsd.toFixed(6)} USD for ${pagesOf.length} document(s)`,
    );
    console.log(`docket cost for ${pagesOf.length} documents, ${pagesOf.join('+')} pages:\n${human.stdout}`);
    const totalPages = pagesOf.reduce((a, b) => a + b, 0);
    expect(sums.profiles).toHaveLength(1);
    expect(sums.profiles[0]).toMatchObject({
      profile: profileName,
      documents: pagesOf.length,
      pages: totalPages,
    });
    expect(sums.profiles[0]!.textractUsd).toBeCloseTo(totalPages * formsPrice, 6);
    expect(sums.totalUsd).toBeCloseTo(
      results.reduce((sum, r) => sum + r.cost!.total, 0),
      6,
    );
  } catch (err) {
    throw new Error(`${String(err)}\nworker output:\n${workers.map((w) => w.output()).join('\n---\n')}`);
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await suite.setDocumentRules([]);
  }
}, 240_000);

test('every workflow of the suite replays', async () => {
  expect(await suite.replayAll()).toEqual([]);
}, 120_000);
