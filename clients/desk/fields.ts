/**
 * The fields a reviewer sees on the page: every form field and query answer of the stored normalized
 * result (the collect activity's `normalized/NNNNN.json` parts), with its geometry, its current value
 * (a reviewer's correction already sent replaces the extracted one) and whether it needs review and
 * why (the workflow's review items). Field values are document content: never logged.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFoundError } from '../../lib/aws/errors';
import type { ReviewItem, ReviewReason } from '../../lib/confidence-routing';
import type { ReviewAuditEntry } from '../../lib/contract';
import type { BoundingBox } from '../../lib/document-model';
import { type NormalizedPart, partKey } from '../../lib/extraction';

/** One field as the desk (and `GET /documents/:id/fields`) shows it. */
export interface DeskField {
  /** `p<page>-f<n>` for a form field, `p<page>-q<n>` for a query answer: what review items and corrections name. */
  id: string;
  kind: 'form' | 'query';
  /** The form key's text, or the query's alias. */
  name: string;
  /** The value now: the reviewer's correction when one was sent, else what Textract read. */
  value: string;
  /** What Textract read, when a reviewer has corrected it. */
  extractedValue?: string;
  /** 0-100: the least of key and value for a form field (what routing compared), the answer's for a query. */
  confidence: number;
  page: number;
  /**
   * Where the value is (the key when the value has no box with an area, as an empty value); absent
   * for interpreted query answers.
   */
  box?: BoundingBox;
  /** Where the key is (form fields). */
  keyBox?: BoundingBox;
  /** Set for a checkbox or radio button. */
  selected?: boolean;
  needsReview: boolean;
  /** Why it needs review (empty when it does not). */
  reasons: ReviewReason[];
  /** The threshold it was held to, when it needs review. */
  threshold?: number;
}

/** The fields of a document's normalized parts in page order, marked by the review items. */
export function deskFields(
  parts: readonly NormalizedPart[],
  review: readonly ReviewItem[],
  actions: readonly ReviewAuditEntry[] = [],
): DeskField[] {
  const items = new Map<string, ReviewItem[]>();
  for (const item of review) {
    if (item.fieldId) items.set(item.fieldId, [...(items.get(item.fieldId) ?? []), item]);
  }
  // The last correction of a field wins, as in the workflow.
  const corrected = new Map<string, string>();
  for (const a of actions) if (a.action === 'correct' && a.fieldId) corrected.set(a.fieldId, a.newValue);

  const marked = (field: Omit<DeskField, 'needsReview' | 'reasons' | 'threshold'>): DeskField => {
    const its = items.get(field.id) ?? [];
    const now = corrected.get(field.id);
    return {
      ...field,
      ...(now === undefined || now === field.value ? {} : { value: now, extractedValue: field.value }),
      needsReview: its.length > 0,
      reasons: [...new Set(its.map((i) => i.reason))],
      ...(its[0] ? { threshold: its[0].threshold } : {}),
    };
  };
  const out: DeskField[] = [];
  const pages = parts.flatMap((p) => p.pages).sort((a, b) => a.page - b.page);
  for (const page of pages) {
    for (const f of page.fields) {
      const box = drawable(f.value.box) ?? drawable(f.key.box);
      out.push(
        marked({
          id: f.id,
          kind: 'form',
          name: f.name,
          value: f.value.text,
          confidence: Math.min(f.key.confidence, f.value.confidence),
          page: f.page,
          ...(box ? { box } : {}),
          ...(drawable(f.key.box) ? { keyBox: f.key.box } : {}),
          ...(f.selected === undefined ? {} : { selected: f.selected }),
        }),
      );
    }
    for (const q of page.queries) {
      out.push(
        marked({
          id: q.id,
          kind: 'query',
          name: q.alias,
          value: q.text,
          confidence: q.confidence,
          page: q.page,
          ...(drawable(q.box) ? { box: q.box } : {}),
        }),
      );
    }
  }
  return out;
}

/** A box with an area: an empty value's box is a point, and a reviewer could not see it. */
function drawable(box: BoundingBox | undefined): BoundingBox | undefined {
  return box && box.width > 0 && box.height > 0 ? box : undefined;
}

/** Most normalized parts read for one document (a 3,000-page document has about 3,000 / 1,000 = 3). */
const maxParts = 10_000;

/**
 * The normalized parts under `prefix` (`resultsPrefix(documentId, jobId)`), read in order until the
 * next is missing. Errors say which part failed, never the bucket or key.
 */
export async function readNormalizedParts(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<NormalizedPart[]> {
  const parts: NormalizedPart[] = [];
  for (let part = 1; part <= maxParts; part++) {
    let text: string | undefined;
    try {
      const res = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: partKey(prefix, 'normalized', part) }),
      );
      text = await res.Body?.transformToString();
    } catch (err) {
      if (isNotFoundError(err)) break;
      throw new Error(`reading normalized part ${part} failed (${(err as Error).name})`);
    }
    const read = JSON.parse(text ?? 'null') as Partial<NormalizedPart> | null;
    if (!Array.isArray(read?.pages)) {
      throw new Error(`normalized part ${part} is not of output schema 2: an older docket collected it`);
    }
    parts.push({ pages: read.pages, tables: read.tables ?? [] });
  }
  return parts;
}
