// What-if routing over 50 finished documents on the real stack. The local Textract answers each with
// a synthetic result whose one form field has a confidence the test chose, so the documents cost no
// OCR; the expected changes are computed here from those confidences, not by docket's routing.
import { randomUUID } from 'node:crypto';
import { approveSignal, DocumentStatus, statusQuery } from '../../lib/contract';
import { pastDocumentIds, reroute } from '../../clients/reroute';
import type { ReprocessContext } from '../../clients/reprocess';
import { eventually, LifecycleSuite, type DocumentHandle } from '../support/lifecycle';

const suite = new LifecycleSuite('reroute');
let textract: { calls(): number };

beforeAll(async () => {
  await suite.setUp();
  textract = suite.countTextractCalls();
}, 120_000);
afterAll(() => suite.tearDown());

const count = 50;
/** Document i's field confidence: 50.5, 51.5, … 99.5. */
const confidence = (i: number) => 50.5 + i;
const oldThreshold = 60;
const newThreshold = 75;

async function reach(handle: DocumentHandle, status: DocumentStatus) {
  return eventually(
    `${handle.workflowId} ${status}`,
    async () => {
      const state = await handle.query(statusQuery);
      return state.status === status ? state : undefined;
    },
    120_000,
  );
}

test('dry run lists exactly the documents whose route changes, starting nothing; the real run reprocesses them', async () => {
  const run = randomUUID().slice(0, 8);
  const since = new Date(Date.now() - 1000);
  await suite.setDocumentRules(
    Array.from({ length: count }, (_, i) => ({
      match: `*/reroute-${run}/doc-${i}.pdf`,
      jobMs: 0,
      synthetic: { pages: 1, linesPerPage: 2, wordsPerLine: 2, keyValue: { confidence: confidence(i) } },
    })),
  );
  const profile = suite.profile({ name: `reroute-${run}`, defaultThreshold: oldThreshold });
  const ids = Array.from({ length: count }, (_, i) => `e2e-reroute-${run}-${i}`);
  await suite.withWorker(async (tq) => {
    const handles = await Promise.all(
      ids.map(async (documentId, i) => {
        const source = await suite.upload(`e2e/reroute-${run}/doc-${i}.pdf`, `%PDF-1.7\n% ${randomUUID()}\n`);
        return suite.start(tq, { documentId, source, profile });
      }),
    );
    // Below the old threshold: review, approved; the others clean.
    await Promise.all(
      handles.map(async (handle, i) => {
        if (confidence(i) < oldThreshold) {
          await reach(handle, DocumentStatus.AWAITING_REVIEW);
          await handle.signal(approveSignal, { reviewer: 'rita' });
        }
        expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
      }),
    );
    await eventually('visibility lists the 50 documents', async () => {
      const listed = new Set(await pastDocumentIds(suite.client, since));
      return ids.every((id) => listed.has(id)) ? true : undefined;
    });
    const runIds = await Promise.all(handles.map(async (h) => (await h.describe()).runId));
    const calls = textract.calls();

    const ctx: ReprocessContext = {
      s3: suite.aws.s3,
      temporal: suite.client,
      resultsBucket: suite.resources.resultsBucket,
      taskQueue: tq,
    };
    const tuned = { ...profile, defaultThreshold: newThreshold };
    const expected = ids
      .filter((_, i) => confidence(i) >= oldThreshold && confidence(i) < newThreshold)
      .sort();
    expect(expected).toHaveLength(15);

    const dry = await reroute(ctx, tuned, { since, dryRun: true });
    expect(dry.examined).toBe(count);
    expect(dry.changes.map((c) => c.documentId)).toEqual(expected);
    for (const change of dry.changes) {
      expect(change).toMatchObject({ was: 'clean', becomes: 'review' });
      expect(change.why).toEqual([expect.stringMatching(/LOW_CONFIDENCE, confidence \d+\.\d, threshold 75/)]);
    }
    expect(dry.started).toEqual([]);
    // Nothing started: every document's latest run is the one it had.
    expect(
      await Promise.all(
        handles.map(async (h) => (await suite.client.workflow.getHandle(h.workflowId).describe()).runId),
      ),
    ).toEqual(runIds);

    const real = await reroute(ctx, tuned, { since, dryRun: false, concurrency: 3 });
    expect(real.failed).toEqual([]);
    expect(real.started.map((s) => s.documentId).sort()).toEqual(expected);
    expect(real.started.every((s) => s.version === 2)).toBe(true);
    await Promise.all(
      real.started.map(async ({ documentId }) => {
        const handle = suite.client.workflow.getHandle(`document-${documentId}`);
        suite.workflowIds.push(handle.workflowId);
        await reach(handle, DocumentStatus.AWAITING_REVIEW);
        await handle.signal(approveSignal, { reviewer: 'rita' });
        await handle.result();
      }),
    );
    expect(textract.calls()).toBe(calls);
  });
  expect(await suite.replayAll()).toEqual([]);
}, 600_000);
