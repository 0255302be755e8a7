// The review desk on the time-skipping server, with stub activities: claims and their lease, the SLA
// and its escalation, critical fields' second approval (audit sampling and the review summary:
// document-review-sampling.test.ts).
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { EscalationNotice } from '../../activities/escalation';
import {
  approveSignal,
  claimUpdate,
  correctSignal,
  DocumentStatus,
  releaseUpdate,
  ReviewOverdueKey,
  reviewUpdate,
  statusQuery,
} from '../../lib/contract';
import type { DocumentProfile } from '../../lib/profile';
import { documentInput, field, invoiceProfile, stubActivities } from '../support/document-fixtures';
import { type Handle, workflowTestEnv } from '../support/workflow-env';

jest.setTimeout(90_000);

const { env, withWorker, start, waitForStatus } = workflowTestEnv();

const lowTotal = [field('invoice_number', 'INV-1', 99), field('total', '12.00', 60)];
const alice = { reviewer: 'Alice', reviewerId: 'sub-alice' };
const bob = { reviewer: 'Bob', reviewerId: 'sub-bob' };
const olga = { reviewer: 'Olga', reviewerId: 'sub-olga' };

const profile = (extra: Partial<DocumentProfile>): DocumentProfile => ({ ...invoiceProfile, ...extra });

/** The message of a refused update (it must be refused). */
async function refusal(run: Promise<unknown>): Promise<string> {
  const err: unknown = await run.then(
    () => new Error('expected the update to be refused'),
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError)) throw err;
  return err.cause?.message ?? err.message;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const claim = (h: Handle, who: object) => h.executeUpdate(claimUpdate, { args: [who as typeof alice] });
const release = (h: Handle, who: object) =>
  h.executeUpdate(releaseUpdate, { args: [who as typeof alice & { force?: boolean }] });

describe('claims', () => {
  test("a claim holds others off, the holder's action extends it, and it lapses after claimIdle", async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(
        tq,
        documentInput(`claim-${randomUUID()}`, profile({ claimIdle: '30 minutes' })),
      );
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      const first = await claim(handle, alice);
      expect(first.claim).toMatchObject({ reviewer: 'Alice', reviewerId: 'sub-alice' });
      expect(Date.parse(first.claim!.expiresAt) - Date.parse(first.claim!.at)).toBe(30 * 60_000);

      // Another reviewer is refused, told who holds it and until when, by update and by signal.
      const refused = await refusal(claim(handle, bob));
      expect(refused).toContain('Alice');
      expect(refused).toContain(first.claim!.expiresAt);
      expect(
        await refusal(
          handle.executeUpdate(reviewUpdate, {
            args: [{ action: 'correct', ...bob, fields: { total: '99.00' } }],
          }),
        ),
      ).toContain('claimed by Alice');
      await handle.signal(approveSignal, bob);
      let state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect(state.ignoredMessages.at(-1)).toMatchObject({ name: 'approve' });
      // The ignored record (and its log line) does not name the holder; `claim` in status does.
      expect(state.ignoredMessages.at(-1)?.problem).toBe('the document is claimed by another reviewer');
      expect(state.reviewActions).toEqual([]);

      // 20 minutes later the holder corrects: the lease runs 30 minutes from that action.
      await env().sleep('20 minutes');
      await handle.executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', ...alice, fields: { total: '12.50' } }],
      });
      state = await handle.query(statusQuery);
      expect(state.claim?.at).toBe(first.claim!.at);
      expect(Date.parse(state.claim!.expiresAt)).toBeGreaterThanOrEqual(
        Date.parse(first.claim!.expiresAt) + 20 * 60_000,
      );
      // Re-claiming extends it too.
      await env().sleep('10 minutes');
      const again = await claim(handle, alice);
      expect(Date.parse(again.claim!.expiresAt)).toBeGreaterThan(Date.parse(state.claim!.expiresAt));
      await expect(refusal(claim(handle, bob))).resolves.toContain('Alice');

      // Idle past claimIdle: the lease has lapsed and Bob may claim and decide.
      await env().sleep('31 minutes');
      const bobs = await claim(handle, bob);
      expect(bobs.claim).toMatchObject({ reviewer: 'Bob', reviewerId: 'sub-bob' });
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...bob }] });
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });

  test('the holder releases; an operator forces; claim and release need a reviewerId', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`release-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      expect(await refusal(claim(handle, { reviewer: 'Alice' }))).toBe('reviewerId is required');
      expect(await refusal(release(handle, alice))).toBe('nobody holds the document');

      await claim(handle, alice);
      expect(await refusal(release(handle, bob))).toContain('only its holder, or an operator with force');
      await release(handle, { ...olga, force: true });
      let state = await handle.query(statusQuery);
      expect(state.claim).toBeUndefined();
      expect(state.releases).toMatchObject([
        { reviewer: 'Olga', reviewerId: 'sub-olga', holder: 'Alice', holderId: 'sub-alice', forced: true },
      ]);

      await claim(handle, bob);
      const released = await release(handle, bob);
      expect(released.claim).toBeUndefined();
      state = await handle.query(statusQuery);
      expect(state.releases?.at(-1)).toMatchObject({
        reviewerId: 'sub-bob',
        holderId: 'sub-bob',
        forced: false,
      });

      // Claim and release without end: the state keeps the latest 20 and counts them all.
      for (let i = 0; i < 22; i++) {
        await claim(handle, bob);
        await release(handle, bob);
      }
      state = await handle.query(statusQuery);
      expect(state.releases).toHaveLength(20);
      expect(state.releaseCount).toBe(24);

      // Without a claim anyone may act, and acting claims it for them.
      await handle.executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', ...alice, fields: { total: '12.50' } }],
      });
      expect((await handle.query(statusQuery)).claim?.reviewerId).toBe('sub-alice');
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...alice }] });
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });

  test('signals without a reviewerId (histories from before sign-in) still decide an unclaimed document', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`legacy-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await handle.signal(correctSignal, { reviewer: 'rita', fields: { total: '21.00' } });
      expect((await handle.query(statusQuery)).claim).toBeUndefined();
      await handle.signal(approveSignal, { reviewer: 'sam' });
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });
});

describe('SLA and escalation', () => {
  test('past the SLA the document is overdue (search attribute) and one notice goes out', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const documentId = `sla-${randomUUID()}`;
      const handle = await start(
        tq,
        documentInput(documentId, profile({ reviewSla: '1 hour', reviewDeadline: '2 days' })),
      );
      let state = await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      expect(state.overdue).toBe(false);
      const opened = Date.parse(state.transitions.at(-1)!.at);
      expect(Date.parse(state.reviewSlaAt!) - opened).toBe(60 * 60_000);
      expect(Date.parse(state.reviewDueAt!) - opened).toBe(2 * 24 * 60 * 60_000);
      expect(stub.calls.escalateReview).toHaveLength(0);

      await env().sleep('61 minutes');
      await until(() => stub.calls.escalateReview.length > 0, 'the escalation');
      state = await handle.query(statusQuery);
      expect(state.overdue).toBe(true);
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect((await handle.describe()).typedSearchAttributes.get(ReviewOverdueKey)).toBe(true);
      const notice = stub.calls.escalateReview[0] as EscalationNotice;
      expect(notice).toEqual({
        documentId,
        profile: 'invoice',
        status: DocumentStatus.AWAITING_REVIEW,
        overdueSince: state.reviewSlaAt,
        reviewDueAt: state.reviewDueAt,
      });
      // Content-free: neither the source key nor any field value.
      expect(JSON.stringify(notice)).not.toMatch(/\.pdf|INV-1|12\.00/);

      await env().sleep('3 hours');
      await handle.signal(approveSignal, alice);
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
      expect(stub.calls.escalateReview).toHaveLength(1);
    });
  });

  test('a failing notice is retried a bounded number of times and never fails the document', async () => {
    const stub = stubActivities({
      fields: lowTotal,
      escalateReview: () => Promise.reject(new Error('webhook down')),
    });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(
        tq,
        documentInput(`sla-fail-${randomUUID()}`, profile({ reviewSla: '1 hour', reviewDeadline: '2 days' })),
      );
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await env().sleep('61 minutes');
      await until(async () => {
        await env().sleep('1 minute');
        return stub.calls.escalateReview.length >= 5;
      }, 'five attempts');
      await env().sleep('10 minutes');
      expect(stub.calls.escalateReview).toHaveLength(5);
      expect((await handle.query(statusQuery)).status).toBe(DocumentStatus.AWAITING_REVIEW);
      await handle.signal(approveSignal, alice);
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });
});

describe('critical fields', () => {
  const critical = profile({ criticalFields: ['total'] });

  test('two different reviewers must approve; the first approval frees the claim', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`critical-${randomUUID()}`, critical));
      let state = await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      expect(state.approvalsNeeded).toBe(2);
      expect(
        await refusal(handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', reviewer: 'x' }] })),
      ).toContain('needs a signed-in reviewer');

      await claim(handle, alice);
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...alice }] });
      state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect(state.approvals).toMatchObject([{ reviewerId: 'sub-alice' }]);
      expect(state.claim).toBeUndefined();

      // The same reviewer again: refused (update) and ignored (signal).
      expect(
        await refusal(handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...alice }] })),
      ).toContain('a different reviewer must approve');
      await handle.signal(approveSignal, alice);
      state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect(state.ignoredMessages.at(-1)?.problem).toContain('a different reviewer must approve');

      await claim(handle, bob);
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...bob }] });
      const result = await handle.result();
      expect(result.status).toBe(DocumentStatus.SUCCEEDED);
      expect(result.review).toEqual({
        profile: 'invoice',
        sampled: false,
        correctedFields: [],
        reviewers: 2,
      });
    });
  });

  test("a correction after an approval clears the others' approvals", async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`critical-correct-${randomUUID()}`, critical));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await handle.signal(approveSignal, alice);
      await handle.signal(correctSignal, { ...bob, fields: { total: '13.00' } });
      await handle.signal(approveSignal, bob);
      let state = await handle.query(statusQuery);
      // Alice approved 12.00, not 13.00: Bob's is the only approval that stands.
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect(state.approvals.map((a) => a.reviewerId)).toEqual(['sub-bob']);
      await handle.signal(approveSignal, alice);
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
      state = await handle.query(statusQuery);
      expect(state.approvals.map((a) => a.reviewerId)).toEqual(['sub-bob', 'sub-alice']);
    });
  });

  test('a document whose review items miss the critical fields needs one approval', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(
        tq,
        documentInput(`not-critical-${randomUUID()}`, profile({ criticalFields: ['invoice_number'] })),
      );
      expect((await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW)).approvalsNeeded).toBe(1);
      await handle.signal(approveSignal, alice);
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });

  test('correcting a critical field that routing did not flag still needs a second reviewer', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(
        tq,
        documentInput(`critical-edit-${randomUUID()}`, profile({ criticalFields: ['invoice_number'] })),
      );
      expect((await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW)).approvalsNeeded).toBe(1);
      // Alice changes the invoice number (high confidence, not a review item) and approves alone.
      await handle.executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', ...alice, fields: { invoice_number: 'INV-9' } }],
      });
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...alice }] });
      const state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect(state.approvalsNeeded).toBe(2);
      expect(
        await refusal(handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...alice }] })),
      ).toContain('a different reviewer must approve');
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...bob }] });
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });
});
