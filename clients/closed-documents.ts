// Closed document runs read through visibility, and their results: what `docket review-stats` and
// `docket cost` aggregate. Each result is read from the run visibility listed, never "the latest run
// of this id": a reprocessed document's newer run may still be waiting for review, and following it
// would wait with it.
import { ApplicationFailure, type Client, WorkflowFailedError } from '@temporalio/client';
import type { DocumentResult } from '../lib/contract';
import type { documentWorkflow } from '../workflows';

export interface ClosedDocumentsRequest {
  /** Visibility clauses beyond "a closed documentWorkflow run", joined with AND. */
  clauses?: string[];
  /** Runs read at most. @default 10000 */
  limit?: number;
  /** Results fetched at once. @default 8 */
  concurrency?: number;
}

/**
 * Calls `each` with every closed document run's result (a failed run's result is in its failure's
 * details), or undefined when it has none (cancelled, terminated, or from before results carried it).
 */
export async function forEachClosedResult(
  temporal: Client,
  request: ClosedDocumentsRequest,
  each: (result: DocumentResult | undefined) => void,
): Promise<void> {
  const query = [
    `WorkflowType = 'documentWorkflow'`,
    `ExecutionStatus != 'Running'`,
    ...(request.clauses ?? []),
  ].join(' AND ');
  const runs: { workflowId: string; runId: string }[] = [];
  const limit = request.limit ?? 10_000;
  for await (const wf of temporal.workflow.list({ query })) {
    runs.push({ workflowId: wf.workflowId, runId: wf.runId });
    if (runs.length >= limit) break;
  }
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const run = runs[next++] as { workflowId: string; runId: string };
      each(await closedResult(temporal, run.workflowId, run.runId));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency ?? 8) }, worker));
}

async function closedResult(
  temporal: Client,
  workflowId: string,
  runId: string,
): Promise<DocumentResult | undefined> {
  try {
    const handle = temporal.workflow.getHandle<typeof documentWorkflow>(workflowId, runId, {
      followRuns: false,
    });
    return await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) {
      return err.cause.details?.[0] as DocumentResult | undefined;
    }
    return undefined;
  }
}
