import type { ExtractionSummary } from './extraction';
import type { DocumentProfile } from './profile';

/** Why a field needs a person. */
export const ReviewReason = {
  LOW_CONFIDENCE: 'LOW_CONFIDENCE',
  MISSING_REQUIRED: 'MISSING_REQUIRED',
  /** Fields left out of the summary include at least one below the default threshold. */
  OMITTED_LOW_CONFIDENCE: 'OMITTED_LOW_CONFIDENCE',
} as const;
export type ReviewReason = (typeof ReviewReason)[keyof typeof ReviewReason];

/** A field to review. Names and scores only: safe to show in `status`. */
export interface ReviewItem {
  field: string;
  reason: ReviewReason;
  /** The field's confidence, absent when the field is missing. */
  confidence?: number;
  threshold: number;
}

/** Name used for the review item that stands for fields left out of the summary. */
export const omittedFieldsName = '(omitted fields)';

/**
 * Decides which fields need human review: each field below its threshold (per field, else the
 * profile default; a name found several times may give several items) and each required field that
 * is missing or empty. An empty list means the document goes straight to output.
 */
export function fieldsToReview(
  summary: Pick<ExtractionSummary, 'fields' | 'omittedMinConfidence'>,
  profile: Pick<DocumentProfile, 'defaultThreshold' | 'fieldThresholds' | 'requiredFields'>,
): ReviewItem[] {
  const items: ReviewItem[] = [];
  const thresholdOf = (name: string) => profile.fieldThresholds?.[name] ?? profile.defaultThreshold;
  const present = new Set<string>();
  for (const field of summary.fields) {
    // A checkbox has no words: finding it, ticked or not, is finding the field.
    if (field.value.trim().length > 0 || field.selected !== undefined) present.add(field.name);
    const threshold = thresholdOf(field.name);
    if (field.confidence < threshold) {
      items.push({
        field: field.name,
        reason: ReviewReason.LOW_CONFIDENCE,
        confidence: field.confidence,
        threshold,
      });
    }
  }
  for (const name of profile.requiredFields ?? []) {
    if (!present.has(name))
      items.push({ field: name, reason: ReviewReason.MISSING_REQUIRED, threshold: thresholdOf(name) });
  }
  if (summary.omittedMinConfidence !== null && summary.omittedMinConfidence < profile.defaultThreshold) {
    items.push({
      field: omittedFieldsName,
      reason: ReviewReason.OMITTED_LOW_CONFIDENCE,
      confidence: summary.omittedMinConfidence,
      threshold: profile.defaultThreshold,
    });
  }
  return items;
}
