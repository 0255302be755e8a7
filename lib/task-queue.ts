/** The task queue document workflows and their activities run on; workers poll it, clients start on it. */
export const documentTaskQueue = 'docket-documents';
