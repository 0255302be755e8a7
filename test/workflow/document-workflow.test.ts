// The document workflow on the time-skipping server, with stub activities: the lifecycle, duplicates,
// Textract outcomes and bad input (review and cancellation: document-review.test.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { WriteOutputInput } from '../../activities/output';
import {
  DocumentStatus,
  DocumentStatusKey,
  FailurePhase,
  FailureType,
  ReviewRequiredKey,
  statusQuery,
} from '../../lib/contract';
import type { DocumentProfile } from '../../lib/profile';
import { documentInput, invoiceProfile, stubActivities } from '../support/document-fixtures';
import { workflowTestEnv } from '../support/workflow-env';

jest.setTimeout(60_000);

const { withWorker, start, waitForStatus, failureOf } = workflowTestEnv();
const randomHex = () => randomBytes(32).toString('hex');

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
      // 40 before the quota governor, which adds 7: its patch marker, the lease request's
      // local-activity marker, the grant signal and the workflow task it wakes. Patch 'fewer-actions'
      // adds its marker and the SDK's (unbilled) upsert, and takes completeClaim's marker away; the
      // queue's first document also signals a quota workflow that does not run yet (2 events and the
      // workflow task that sees the failure) before its local activity starts one.
      expect(events.length).toBeLessThanOrEqual(51);
      const largest = Math.max(...events.map((e) => JSON.stringify(e).length));
      console.log(`clean document: ${events.length} history events, largest event ${largest} bytes of JSON`);
    });
  });

  test('the queue’s first document starts the quota workflow; later ones ask it for a lease by signal', async () => {
    // Different bytes each time: the second is no duplicate of the first.
    const stub = stubActivities({
      computeChecksum: async () => ({ checksum: randomHex(), size: 1234, contentType: 'application/pdf' }),
    });
    await withWorker(stub.activities, async (tq) => {
      const histories: temporal.api.history.v1.IHistoryEvent[][] = [];
      for (const name of ['first', 'second']) {
        const handle = await start(tq, documentInput(`${name}-${randomUUID()}`));
        // Waiting by query, not result(): awaiting a result lets the test server skip time, and a skip
        // past its default run timeout (10 years) would end the idle quota workflow.
        await waitForStatus(handle, DocumentStatus.SUCCEEDED);
        histories.push((await handle.fetchHistory()).events ?? []);
      }
      const localActivities = histories.map(
        (events) =>
          events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
      );
      const signalsSent = histories.map(
        (events) => events.filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes).length,
      );
      // The first: its signal finds no quota workflow, a local activity's signalWithStart starts one.
      expect(localActivities).toEqual([1, 0]);
      expect(signalsSent).toEqual([1, 1]);
      expect(histories[0]!.some((e) => e.signalExternalWorkflowExecutionFailedEventAttributes)).toBe(true);
      expect(histories[1]!.some((e) => e.signalExternalWorkflowExecutionFailedEventAttributes)).toBe(false);
      // Fewer commands (workflow tasks and received signals left out: their number depends on timing).
      const commands = (events: temporal.api.history.v1.IHistoryEvent[]) =>
        events.filter((e) => ![5, 6, 7, 26].includes(Number(e.eventType))).length;
      expect(commands(histories[1]!)).toBe(commands(histories[0]!) - 1);
      // Both were granted a lease by signal.
      for (const events of histories) {
        expect(
          events.filter(
            (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'textractLeaseGranted',
          ),
        ).toHaveLength(1);
      }
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
});
