/**
 * The Textract quota governor's contract, shared by the document workflow, the quota workflow, the
 * activities and the workers: task-queue names per Textract operation family and the lease messages.
 */
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** Task queue of the Start* calls: its workers cap the queue's activity starts at the Start* TPS. */
export function textractStartQueue(taskQueue: string): string {
  return `${taskQueue}-textract-start`;
}

/** Task queue of the Get* calls (status and result pages): capped at the Get* TPS. */
export function textractGetQueue(taskQueue: string): string {
  return `${taskQueue}-textract-get`;
}

/** The one quota workflow per document task queue (one account's Textract quota). */
export function textractQuotaWorkflowId(taskQueue: string): string {
  return `docket-textract-quota-${taskQueue}`;
}

/** Who holds (or waits for) a concurrent-job lease: a document workflow run. */
export interface LeaseHolder {
  workflowId: string;
  runId: string;
}

export interface LeaseRequest extends LeaseHolder {
  /** The account's concurrent-job cap as the requesting worker is configured; the latest one wins. */
  maxConcurrentJobs: number;
}

export interface LeaseGrant {
  /** The quota workflow that granted it (where to release). */
  quotaWorkflowId: string;
}

/** What the quota workflow carries over continue-as-new, and shows through its query. */
export interface QuotaState {
  maxConcurrentJobs: number;
  /** Holders in grant order. */
  holders: LeaseHolder[];
  /** Waiters in request order (first come, first granted). */
  waiters: LeaseHolder[];
  /** Totals since the first run, for operators. */
  granted: number;
  reaped: number;
}

export type QuotaWorkflowInput = Partial<QuotaState> & {
  maxConcurrentJobs: number;
  /** History length at which it continues as new. @default 2000 (quotaHistoryLimit) */
  historyLimit?: number;
  /** How often ended holders are looked for while someone waits. @default '1 minute' */
  reapInterval?: Duration;
};

/** The answer to a request: granted now, or queued (the grant comes later as leaseGrantedSignal). */
export interface LeaseAnswer {
  granted: boolean;
}

/**
 * Document → quota workflow: a lease for one Textract job, idempotent per workflow run, answered at
 * once (granted or queued). Documents now ask by {@link requestLeaseSignal}: Temporal refuses an
 * eleventh update in flight, and a burst of documents asks at once. Kept for tools and tests.
 */
export const requestLeaseUpdate = defineUpdate<LeaseAnswer, [LeaseRequest]>('requestTextractLease');
/**
 * The same request as a signal (sent with signalWithStart): Temporal accepts at most 10 updates in
 * flight per workflow, and a burst of documents asks for leases at once. The grant always comes back
 * as {@link leaseGrantedSignal}.
 */
export const requestLeaseSignal = defineSignal<[LeaseRequest]>('requestTextractLeaseBySignal');
/** Document → quota workflow: the job is over (finished, failed, cancelled); idempotent. */
export const releaseLeaseSignal = defineSignal<[LeaseHolder]>('releaseTextractLease');

/** A document's Textract job ended, as its completion notification says. */
export interface JobEnded {
  /** The document's workflow id (its JobTag's document). */
  workflowId: string;
  jobId: string;
}

/**
 * Notification listener → quota workflow: the document's job has ended, so its lease goes back now,
 * before the document's own workflow task and collection run. The listener then tells the document
 * (`leaseReleasedBy` in its completion signal), whose collection releases nothing.
 */
export const jobEndedSignal = defineSignal<[JobEnded]>('textractJobEnded');
/** Quota workflow → document: the lease is yours; start the job. */
export const leaseGrantedSignal = defineSignal<[LeaseGrant]>('textractLeaseGranted');
export const quotaStateQuery = defineQuery<QuotaState>('textractQuotaState');

/** The Textract-call queues of a document queue with the server-side rate each one's workers set. */
export function textractQueueLimits(
  taskQueue: string,
  rates: { startPerSecond: number; getPerSecond: number },
): { taskQueue: string; maxTaskQueueActivitiesPerSecond: number }[] {
  return [
    { taskQueue: textractStartQueue(taskQueue), maxTaskQueueActivitiesPerSecond: rates.startPerSecond },
    { taskQueue: textractGetQueue(taskQueue), maxTaskQueueActivitiesPerSecond: rates.getPerSecond },
  ];
}
