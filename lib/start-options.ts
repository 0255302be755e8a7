import type { DocumentWorkflowInput } from './document-input';
import { documentStaticSummary } from './document-input';
import { DocumentStatus } from './document-status';
import { DocumentStatusKey } from './search-attributes';
import { documentWorkflowId } from './workflow-ids';

/**
 * Options every starter passes to `client.workflow.start(documentWorkflow, …)`: the one workflow id
 * (so the same document never runs twice), the task queue, a content-free static summary for the UI,
 * and DocumentStatus=RECEIVED set with the start itself instead of by a billed upsert.
 *
 * @param taskQueue the queue the workers poll: a client's configured DOCKET_TASK_QUEUE. A parameter
 *   rather than the `documentTaskQueue` constant, so a client can never start documents on a queue
 *   other than the one it was configured with.
 */
export function documentStartOptions(input: DocumentWorkflowInput, taskQueue: string) {
  return {
    workflowId: documentWorkflowId(input.documentId),
    taskQueue,
    args: [input] as [DocumentWorkflowInput],
    staticSummary: documentStaticSummary(input),
    typedSearchAttributes: [{ key: DocumentStatusKey, value: DocumentStatus.RECEIVED as string }],
  };
}
