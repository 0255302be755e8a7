// A notified Textract job on the time-skipping server, with stub activities: the completion signal or
// the fallback check, whichever comes first; stray, early and missing notifications.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { JobCheck } from '../../activities/textract-status';
import {
  DocumentStatus,
  FailurePhase,
  FailureType,
  statusQuery,
  textractCompletedSignal,
} from '../../lib/contract';
import { TextractApi } from '../../lib/profile';
import { documentInput, stubActivities } from '../support/document-fixtures';
import { workflowTestEnv } from '../support/workflow-env';

jest.setTimeout(60_000);

const { withWorker, start, waitForStatus, failureOf } = workflowTestEnv();
const checks = { firstCheckMs: 120_000, checkIntervalMs: 300_000 };
const done: JobCheck = { status: 'SUCCEEDED', pages: 1, warnings: [], polls: 1 };

/** Stub activities for a notified job whose status checks answer `answers` in turn (then SUCCEEDED). */
function notifiedStub(answers: Array<JobCheck | ApplicationFailure>) {
  return stubActivities({
    startTextractJob: async ({ documentId }) => ({
      jobId: `job-${documentId}`,
      api: TextractApi.ANALYSIS,
      notified: checks,
    }),
    checkTextractJob: async () => {
      const answer = answers.shift() ?? done;
      if (answer instanceof ApplicationFailure) throw answer;
      return answer;
    },
  });
}

/** Starts a document and resolves with its handle and Textract job id once the job runs. */
async function startNotified(tq: string, name: string) {
  const handle = await start(tq, documentInput(`${name}-${randomUUID()}`));
  await waitForStatus(handle, DocumentStatus.PROCESSING);
  for (let i = 0; i < 200; i++) {
    const jobId = (await handle.query(statusQuery)).textractJobId;
    if (jobId) return { handle, jobId };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the Textract job never started');
}

test('the notification for the document’s job starts collection after one check; others are ignored', async () => {
  const stub = notifiedStub([]);
  await withWorker(stub.activities, async (tq) => {
    const { handle, jobId } = await startNotified(tq, 'notified');
    await handle.signal(textractCompletedSignal, { jobId: 'someone-elses-job', status: 'SUCCEEDED' });
    await handle.query(statusQuery); // answered after the signal's workflow task
    expect(stub.calls.checkTextractJob).toHaveLength(0);
    await handle.signal(textractCompletedSignal, { jobId, status: 'SUCCEEDED' });
    const result = await handle.result();
    expect(result.status).toBe(DocumentStatus.SUCCEEDED);
    expect(stub.calls.checkTextractJob).toHaveLength(1);
    expect(stub.calls.waitForTextractJob).toHaveLength(0);
    expect(stub.calls.collectTextractResults).toHaveLength(1);
  });
});

test('a notification ahead of Textract’s status is checked again soon, not minutes later', async () => {
  const stub = notifiedStub([{ status: 'IN_PROGRESS' }]);
  await withWorker(stub.activities, async (tq) => {
    const { handle, jobId } = await startNotified(tq, 'early');
    await handle.signal(textractCompletedSignal, { jobId, status: 'SUCCEEDED' });
    await expect(handle.result()).resolves.toMatchObject({ status: DocumentStatus.SUCCEEDED });
    expect(stub.calls.checkTextractJob).toHaveLength(2);
    const timers = ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
      const t = e.timerStartedEventAttributes?.startToFireTimeout;
      return t ? [Number(t.seconds ?? 0)] : [];
    });
    expect(timers.at(-1)).toBe(5);
  });
});

test('without a notification the fallback checks find the job done: first at the expected duration, then apart', async () => {
  const stub = notifiedStub([{ status: 'IN_PROGRESS' }, { status: 'IN_PROGRESS' }]);
  await withWorker(stub.activities, async (tq) => {
    const handle = await start(tq, documentInput(`lost-${randomUUID()}`));
    const result = await handle.result();
    expect(result.status).toBe(DocumentStatus.SUCCEEDED);
    expect(stub.calls.checkTextractJob).toHaveLength(3);
    expect(stub.calls.waitForTextractJob).toHaveLength(0);
    // The checks waited on timers of the configured lengths (time skipped, so read off the history).
    const timers = ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
      const t = e.timerStartedEventAttributes?.startToFireTimeout;
      return t ? [Number(t.seconds ?? 0)] : [];
    });
    expect(timers).toEqual([120, 300, 300]);
  });
});

test('a FAILED job found by the check fails the document in the wait phase', async () => {
  const stub = notifiedStub([
    ApplicationFailure.create({
      type: FailureType.TEXTRACT_JOB_FAILED,
      nonRetryable: true,
      message: 'Textract job job-1 failed: Request has invalid parameters',
    }),
  ]);
  await withWorker(stub.activities, async (tq) => {
    const handle = await start(tq, documentInput(`failed-${randomUUID()}`));
    const failure = await failureOf(handle);
    expect(failure.type).toBe(FailureType.TEXTRACT_JOB_FAILED);
    const state = await handle.query(statusQuery);
    expect(state.failure).toMatchObject({ phase: FailurePhase.TEXTRACT_WAIT });
    expect(stub.calls.collectTextractResults).toHaveLength(0);
    expect(stub.claims.size).toBe(0); // the claim on the bytes was released for the next document
  });
});
