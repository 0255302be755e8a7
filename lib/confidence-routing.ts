import type { ExtractionSummary } from './extraction';
import type { DocumentProfile } from './profile';

/** Why a field needs a person. */
export const ReviewReason = {
  LOW_CONFIDENCE: 'LOW_CONFIDENCE',
  MISSING_REQUIRED: 'MISSING_REQUIRED',
  /** Fields left out of the summary include at least one below the default threshold. */
  OMITTED_LOW_CONFIDENCE: 'OMITTED_LOW_CONFIDENCE',
  /** A clean document picked by the profile's sampleRate: a person checks what the thresholds let through. */
  SAMPLED: 'SAMPLED',
} as const;
export type ReviewReason = (typeof ReviewReason)[keyof typeof ReviewReason];

/** A field to review. Names, ids and scores only: safe to show in `status`. */
export interface ReviewItem {
  /** The field's name (a form key or query alias), as profiles name it. */
  field: string;
  /**
   * The field this item is about (`p<page>-f<n>`, or `p<page>-q<n>` for a query answer): names repeat,
   * ids do not. Absent for a missing required field and for the omitted-fields item.
   */
  fieldId?: string;
  /** The page the field is on, when it was found. */
  page?: number;
  reason: ReviewReason;
  /** The field's confidence, absent when the field is missing. */
  confidence?: number;
  threshold: number;
}

/** Name used for the review item of an audit sample (it concerns the whole document). */
export const sampledItemName = '(audit sample)';

/**
 * Where a checksum falls in [0, 1): its first 8 hex digits as a fraction. SHA-256 digits are uniform,
 * so `checksumFraction(c) < rate` picks that share of documents, and always the same ones.
 */
export function checksumFraction(checksum: string): number {
  const head = Number.parseInt(checksum.slice(0, 8), 16);
  return Number.isFinite(head) ? head / 0x1_0000_0000 : 1;
}

/** Whether a clean document with this checksum is sent to review as an audit sample. */
export function sampledForAudit(checksum: string, sampleRate: number | undefined): boolean {
  return (sampleRate ?? 0) > 0 && checksumFraction(checksum) < (sampleRate ?? 0);
}

/** The review item of an audit sample. */
export function sampledItem(profile: Pick<DocumentProfile, 'defaultThreshold'>): ReviewItem {
  return { field: sampledItemName, reason: ReviewReason.SAMPLED, threshold: profile.defaultThreshold };
}

/** Name used for the review item that stands for fields left out of the summary. */
export const omittedFieldsName = '(omitted fields)';

/**
 * Decides which fields need human review: each field below its threshold (per field, else the
 * profile default) and each required field that is missing or empty. An empty list means the
 * document goes straight to output.
 *
 * Names may repeat in a document (a form asking "Yes/No" ten times): a threshold applies to every
 * field of that name, each one below it being an item of its own with its field id; a required field
 * is present when at least one field of that name has a value (or is a checkbox, ticked or not).
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
        fieldId: field.id,
        page: field.page,
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
