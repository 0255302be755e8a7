// Waiting for a Textract job that was started with a NotificationChannel: the completion signal (relayed
// by the worker's SQS listener) or a slow fallback check, whichever comes first, then one Get* to
// confirm. Duplicate, late and lost notifications are harmless: the signal only says "look now", the
// check decides, and a lost one costs the wait until the next fallback check.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  proxyLocalActivities,
} from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import type { JobCheck } from '../activities/textract-status';
import type { DocumentActivities } from '../activities';
import type { CompletionChecks, JobRef, WaitResult } from '../activities/textract';
import type { TextractCompletedInput } from '../lib/contract';

/**
 * One Get* per attempt; throttling and transient errors retry with backoff. A local activity: the
 * worker that handles the signal's workflow task makes the call itself, so collection is scheduled in
 * the next task instead of after another activity round trip through the server.
 */
const { checkTextractJob } = proxyLocalActivities<DocumentActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A local activity's failure reaches the workflow as the activity's own ApplicationFailure, not
 * wrapped in an ActivityFailure as a scheduled activity's is: wrap it, so the document workflow
 * classifies it like every other step's (a FAILED job ends the document in TEXTRACT_WAIT).
 */
async function check(ref: JobRef): Promise<JobCheck> {
  try {
    return await checkTextractJob(ref);
  } catch (err) {
    if (!(err instanceof ApplicationFailure)) throw err;
    const retryState = err.nonRetryable
      ? RetryState.NON_RETRYABLE_FAILURE
      : RetryState.MAXIMUM_ATTEMPTS_REACHED;
    throw new ActivityFailure(err.message, 'checkTextractJob', undefined, retryState, undefined, err);
  }
}

/** How soon to look again when a notification came but Textract still says IN_PROGRESS. */
const recheckAfterEarlyNotificationMs = 5_000;
/** Job ids remembered: a document has one job per run; the bound only stops a flood of forged ids. */
const maxRemembered = 16;

/** The completion notifications a document's workflow has received, by job id. */
export class TextractCompletions {
  private readonly jobIds: string[] = [];
  /** Job id → the quota workflow the listener gave the lease back to. */
  private readonly released = new Map<string, string>();

  /** The signal handler: remembers the job id of a well-formed message, ignores anything else. */
  onSignal(raw: unknown): void {
    const message = raw as Partial<TextractCompletedInput> | null;
    const jobId = typeof message === 'object' && message !== null ? message.jobId : undefined;
    if (typeof jobId !== 'string' || jobId === '') {
      log.warn('textract completion signal without a job id ignored');
      return;
    }
    const by = message?.leaseReleasedBy;
    if (typeof by === 'string' && by.length <= 300 && !this.released.has(jobId)) this.released.set(jobId, by);
    if (this.jobIds.includes(jobId)) return; // a duplicate: nothing new
    this.jobIds.push(jobId);
    if (this.jobIds.length > maxRemembered) {
      const gone = this.jobIds.shift() as string;
      this.released.delete(gone);
    }
  }

  has(jobId: string): boolean {
    return this.jobIds.includes(jobId);
  }

  /** The quota workflow that already has the lease of this job's document back, if a notification said so. */
  leaseReleasedBy(jobId: string): string | undefined {
    return this.released.get(jobId);
  }

  forget(jobId: string): void {
    const i = this.jobIds.indexOf(jobId);
    if (i >= 0) this.jobIds.splice(i, 1);
  }
}

/**
 * Resolves when Textract confirms the job finished (SUCCEEDED or PARTIAL_SUCCESS); a FAILED job
 * rejects with the check's non-retryable failure. `polls` counts the Get* checks made.
 */
export async function awaitTextractCompletion(
  job: JobRef,
  checks: CompletionChecks,
  completions: TextractCompletions,
): Promise<WaitResult & { timers: number }> {
  const ref: JobRef = { jobId: job.jobId, api: job.api };
  const { collected, polls, timers } = await collectWhenFinished(ref.jobId, checks, completions, async () => {
    const answer = await check(ref);
    return answer.status === 'IN_PROGRESS' ? { inProgress: true as const } : answer;
  });
  return { ...collected, polls, timers };
}

/**
 * Waits as {@link awaitTextractCompletion} does, but lets collection itself confirm: after the
 * completion signal (or a fallback check's timer) it runs `collect`, whose first Get* page shows the
 * job's status; `{ inProgress: true }` sends it back to waiting. One activity and no local activity per
 * look, and no Get* spent on a check alone. `polls` counts the looks, `timers` the timers started (a
 * look after a signal that came before it needs none; a timer cut short by the signal still counts).
 */
export async function collectWhenFinished<T extends object>(
  jobId: string,
  checks: CompletionChecks,
  completions: TextractCompletions,
  collect: () => Promise<T | { inProgress: true }>,
): Promise<{ collected: T; polls: number; timers: number }> {
  let wait = checks.firstCheckMs;
  let polls = 0;
  let timers = 0;
  for (;;) {
    let notified = completions.has(jobId);
    if (!notified) {
      timers++;
      notified = await condition(() => completions.has(jobId), wait);
    }
    const result = await collect();
    polls++;
    if (!('inProgress' in result)) {
      log.info('textract completion confirmed', { jobId, notified, polls });
      return { collected: result, polls, timers };
    }
    if (notified) {
      completions.forget(jobId);
      wait = Math.min(recheckAfterEarlyNotificationMs, checks.checkIntervalMs);
    } else {
      wait = checks.checkIntervalMs;
    }
  }
}
