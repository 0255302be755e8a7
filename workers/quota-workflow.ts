// The quota workflow started as the worker comes up, so the documents of a first burst find it and ask
// by plain signal: without it, every document that asks before the first signalWithStart lands pays a
// local activity and a signalWithStart more (27 of 1,000 documents in a burst, 13 actions not 12).
import type { Client } from '@temporalio/client';
import { type QuotaWorkflowInput, textractQuotaWorkflowId } from '../lib/quota';

/**
 * Starts the task queue's quota workflow unless one runs (the id's conflict policy keeps a running one,
 * its lease table untouched). Returns the workflow id.
 */
export async function ensureQuotaWorkflow(
  client: Client,
  taskQueue: string,
  maxConcurrentJobs: number,
): Promise<string> {
  const workflowId = textractQuotaWorkflowId(taskQueue);
  await client.workflow.start('textractQuotaWorkflow', {
    workflowId,
    taskQueue,
    args: [{ maxConcurrentJobs } satisfies QuotaWorkflowInput],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return workflowId;
}
