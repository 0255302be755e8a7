// Activities of the Textract concurrent-job lease: the request (signalWithStart of the quota
// workflow, through the worker's Temporal client) and the reaper's check for ended holders.
import { WorkflowNotFoundError } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import {
  type LeaseHolder,
  requestLeaseSignal,
  textractQuotaWorkflowId,
  type QuotaWorkflowInput,
} from '../lib/quota';

export interface QuotaActivitiesOptions {
  /** The account's cap on concurrent Textract jobs; 0 turns leases off. @default 0 */
  maxConcurrentJobs?: number;
}

export interface LeaseRequestInput extends LeaseHolder {
  /** The document's task queue: the quota workflow runs there, one per queue. */
  taskQueue: string;
}

export interface LeaseRequestResult {
  /** Where the lease was asked for; absent when this worker sets no cap (no lease needed). */
  quotaWorkflowId?: string;
  /** Granted in the answer; otherwise the grant comes as a signal. */
  granted: boolean;
}

export function createQuotaActivities(options: QuotaActivitiesOptions = {}) {
  const maxConcurrentJobs = options.maxConcurrentJobs ?? 0;
  return {
    /** Asks for a lease (idempotent per run), starting the quota workflow if none runs. */
    requestTextractLease: async (input: LeaseRequestInput): Promise<LeaseRequestResult> => {
      if (maxConcurrentJobs === 0) return { granted: true };
      const workflowId = textractQuotaWorkflowId(input.taskQueue);
      // signalWithStart, not an update: Temporal holds at most 10 updates in flight per workflow,
      // and a burst of documents asks at once. The grant comes back as a signal.
      await Context.current().client.workflow.signalWithStart('textractQuotaWorkflow', {
        workflowId,
        taskQueue: input.taskQueue,
        args: [{ maxConcurrentJobs } satisfies QuotaWorkflowInput],
        signal: requestLeaseSignal,
        signalArgs: [{ workflowId: input.workflowId, runId: input.runId, maxConcurrentJobs }],
      });
      return { quotaWorkflowId: workflowId, granted: false };
    },

    /** The holders whose run has ended (or is unknown): their lease is free. */
    endedLeaseHolders: async ({ holders }: { holders: LeaseHolder[] }): Promise<LeaseHolder[]> => {
      const client = Context.current().client;
      const ended: LeaseHolder[] = [];
      for (const holder of holders) {
        try {
          const d = await client.workflow.getHandle(holder.workflowId, holder.runId).describe();
          if (d.status.name !== 'RUNNING') ended.push(holder);
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          ended.push(holder);
        }
      }
      return ended;
    },
  };
}

export type QuotaActivities = ReturnType<typeof createQuotaActivities>;
