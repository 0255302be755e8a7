// The Textract quota workflow: one per document task queue (one account's quota), fixed id, holding
// the concurrent-job leases. Documents ask by signal (signalWithStart from a local activity when none
// runs yet; older runs asked by update) and get every grant by signal, in request order; leases go back
// by signal (the document's, or the notification listener's job-ended notice), and those of runs that
// ended without releasing (terminated) are reaped. Its state is the lease table, so leases survive
// worker crashes.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { QuotaActivities } from '../activities/quota';
import {
  jobEndedSignal,
  leaseGrantedSignal,
  type LeaseHolder,
  quotaStateQuery,
  type QuotaState,
  type QuotaWorkflowInput,
  releaseLeaseSignal,
  type LeaseRequest,
  requestLeaseSignal,
  requestLeaseUpdate,
} from '../lib/quota';

const { endedLeaseHolders } = proxyActivities<QuotaActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How often holders are checked for runs that ended without releasing, while someone waits. */
export const reapInterval = '1 minute';
/** Continue-as-new well before Temporal's suggestion (10 K+ events): a short history replays fast. */
export const quotaHistoryLimit = 2000;

const same = (a: LeaseHolder) => (b: LeaseHolder) => a.workflowId === b.workflowId && a.runId === b.runId;

export async function textractQuotaWorkflow(input: QuotaWorkflowInput): Promise<void> {
  const state: QuotaState = {
    maxConcurrentJobs: input.maxConcurrentJobs,
    holders: input.holders ?? [],
    waiters: input.waiters ?? [],
    granted: input.granted ?? 0,
    reaped: input.reaped ?? 0,
  };
  let changes = 0;
  let grantsInFlight = 0;
  const quotaWorkflowId = workflowInfo().workflowId;

  const drop = (holder: LeaseHolder): boolean => {
    const before = state.holders.length + state.waiters.length;
    state.holders = state.holders.filter((h) => !same(holder)(h));
    state.waiters = state.waiters.filter((h) => !same(holder)(h));
    changes++;
    return state.holders.length + state.waiters.length < before;
  };
  const grant = (holder: LeaseHolder): void => {
    grantsInFlight++;
    getExternalWorkflowHandle(holder.workflowId, holder.runId)
      .signal(leaseGrantedSignal, { quotaWorkflowId })
      .catch((err: unknown) => {
        // The run is gone (terminated, timed out): its lease goes to the next waiter.
        if (drop(holder)) state.reaped++;
        log.warn('lease grant undeliverable', { workflowId: holder.workflowId, error: String(err) });
      })
      .finally(() => grantsInFlight--);
  };

  // Message handlers.
  setHandler(quotaStateQuery, () => state);
  const request = ({ workflowId, runId, maxConcurrentJobs }: LeaseRequest): { granted: boolean } => {
    state.maxConcurrentJobs = maxConcurrentJobs;
    changes++;
    const held = state.holders.find((h) => h.workflowId === workflowId);
    if (held) {
      // A repeated request (its local activity retried) is granted again. A new run under the same
      // id means the old run is over: its lease passes to the new one.
      held.runId = runId;
      return { granted: true };
    }
    const waiting = state.waiters.find((h) => h.workflowId === workflowId);
    if (waiting) {
      waiting.runId = runId;
      return { granted: false };
    }
    if (state.waiters.length === 0 && state.holders.length < state.maxConcurrentJobs) {
      state.holders.push({ workflowId, runId });
      state.granted++;
      return { granted: true };
    }
    state.waiters.push({ workflowId, runId });
    return { granted: false };
  };
  setHandler(requestLeaseUpdate, request);
  // Requests by signal get every grant by signal, a repeated one too (the document ignores a second).
  setHandler(requestLeaseSignal, (req) => {
    if (request(req).granted) grant({ workflowId: req.workflowId, runId: req.runId });
  });
  setHandler(releaseLeaseSignal, (holder) => {
    drop(holder);
  });
  // The run holding a lease under this workflow id (one job per run) is the one whose job ended.
  setHandler(jobEndedSignal, ({ workflowId }) => {
    const holder = state.holders.find((h) => h.workflowId === workflowId);
    if (holder) drop(holder);
  });

  // Runs from here on keep one reap timer across loop iterations (older histories started one per pass).
  const onePendingReapTimer = patched('one-reap-timer');
  let reapTimer: Promise<void> | undefined;
  let reapFired = false;
  // Runs from here on reap beside the loop: grants go on while the check waits behind the queue's
  // other activities (1,000 documents' checksums held it ~20 s, every lease with it).
  const reapBesideGrants = patched('reap-beside-grants');
  let reaping = false;
  const reap = async (): Promise<void> => {
    const ended = await endedLeaseHolders({ holders: state.holders });
    for (const holder of ended) if (drop(holder)) state.reaped++;
    if (ended.length > 0) log.info('leases reaped', { count: ended.length });
  };
  for (;;) {
    while (state.holders.length < state.maxConcurrentJobs && state.waiters.length > 0) {
      const next = state.waiters.shift() as LeaseHolder;
      state.holders.push(next);
      state.granted++;
      grant(next);
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? quotaHistoryLimit)) {
      await condition(() => grantsInFlight === 0 && !reaping && allHandlersFinished());
      await continueAsNew<typeof textractQuotaWorkflow>({
        ...state,
        historyLimit: input.historyLimit,
        reapInterval: input.reapInterval,
      });
    }
    const seen = changes;
    // Reaping matters only when someone waits for a lease a dead run may hold.
    const reapDue = state.waiters.length > 0 && state.holders.length > 0;
    let changed: boolean;
    if (!reapDue) {
      changed = await condition(() => changes !== seen).then(() => true);
    } else if (onePendingReapTimer) {
      // One timer per reap interval, not one per change (each timer is a billed action): it keeps
      // running across the changes that wake the loop.
      reapTimer ??= sleep(input.reapInterval ?? reapInterval).then(() => {
        reapTimer = undefined;
        reapFired = true;
      });
      await condition(() => changes !== seen || reapFired);
      changed = !reapFired;
      reapFired = false;
    } else {
      changed = await condition(() => changes !== seen, input.reapInterval ?? reapInterval);
    }
    if (!changed && !reapBesideGrants) {
      await reap();
    } else if (!changed && !reaping) {
      // Holders are matched by run, so a lease granted while the check ran is never taken for one
      // of an ended run.
      reaping = true;
      void reap()
        .catch((err: unknown) => log.warn('lease check failed', { error: String(err) }))
        .finally(() => {
          reaping = false;
        });
    }
  }
}
