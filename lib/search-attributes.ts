import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/*
 * docket's custom search attributes, defined once for the workflow (upserts), the clients (visibility
 * queries) and the local stack (registration on the dev server). They are NOT encrypted: never put
 * document content in them.
 */
export const DocumentStatusKey = defineSearchAttributeKey('DocumentStatus', SearchAttributeType.KEYWORD);
export const DocumentChecksumKey = defineSearchAttributeKey('DocumentChecksum', SearchAttributeType.KEYWORD);
export const ReviewRequiredKey = defineSearchAttributeKey('ReviewRequired', SearchAttributeType.BOOL);
export const MinConfidenceKey = defineSearchAttributeKey('MinConfidence', SearchAttributeType.DOUBLE);
export const PageCountKey = defineSearchAttributeKey('PageCount', SearchAttributeType.INT);
/** Set true when a document passes its profile's reviewSla undecided. */
export const ReviewOverdueKey = defineSearchAttributeKey('ReviewOverdue', SearchAttributeType.BOOL);

export const docketSearchAttributes = [
  DocumentStatusKey,
  DocumentChecksumKey,
  ReviewRequiredKey,
  MinConfidenceKey,
  PageCountKey,
  ReviewOverdueKey,
] as const;
