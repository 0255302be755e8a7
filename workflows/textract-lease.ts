// The document side of the Textract concurrent-job lease: ask the quota workflow (through a local
// activity's signalWithStart), wait for its grant signal, release by signal even when cancelled.
import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  log,
  workflowInfo,
} from '@temporalio/workflow';
import { type LeaseGrant, releaseLeaseSignal } from '../lib/quota';
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

  /** Resolves once this run holds a lease (at once when the worker sets no cap). */
  async acquire(): Promise<void> {
    const { workflowId, runId, taskQueue } = workflowInfo();
    const res = await requestTextractLease({ taskQueue, workflowId, runId });
    if (res.quotaWorkflowId === undefined) return;
    this.quotaWorkflowId = res.quotaWorkflowId;
    if (res.granted) this.grant = { quotaWorkflowId: res.quotaWorkflowId };
    await condition(() => this.grant !== undefined);
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
