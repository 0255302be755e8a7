/** Where a document is in its life. Values are what operators filter on in the Temporal UI. */
export const DocumentStatus = {
  RECEIVED: 'RECEIVED',
  PROCESSING: 'PROCESSING',
  AWAITING_REVIEW: 'AWAITING_REVIEW',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  DUPLICATE: 'DUPLICATE',
} as const;
export type DocumentStatus = (typeof DocumentStatus)[keyof typeof DocumentStatus];
