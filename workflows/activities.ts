// Activity stubs, one per timeout profile. Types only: the activities themselves never enter the
// workflow bundle.
import type { Duration } from '@temporalio/common';
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { DocumentActivities } from '../activities';
import { textractCollectTimeout, textractPollTimeout } from '../lib/profile';
import { textractGetQueue, textractStartQueue } from '../lib/quota';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

/** Short S3/Textract/KMS calls. */
export const { releaseClaim, startTextractJob } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '2 minutes',
  retry,
});

/**
 * The streamed output reads every stored part (two passes) and uploads the document in parts: 3,000
 * pages took up to a minute against moto. It heartbeats per part read, so a crashed worker is
 * noticed within the heartbeat timeout while a long document still has time to finish.
 */
export const { writeDocumentOutput, writeOutputAndRecord } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry,
});

/**
 * The overdue-review notice: a few bounded attempts, then the workflow gives up on it (it never fails
 * the document).
 */
export const { escalateReview } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: 5 },
});

/**
 * One conditional S3 write, run by the worker that runs the workflow task: a local activity adds
 * one marker to the history instead of an activity's three events and another workflow task.
 */
export const { completeClaim } = proxyLocalActivities<DocumentActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
});

/** Streams the whole source object (up to 500 MB): heartbeats prove progress. */
export const { checksumAndClaim } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry,
});

/**
 * The long heartbeating poll and the page-by-page collection, with the profile's heartbeat timeout
 * (how soon a crashed worker's activity is retried elsewhere). It must cover the longest wait between
 * polls plus a slow Get* call; it is well below startToClose so a crashed worker is noticed fast.
 * Both timeouts live in lib/profile.ts, where the profile file's heartbeatTimeout is checked against them.
 */
export function textractActivities(heartbeatTimeout: Duration, getQueue?: string) {
  const queue = getQueue ? { taskQueue: getQueue } : {};
  const { waitForTextractJob } = proxyActivities<DocumentActivities>({
    startToCloseTimeout: textractPollTimeout,
    heartbeatTimeout,
    retry,
    ...queue,
  });
  const { collectTextractResults, collectFinishedTextractResults } = proxyActivities<DocumentActivities>({
    startToCloseTimeout: textractCollectTimeout,
    heartbeatTimeout,
    retry,
    ...queue,
  });
  // Rebuilding from stored raw parts reads and writes as collection does, without Textract.
  const { rebuildExtraction } = proxyActivities<DocumentActivities>({
    startToCloseTimeout: textractCollectTimeout,
    heartbeatTimeout,
    retry,
  });
  return { waitForTextractJob, collectTextractResults, collectFinishedTextractResults, rebuildExtraction };
}

/**
 * The Textract calls on their own task queues (the quota governor): the workers of those queues set
 * maxTaskQueueActivitiesPerSecond to the account's Start* and Get* rates, enforced by the server
 * across every worker.
 */
export function governedTextractActivities(taskQueue: string, heartbeatTimeout: Duration) {
  // The start heartbeats while it waits its turn: a crashed worker's start is retried after 30 s.
  const { startTextractJob } = proxyActivities<DocumentActivities>({
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '30 seconds',
    retry,
    taskQueue: textractStartQueue(taskQueue),
  });
  return { startTextractJob, ...textractActivities(heartbeatTimeout, textractGetQueue(taskQueue)) };
}

/** One signalWithStart of the quota workflow: a marker, not an activity's events and a workflow task. */
export const { requestTextractLease } = proxyLocalActivities<DocumentActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
});

/**
 * Records what the document was routed with (reprocess and reroute read it): two small S3 writes,
 * a local activity for the same reason as completeClaim.
 */
export const { recordExtraction } = proxyLocalActivities<DocumentActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
});

/**
 * One look per attempt at a claim held by another document; the retry policy is the polling schedule
 * (retries add no history events). The original may wait for a reviewer for days.
 */
export const { awaitOriginal } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '8 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
