/** The one place a document's workflow id is made: starting the same document twice hits the same id. */
export function documentWorkflowId(documentId: string): string {
  return `document-${documentId}`;
}
