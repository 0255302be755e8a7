// The document lifecycle end to end on the real stack: human review by signal, a non-document, and
// identical bytes started twice at once. Every history replays deterministically.
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  approveSignal,
  correctSignal,
  DocumentStatus,
  FailurePhase,
  FailureType,
  statusQuery,
} from '../../lib/contract';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { eventually, LifecycleSuite, type DocumentHandle } from '../support/lifecycle';

const suite = new LifecycleSuite('review');

beforeAll(() => suite.setUp(), 120_000);
afterAll(() => suite.tearDown());

const uniqueInvoice = () => uniqueCorpusDocument('sample-invoice.pdf');

async function statusOf(handle: DocumentHandle, status: DocumentStatus) {
  return eventually(`${handle.workflowId} to reach ${status}`, async () => {
    const state = await handle.query(statusQuery);
    return state.status === status ? state : undefined;
  });
}

test('a field below its threshold waits for review; correct + approve by signal succeeds with the audit', async () => {
  const source = await suite.upload(`e2e/${randomUUID()}/sample-invoice.pdf`, uniqueInvoice());
  const documentId = `e2e-review-${randomUUID()}`;
  const profile = suite.profile({ fieldThresholds: { 'Invoice Number': 99.9 } });
  await suite.withWorker(async (tq) => {
    const handle = await suite.start(tq, { documentId, source, profile });
    const waiting = await statusOf(handle, DocumentStatus.AWAITING_REVIEW);
    expect(waiting.review).toEqual([
      expect.objectContaining({ field: 'Invoice Number', reason: 'LOW_CONFIDENCE', threshold: 99.9 }),
    ]);

    await handle.signal(correctSignal, { reviewer: 'rita', fields: { 'Invoice Number': 'INV-0042' } });
    await handle.signal(approveSignal, { reviewer: 'sam', comment: 'checked against the PO' });
    const result = await handle.result();
    expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, fieldsReviewed: 1, corrections: 1 });

    const doc = await suite.readOutput(result.output!, documentId, result.checksum);
    expect(doc.status).toBe('SUCCEEDED');
    const invoiceNumber = doc.pages.flatMap((p) => p.fields).find((f) => f.name === 'Invoice Number');
    expect(invoiceNumber?.value.text).toBe('INV-0042');
    const extractedValue = invoiceNumber?.correction?.extractedText;
    expect(extractedValue).toBeTruthy();
    expect(extractedValue).not.toBe('INV-0042');
    expect(doc.review.audit).toEqual([
      expect.objectContaining({
        action: 'correct',
        reviewer: 'rita',
        field: 'Invoice Number',
        oldValue: extractedValue,
        newValue: 'INV-0042',
      }),
      expect.objectContaining({ action: 'approve', reviewer: 'sam', comment: 'checked against the PO' }),
    ]);
  });
});

test('random bytes fail at the checksum with a reason a person can act on', async () => {
  const source = await suite.upload(`e2e/${randomUUID()}.pdf`, randomBytes(4096));
  await suite.withWorker(async (tq) => {
    const handle = await suite.start(tq, {
      documentId: `e2e-junk-${randomUUID()}`,
      source,
      profile: suite.profile(),
    });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: FailureType.DOCUMENT_UNSUPPORTED });
    expect(cause?.message).toContain('is not a PDF, TIFF, JPEG or PNG document');
    const state = await handle.query(statusQuery);
    expect(state.status).toBe(DocumentStatus.FAILED);
    expect(state.failure).toMatchObject({
      type: FailureType.DOCUMENT_UNSUPPORTED,
      phase: FailurePhase.CHECKSUM,
    });
    expect(state.textractJobId).toBeUndefined();
  });
});

test('the same bytes under two keys started at once make one Textract job; the second is a DUPLICATE', async () => {
  // Unique bytes; the local Textract keeps their job running long enough for the second to find it.
  const run = randomUUID();
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]);
  await suite.setDocumentRules([{ match: `*${run}*`, jobMs: 2500, synthetic: { pages: 2 } }]);
  const sources = await Promise.all([
    suite.upload(`e2e/${run}/a.pdf`, bytes),
    suite.upload(`e2e/${run}/b.pdf`, bytes),
  ]);
  await suite.withWorker(async (tq) => {
    const handles = await Promise.all(
      sources.map((source, i) =>
        suite.start(tq, { documentId: `e2e-conc-${i}-${run}`, source, profile: suite.profile() }),
      ),
    );
    const results = await Promise.all(handles.map((h) => h.result()));
    const original = results.find((r) => r.status === DocumentStatus.SUCCEEDED);
    const duplicate = results.find((r) => r.status === DocumentStatus.DUPLICATE);
    expect(original).toBeDefined();
    expect(duplicate?.duplicateOf).toEqual({ documentId: original?.documentId, output: original?.output });
    expect(await suite.textractJobs(original!.checksum!)).toHaveLength(1);

    // It really ran concurrently: the duplicate found the claim held and waited for the original.
    const dupHandle = handles[results.indexOf(duplicate!)]!;
    const events = (await dupHandle.fetchHistory()).events ?? [];
    const scheduled = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(scheduled).toContain('awaitOriginal');
    expect(scheduled).not.toContain('startTextractJob');

    const own = await suite.readOutput(duplicate!.output!, duplicate!.documentId, duplicate!.checksum);
    expect(own).toMatchObject({ status: 'DUPLICATE', duplicateOf: duplicate!.duplicateOf });
  });
});

test('a terminated document does not hold its bytes: the next document with them is processed', async () => {
  const run = randomUUID();
  await suite.setDocumentRules([{ match: `*${run}/*`, jobMs: 60_000, synthetic: { pages: 1 } }]);
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(256)]);
  const profile = suite.profile();
  await suite.withWorker(async (tq) => {
    const original = await suite.start(tq, {
      documentId: `e2e-terminated-${run}`,
      source: await suite.upload(`e2e/${run}/first.pdf`, bytes),
      profile,
    });
    await statusOf(original, DocumentStatus.PROCESSING);
    // Terminate runs no workflow code: the claim on the bytes is left behind, unreleased.
    await original.terminate('operator test');
    await suite.setDocumentRules([{ match: `*${run}/*`, jobMs: 200, synthetic: { pages: 1 } }]);
    const next = await suite.start(tq, {
      documentId: `e2e-after-terminated-${run}`,
      source: await suite.upload(`e2e/${run}/second.pdf`, bytes),
      profile,
    });
    const result = await next.result();
    expect(result.status).toBe(DocumentStatus.SUCCEEDED);
    expect(result.duplicateOf).toBeUndefined();
  });
});

test('the histories of these runs replay without nondeterminism', async () => {
  expect(suite.workflowIds).toHaveLength(6);
  await expect(suite.replayAll()).resolves.toEqual([]);
});
