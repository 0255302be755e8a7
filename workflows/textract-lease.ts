// The document side of the Textract concurrent-job lease: ask the quota workflow (by signal, or through
// a local activity's signalWithStart when none runs yet), wait for its grant signal, release by signal
// even when cancelled.
import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  log,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type LeaseGrant,
  releaseLeaseSignal,
  requestLeaseSignal,
  textractQuotaWorkflowId,
} from '../lib/quota';
import { requestTextractLease } from './activities';

export class TextractLease {
  private grant: LeaseGrant | undefined;
  /** Set once the request is sent, until released: a release is owed (granted or still waiting). */
  private quotaWorkflowId: string | undefined;

  /** The grant signal's handler. */
  onGrant(grant: LeaseGrant): void {
    this.grant ??= grant;
  }

  get waiting(): boolean {
    return this.quotaWorkflowId !== undefined && this.grant === undefined;
  }

  /**
   * Resolves once this run holds a lease (at once when the worker sets no cap). With the worker's cap
   * known (`governor`, from the checksum step) the workflow signals the quota workflow itself: one
   * signal, no local activity. Only when no quota workflow runs yet (the signal fails), or the cap is
   * unknown, does a local activity ask through signalWithStart, which starts one. Returns what the
   * request cost in billed actions (the grant counts where it arrives).
   */
  async acquire(governor?: {
    maxConcurrentJobs: number;
  }): Promise<{ signals: number; localActivities: number }> {
    const { workflowId, runId, taskQueue } = workflowInfo();
    let signalled = false;
    const cost = { signals: 0, localActivities: 0 };
    if (governor) {
      if (governor.maxConcurrentJobs === 0) return cost;
      const quotaWorkflowId = textractQuotaWorkflowId(taskQueue);
      const request = { workflowId, runId, maxConcurrentJobs: governor.maxConcurrentJobs };
      signalled = await getExternalWorkflowHandle(quotaWorkflowId)
        .signal(requestLeaseSignal, request)
        .then(
          () => true,
          (err: unknown) => {
            log.info('no quota workflow to signal; starting one', { error: String(err) });
            return false;
          },
        );
      cost.signals += 1;
      if (signalled) this.quotaWorkflowId = quotaWorkflowId;
    }
    if (!signalled) {
      const res = await requestTextractLease({ taskQueue, workflowId, runId });
      cost.localActivities += 1;
      if (res.quotaWorkflowId === undefined) return cost;
      cost.signals += 1; // its signalWithStart
      this.quotaWorkflowId = res.quotaWorkflowId;
      if (res.granted) this.grant = { quotaWorkflowId: res.quotaWorkflowId };
    }
    await condition(() => this.grant !== undefined);
    return cost;
  }

  /** Who holds the lease, for an activity to release it when the job is over (the lease stays owed). */
  holding(): { quotaWorkflowId: string; workflowId: string; runId: string } | undefined {
    if (this.quotaWorkflowId === undefined) return undefined;
    const { workflowId, runId } = workflowInfo();
    return { quotaWorkflowId: this.quotaWorkflowId, workflowId, runId };
  }

  /**
   * Hands the release to the next activity (collection signals it as it starts, which saves the
   * document a signal and a workflow task). If that activity never runs, the reaper frees the lease
   * once this run has ended.
   */
  handOff(): { quotaWorkflowId: string; workflowId: string; runId: string } | undefined {
    const quotaWorkflowId = this.quotaWorkflowId;
    if (quotaWorkflowId === undefined) return undefined;
    this.quotaWorkflowId = undefined;
    const { workflowId, runId } = workflowInfo();
    return { quotaWorkflowId, workflowId, runId };
  }

  /** Gives the lease (or the place in line) back; never throws, runs even in a cancelled workflow. */
  async release(): Promise<void> {
    const quotaWorkflowId = this.quotaWorkflowId;
    if (quotaWorkflowId === undefined) return;
    this.quotaWorkflowId = undefined;
    const { workflowId, runId } = workflowInfo();
    await CancellationScope.nonCancellable(() =>
      getExternalWorkflowHandle(quotaWorkflowId).signal(releaseLeaseSignal, { workflowId, runId }),
    ).catch((err: unknown) => {
      // The quota workflow's reaper frees it once this run has ended.
      log.warn('lease release failed', { error: String(err) });
    });
  }
}
