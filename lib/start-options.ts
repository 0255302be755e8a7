import type { DocumentWorkflowInput } from './document-input';
import { documentStaticSummary } from './document-input';
import { DocumentStatus } from './document-status';
import { DocumentStatusKey } from './search-attributes';
import { documentTaskQueue } from './task-queue';
import { documentWorkflowId } from './workflow-ids';

/**
 * Options every starter passes to `client.workflow.start(documentWorkflow, …)`: the one workflow id
 * (so the same document never runs twice), the task queue, a content-free static summary for the UI,
 * and DocumentStatus=RECEIVED set with the start itself instead of by a billed upsert.
 */
export function documentStartOptions(input: DocumentWorkflowInput) {
  return {
    workflowId: documentWorkflowId(input.documentId),
    taskQueue: documentTaskQueue,
    args: [input] as [DocumentWorkflowInput],
    staticSummary: documentStaticSummary(input),
    typedSearchAttributes: [{ key: DocumentStatusKey, value: DocumentStatus.RECEIVED as string }],
  };
}
