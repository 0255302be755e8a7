// A notified Textract job on the time-skipping server, with stub activities: the completion signal or
// the fallback check, whichever comes first, then collection, which confirms the job's end; stray,
// early and missing notifications.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import {
  DocumentStatus,
  FailurePhase,
  FailureType,
  statusQuery,
  textractCompletedSignal,
} from '../../lib/contract';
import { TextractApi } from '../../lib/profile';
import { confidentFields, documentInput, stubActivities, summaryOf } from '../support/document-fixtures';
import { workflowTestEnv } from '../support/workflow-env';

jest.setTimeout(60_000);

const { withWorker, start, waitForStatus, failureOf } = workflowTestEnv();
const checks = { firstCheckMs: 120_000, checkIntervalMs: 300_000 };
const stillRunning = { inProgress: true } as const;

/**
 * Stub activities for a notified job whose collection attempts answer `answers` in turn (still
 * running, or a failure), then collect the finished job.
 */
function notifiedStub(answers: Array<typeof stillRunning | ApplicationFailure>) {
  return stubActivities({
    startTextractJob: async ({ documentId }) => ({
      jobId: `job-${documentId}`,
      api: TextractApi.ANALYSIS,
      notified: checks,
    }),
    collectFinishedTextractResults: async ({ jobId }) => {
      const answer = answers.shift();
      if (answer instanceof ApplicationFailure) throw answer;
      return (
        answer ?? {
          ...summaryOf(confidentFields, jobId),
          job: { status: 'SUCCEEDED', pages: 1, warnings: [] },
        }
      );
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

test('the notification for the document’s job starts collection, which confirms the end; others are ignored', async () => {
  const stub = notifiedStub([]);
  await withWorker(stub.activities, async (tq) => {
    const { handle, jobId } = await startNotified(tq, 'notified');
    await handle.signal(textractCompletedSignal, { jobId: 'someone-elses-job', status: 'SUCCEEDED' });
    await handle.query(statusQuery); // answered after the signal's workflow task
    expect(stub.calls.collectFinishedTextractResults).toHaveLength(0);
    await handle.signal(textractCompletedSignal, { jobId, status: 'SUCCEEDED' });
    const result = await handle.result();
    expect(result.status).toBe(DocumentStatus.SUCCEEDED);
    // No status check of its own: the one collection read the job's end with its first page.
    expect(stub.calls.collectFinishedTextractResults).toHaveLength(1);
    expect(stub.calls.checkTextractJob).toHaveLength(0);
    expect(stub.calls.waitForTextractJob).toHaveLength(0);
    expect(stub.calls.collectTextractResults).toHaveLength(0);
    // No local activity checks the job or closes the document: the one left is the lease request of the
    // queue's first document, which starts the quota workflow.
    const localActivities = ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
      const m = e.markerRecordedEventAttributes;
      if (m?.markerName !== 'core_local_activity') return [];
      const data = m.details?.data?.payloads?.[0]?.data;
      return [(JSON.parse(Buffer.from(data ?? []).toString()) as { activity_type: string }).activity_type];
    });
    expect(localActivities).toEqual(['requestTextractLease']);
  });
});

test('a notification ahead of Textract’s status is checked again soon, not minutes later', async () => {
  const stub = notifiedStub([stillRunning]);
  await withWorker(stub.activities, async (tq) => {
    const { handle, jobId } = await startNotified(tq, 'early');
    await handle.signal(textractCompletedSignal, { jobId, status: 'SUCCEEDED' });
    await expect(handle.result()).resolves.toMatchObject({ status: DocumentStatus.SUCCEEDED });
    expect(stub.calls.collectFinishedTextractResults).toHaveLength(2);
    const timers = ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
      const t = e.timerStartedEventAttributes?.startToFireTimeout;
      return t ? [Number(t.seconds ?? 0)] : [];
    });
    expect(timers.at(-1)).toBe(5);
  });
});

test('without a notification the fallback checks find the job done: first at the expected duration, then apart', async () => {
  const stub = notifiedStub([stillRunning, stillRunning]);
  await withWorker(stub.activities, async (tq) => {
    const handle = await start(tq, documentInput(`lost-${randomUUID()}`));
    const result = await handle.result();
    expect(result.status).toBe(DocumentStatus.SUCCEEDED);
    expect(stub.calls.collectFinishedTextractResults).toHaveLength(3);
    expect(stub.calls.waitForTextractJob).toHaveLength(0);
    // The checks waited on timers of the configured lengths (time skipped, so read off the history).
    const timers = ((await handle.fetchHistory()).events ?? []).flatMap((e) => {
      const t = e.timerStartedEventAttributes?.startToFireTimeout;
      return t ? [Number(t.seconds ?? 0)] : [];
    });
    expect(timers).toEqual([120, 300, 300]);
  });
});

test('a FAILED job found by collection fails the document in the wait phase', async () => {
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
    expect(stub.calls.collectFinishedTextractResults).toHaveLength(1);
    expect(stub.claims.size).toBe(0); // the claim on the bytes was released for the next document
  });
});
