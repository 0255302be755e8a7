import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DocumentActivities } from '../../activities';
import type { WriteOutputInput } from '../../activities/output';
import {
  approveSignal,
  correctSignal,
  documentStartOptions,
  type DocumentState,
  DocumentStatus,
  DocumentStatusKey,
  type DocumentWorkflowInput,
  FailurePhase,
  FailureType,
  rejectSignal,
  ReviewRequiredKey,
  reviewUpdate,
  statusQuery,
} from '../../lib/contract';
import type { DocumentProfile } from '../../lib/profile';
import type { documentWorkflow } from '../../workflows';
import { documentInput, field, invoiceProfile, stubActivities } from '../support/document-fixtures';
import { bundle, createTimeSkippingEnv } from '../support/temporal';

jest.setTimeout(60_000);

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle('workflows/index.ts')]);
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

type Handle = WorkflowHandle<typeof documentWorkflow>;

/** Runs `body` with a worker on a fresh task queue serving the given activities. */
async function withWorker<T>(
  activities: DocumentActivities,
  body: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities,
  });
  return worker.runUntil(body(taskQueue));
}

function start(taskQueue: string, input: DocumentWorkflowInput): Promise<Handle> {
  return env.client.workflow.start<typeof documentWorkflow>('documentWorkflow', {
    ...documentStartOptions(input, taskQueue),
  });
}

async function waitForStatus(handle: Handle, status: DocumentStatus): Promise<DocumentState> {
  for (let i = 0; i < 200; i++) {
    const state = await handle.query(statusQuery);
    if (state.status === status) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`document never reached ${status}`);
}

async function failureOf(handle: Handle): Promise<ApplicationFailure> {
  const err: unknown = await handle.result().then(
    () => new Error('expected the workflow to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowFailedError) || !(err.cause instanceof ApplicationFailure)) throw err;
  return err.cause;
}

const lowTotal = [field('invoice_number', 'INV-1', 99), field('total', '12.00', 60)];

describe('document workflow', () => {
  test('a clean document succeeds without review, within the history budget', async () => {
    const stub = stubActivities();
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`clean-${randomUUID()}`));
      const result = await handle.result();
      expect(result).toMatchObject({
        status: DocumentStatus.SUCCEEDED,
        pages: 1,
        fieldsReviewed: 0,
        corrections: 0,
      });
      expect(result.output?.key).toContain('document.json.encrypted');
      // The claim is completed by the workflow itself, once the output exists: duplicates point at it.
      expect(stub.calls.completeClaim).toEqual([
        { documentId: result.documentId, checksum: result.checksum, output: result.output },
      ]);

      const state = await handle.query(statusQuery);
      expect(state.transitions.map((t) => t.status)).toEqual(['RECEIVED', 'PROCESSING', 'SUCCEEDED']);
      expect(state.textractJobId).toBeDefined();
      const attrs = (await handle.describe()).typedSearchAttributes;
      expect(attrs.get(DocumentStatusKey)).toBe('SUCCEEDED');
      expect(attrs.get(ReviewRequiredKey)).toBe(false);

      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      expect(events.length).toBeLessThanOrEqual(40);
      const largest = Math.max(...events.map((e) => JSON.stringify(e).length));
      console.log(`clean document: ${events.length} history events, largest event ${largest} bytes of JSON`);
    });
  });

  test('starting the same document twice runs it once', async () => {
    const stub = stubActivities();
    await withWorker(stub.activities, async (tq) => {
      const input = documentInput(`twice-${randomUUID()}`);
      const handle = await start(tq, input);
      await expect(start(tq, input)).rejects.toThrow(/already started/i);
      await handle.result();
      expect(stub.calls.startTextractJob).toHaveLength(1);
    });
  });

  test('identical bytes processed before finish as DUPLICATE without a Textract job', async () => {
    const stub = stubActivities();
    await withWorker(stub.activities, async (tq) => {
      const first = await (await start(tq, documentInput(`orig-${randomUUID()}`))).result();
      const dup = await start(tq, documentInput(`dup-${randomUUID()}`));
      const result = await dup.result();
      expect(result.status).toBe(DocumentStatus.DUPLICATE);
      expect(result.duplicateOf).toEqual({ documentId: first.documentId, output: first.output });
      expect(stub.calls.startTextractJob).toHaveLength(1);
      const written = stub.calls.writeDocumentOutput.at(-1) as WriteOutputInput;
      expect(written.kind).toBe('DUPLICATE'); // its own output record says so
    });
  });

  // Identical bytes started concurrently (one waits for the other) run on the real dev server:
  // test/integration/lifecycle-review.test.ts. The time-skipping server skips time while the
  // original's activities run, so that race cannot be staged here.

  test('the profile’s heartbeat timeout bounds the poll and the collection', async () => {
    const stub = stubActivities();
    await withWorker(stub.activities, async (tq) => {
      const profile: DocumentProfile = { ...invoiceProfile, heartbeatTimeout: '7 seconds' };
      const handle = await start(tq, documentInput(`hb-${randomUUID()}`, profile));
      await handle.result();
      const scheduled = new Map(
        ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
          const attrs = e.activityTaskScheduledEventAttributes;
          return attrs ? [[attrs.activityType?.name, Number(attrs.heartbeatTimeout?.seconds)] as const] : [];
        }),
      );
      expect(scheduled.get('waitForTextractJob')).toBe(7);
      expect(scheduled.get('collectTextractResults')).toBe(7);
    });
  });

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

  test('a Textract job that FAILED fails the document with Textract’s message', async () => {
    const stub = stubActivities({
      waitForTextractJob: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: FailureType.TEXTRACT_JOB_FAILED,
            nonRetryable: true,
            message: 'Textract job job-1 failed: Request has invalid parameters',
          }),
        ),
    });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`tfail-${randomUUID()}`));
      const failure = await failureOf(handle);
      expect(failure.type).toBe(FailureType.TEXTRACT_JOB_FAILED);
      const state = await handle.query(statusQuery);
      expect(state.failure).toMatchObject({ phase: FailurePhase.TEXTRACT_WAIT });
      expect(state.failure?.message).toContain('Request has invalid parameters');
      expect(stub.calls.collectTextractResults).toHaveLength(0);
    });
  });

  test('PARTIAL_SUCCESS continues and keeps the warnings', async () => {
    const warnings = [{ errorCode: 'UNABLE_TO_READ_PAGE', pages: [2] }];
    const stub = stubActivities({
      waitForTextractJob: async () => ({ status: 'PARTIAL_SUCCESS', pages: 2, warnings, polls: 2 }),
    });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`partial-${randomUUID()}`));
      expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
      expect((await handle.query(statusQuery)).warnings).toEqual(warnings);
      const written = stub.calls.writeDocumentOutput.at(-1) as Extract<
        WriteOutputInput,
        { kind: 'EXTRACTED' }
      >;
      expect(written.textract).toMatchObject({ status: 'PARTIAL_SUCCESS', warnings });
    });
  });

  test('an unsupported document fails at checksum without calling Textract', async () => {
    const stub = stubActivities({
      computeChecksum: () =>
        Promise.reject(
          ApplicationFailure.create({
            type: FailureType.DOCUMENT_UNSUPPORTED,
            nonRetryable: true,
            message: 's3://docket-input/in/x.txt is not a PDF, TIFF, JPEG or PNG document',
          }),
        ),
    });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`unsupported-${randomUUID()}`));
      const failure = await failureOf(handle);
      expect(failure.type).toBe(FailureType.DOCUMENT_UNSUPPORTED);
      expect((await handle.query(statusQuery)).failure?.phase).toBe(FailurePhase.CHECKSUM);
      expect(stub.calls.startTextractJob).toHaveLength(0);
      expect(stub.calls.releaseClaim).toHaveLength(0);
    });
  });

  test('an invalid input fails naming the fields at fault', async () => {
    const stub = stubActivities();
    await withWorker(stub.activities, async (tq) => {
      const input = documentInput(`invalid-${randomUUID()}`, { ...invoiceProfile, defaultThreshold: 150 });
      const failure = await failureOf(await start(tq, input));
      expect(failure.type).toBe(FailureType.INVALID_INPUT);
      expect(failure.message).toContain('profile.defaultThreshold');
      expect(stub.calls.computeChecksum).toHaveLength(0);
    });
  });

  test('bad signal payloads are ignored, visible in status, and the review goes on', async () => {
    const stub = stubActivities({ fields: lowTotal });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`badsig-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      const rawHandle = env.client.workflow.getHandle(handle.workflowId);
      await rawHandle.signal('approve', { comment: 'no reviewer' });
      await rawHandle.signal('correct', { reviewer: 'rita', fields: { nope: 'secret value' } });
      await rawHandle.signal('reject', 'not an object');
      const state = await handle.query(statusQuery);
      expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
      expect(state.ignoredMessages.map((m) => [m.name, m.problem])).toEqual([
        ['approve', 'reviewer is required'],
        ['correct', 'fields.nope is not a field of this document'],
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
