// Review and cancellation of the document workflow on the time-skipping server, with stub activities.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { WriteOutputInput } from '../../activities/output';
import {
  approveSignal,
  correctSignal,
  DocumentStatus,
  DocumentStatusKey,
  FailurePhase,
  FailureType,
  rejectSignal,
  ReviewRequiredKey,
  reviewUpdate,
  statusQuery,
} from '../../lib/contract';
import { documentInput, field, invoiceProfile, stubActivities } from '../support/document-fixtures';
import { workflowTestEnv } from '../support/workflow-env';

jest.setTimeout(60_000);

const { env, withWorker, start, waitForStatus, failureOf } = workflowTestEnv();

const lowTotal = [field('invoice_number', 'INV-1', 99), field('total', '12.00', 60)];

describe('document review and cancellation', () => {
  test('low confidence waits for review; approve by signal succeeds', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`approve-${randomUUID()}`));
      const state = await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      expect(state.review).toEqual([
        {
          field: 'total',
          fieldId: 'p1-total',
          page: 1,
          reason: 'LOW_CONFIDENCE',
          confidence: 60,
          threshold: 90,
        },
      ]);
      expect((await handle.describe()).typedSearchAttributes.get(ReviewRequiredKey)).toBe(true);
      await handle.signal(approveSignal, { reviewer: 'rita', comment: 'looks right' });
      const result = await handle.result();
      expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, fieldsReviewed: 1, corrections: 0 });
      const final = await handle.query(statusQuery);
      expect(final.reviewActions).toMatchObject([
        { action: 'approve', reviewer: 'rita', comment: 'looks right' },
      ]);
    });
  });

  test('corrections apply and are audited old → new, then approve succeeds', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`correct-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await handle.signal(correctSignal, { reviewer: 'rita', fields: { total: '21.00' } });
      await handle.signal(correctSignal, { reviewer: 'sam', fields: { total: '12.50' } });
      await handle.signal(approveSignal, { reviewer: 'sam' });
      const result = await handle.result();
      expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, corrections: 2 });
      const state = await handle.query(statusQuery);
      expect(state.reviewActions).toMatchObject([
        { action: 'correct', reviewer: 'rita', field: 'total', oldValue: '12.00', newValue: '21.00' },
        { action: 'correct', reviewer: 'sam', field: 'total', oldValue: '21.00', newValue: '12.50' },
        { action: 'approve', reviewer: 'sam' },
      ]);
      const written = stub.calls.writeDocumentOutput.at(-1) as Extract<
        WriteOutputInput,
        { kind: 'EXTRACTED' }
      >;
      // Every correction in order, by field id; the output applies them in turn, so the last wins.
      expect(written.corrections).toEqual([
        {
          fieldId: 'p1-total',
          name: 'total',
          text: '21.00',
          reviewer: 'rita',
          at: state.reviewActions[0]!.at,
        },
        {
          fieldId: 'p1-total',
          name: 'total',
          text: '12.50',
          reviewer: 'sam',
          at: state.reviewActions[1]!.at,
        },
      ]);
      expect(written.review.audit).toHaveLength(3);
    });
  });

  test('reject fails the document and releases the claim', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`reject-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await handle.signal(rejectSignal, { reviewer: 'rita', reason: 'not an invoice' });
      const failure = await failureOf(handle);
      expect(failure.type).toBe(FailureType.REVIEW_REJECTED);
      expect((await handle.query(statusQuery)).failure?.phase).toBe(FailurePhase.REVIEW);
      expect(stub.calls.releaseClaim).toHaveLength(1);
      expect(stub.claims.size).toBe(0);
    });
  });

  test('nobody reviewing before the deadline fails with REVIEW_TIMEOUT', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`deadline-${randomUUID()}`));
      const failure = await failureOf(handle); // the time-skipping server jumps over the 2-day deadline
      expect(failure.type).toBe('REVIEW_TIMEOUT');
      const state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.FAILED);
      expect(state.failure).toMatchObject({ type: 'REVIEW_TIMEOUT', phase: 'REVIEW' });
    });
  });

  test('bad signal payloads are ignored, visible in status, and the review goes on', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`badsig-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      const rawHandle = env().client.workflow.getHandle(handle.workflowId);
      await rawHandle.signal('approve', { comment: 'no reviewer' });
      await rawHandle.signal('correct', { reviewer: 'rita', fields: { nope: 'secret value' } });
      await rawHandle.signal('reject', 'not an object');
      const state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect(state.ignoredMessages.map((m) => [m.name, m.problem])).toEqual([
        ['approve', 'reviewer is required'],
        ['correct', 'a field name is not a field of this document'],
        ['reject', 'reject payload must be an object'],
      ]);
      expect(JSON.stringify(state.ignoredMessages)).not.toContain('secret value');
      await handle.signal(approveSignal, { reviewer: 'rita' });
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });

  test('the review update rejects bad input before history and applies good input', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`update-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await expect(
        handle.executeUpdate(reviewUpdate, {
          args: [{ action: 'correct', reviewer: 'rita', fields: { nope: 'x' } }],
        }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
      await expect(
        handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', reviewer: '' }] }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
      const applied = await handle.executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', reviewer: 'rita', fields: { total: '12.50' } }],
      });
      expect(applied.actionsRecorded).toBe(1);
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', reviewer: 'rita' }] });
      expect(await handle.result()).toMatchObject({ status: DocumentStatus.SUCCEEDED, corrections: 1 });
      const events = (await handle.fetchHistory()).events ?? [];
      const accepted = events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      expect(accepted).toHaveLength(2); // the two rejected updates left no trace in history
    });
  });

  test('a repeated name: one review item per low field, corrected by id, never by the ambiguous name', async () => {
    const checkboxes = [
      field('invoice_number', 'INV-1', 99),
      field('Yes', 'ticked', 40, 'p1-f3'),
      field('Yes', 'ticked', 45, 'p2-f7'),
    ];
    const stub = stubActivities({ fields: checkboxes });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`repeated-${randomUUID()}`));
      const state = await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      expect(state.review.map((i) => [i.field, i.fieldId, i.confidence])).toEqual([
        ['Yes', 'p1-f3', 40],
        ['Yes', 'p2-f7', 45],
      ]);
      await expect(
        handle.executeUpdate(reviewUpdate, {
          args: [{ action: 'correct', reviewer: 'rita', fields: { Yes: 'not ticked' } }],
        }),
      ).rejects.toThrow(WorkflowUpdateFailedError);
      await handle.executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', reviewer: 'rita', fields: { 'p2-f7': 'not ticked' } }],
      });
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', reviewer: 'rita' }] });
      await handle.result();
      const written = stub.calls.writeDocumentOutput.at(-1) as Extract<
        WriteOutputInput,
        { kind: 'EXTRACTED' }
      >;
      expect(written.corrections).toMatchObject([{ fieldId: 'p2-f7', name: 'Yes', text: 'not ticked' }]);
      const audit = (await handle.query(statusQuery)).reviewActions[0];
      expect(audit).toMatchObject({ action: 'correct', field: 'Yes', fieldId: 'p2-f7', oldValue: 'ticked' });
    });
  });

  test('cancelled while waiting for review: FAILED (Cancelled), claim released, the bytes can run again', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`cancel-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await handle.cancel();
      const err: unknown = await handle.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      const state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.FAILED);
      expect(state.failure).toMatchObject({ type: FailureType.CANCELLED, phase: FailurePhase.REVIEW });
      expect(stub.calls.releaseClaim).toHaveLength(1);
      expect((await handle.describe()).typedSearchAttributes.get(DocumentStatusKey)).toBe('FAILED');
      // Same bytes, another document: processed, neither DUPLICATE nor waiting on the cancelled one.
      const again = await start(tq, documentInput(`cancel-again-${randomUUID()}`));
      await waitForStatus(again, DocumentStatus.AWAITING_REVIEW);
      await again.signal(approveSignal, { reviewer: 'rita' });
      expect((await again.result()).status).toBe(DocumentStatus.SUCCEEDED);
    });
  });

  test('cancelled while the poll runs: the activity is cancelled and the document ends Cancelled', async () => {
    let sawCancel = false;
    const stub = stubActivities({
      waitForTextractJob: async () => {
        for (;;) {
          Context.current().heartbeat();
          try {
            await Context.current().sleep(100);
          } catch (err) {
            sawCancel = err instanceof CancelledFailure;
            throw err;
          }
        }
      },
    });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, {
        ...documentInput(`cancel-poll-${randomUUID()}`),
        profile: { ...invoiceProfile, heartbeatTimeout: '2 seconds' },
      });
      for (let i = 0; i < 100 && stub.calls.waitForTextractJob.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
      // The activity learns of it on its next heartbeat (the workflow does not wait for that).
      for (let i = 0; i < 100 && !sawCancel; i++) await new Promise((r) => setTimeout(r, 50));
      expect(sawCancel).toBe(true);
      const state = await handle.query(statusQuery);
      expect(state.failure).toMatchObject({ type: FailureType.CANCELLED, phase: FailurePhase.TEXTRACT_WAIT });
      expect(stub.calls.releaseClaim).toHaveLength(1);
    });
  });
});
