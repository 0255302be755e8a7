import type { OutputPage, OutputTable } from './document-model';

// What the collect activity hands the workflow: a compact summary of Textract's result (claim check),
// while the full result stays in S3.

/** Where a field came from. */
export const FieldSource = { QUERY: 'QUERY', FORM: 'FORM' } as const;
export type FieldSource = (typeof FieldSource)[keyof typeof FieldSource];

/**
 * One value routing looks at: a form field (every pair with a key, repeated names as separate
 * entries), or the top answer of a query alias. Travels only in encrypted payloads, never in logs.
 */
export interface ExtractedField {
  /** The output's id of the field (`p<page>-f<n>`) or of the query answer (`p<page>-q<n>`). */
  id: string;
  /** Query alias, or the form key's text as a name (`fieldName`). */
  name: string;
  /** Truncated to {@link maxSummaryValueLength} characters in the summary; the output has it whole. */
  value: string;
  /** 0–100. */
  confidence: number;
  page: number;
  source: FieldSource;
  /** Set when the value is a selection element: ticked or not (its `value` is then usually ''). */
  selected?: boolean;
}

/** A Textract warning, as kept for the output and `status`. */
export interface TextractWarning {
  errorCode: string;
  pages: number[];
}

/** Compact summary of one collected Textract result; kept well under 16 KB. */
export interface ExtractionSummary {
  jobId: string;
  pages: number;
  /**
   * KMS requests the collection caused: S3 asks KMS for a data key per SSE-KMS object written and a
   * decrypt per one read. Absent from summaries of older workers.
   */
  kmsRequests?: number;
  /** Get* responses written to S3 as raw parts. */
  partsWritten: number;
  /** Bucket and key prefix holding `raw/NNNNN.json` and `normalized/NNNNN.json`. */
  resultsBucket: string;
  resultsPrefix: string;
  lineCount: number;
  tableCount: number;
  /** Fields routing considered: `fields` plus `fieldsOmitted`. */
  fieldCount: number;
  /** Lowest field confidence (lines when there are no fields); null for a document without text. */
  minConfidence: number | null;
  /** The profile's named fields that were found, then the lowest-confidence others. */
  fields: ExtractedField[];
  /** Fields not listed in `fields` to keep the summary small. */
  fieldsOmitted: number;
  /** Lowest confidence among the omitted fields, so routing can still tell whether one needs review. */
  omittedMinConfidence: number | null;
}

export const maxSummaryValueLength = 200;
export const maxSummaryFields = 40;
/** The summary must stay below this many bytes of JSON. */
export const maxSummaryBytes = 16 * 1024;

/** A table as output schema 1 (lib/output-document.ts) delivers it; goes with that schema. */
export interface NormalizedTable {
  confidence: number;
  /** Cell texts by row then column (1-based indexes flattened to arrays). */
  rows: string[][];
}

/** Key prefix of one document's collected result. */
export function resultsPrefix(documentId: string, jobId: string): string {
  return `documents/${documentId}/textract/${jobId}`;
}

export function partKey(prefix: string, kind: 'raw' | 'normalized', part: number): string {
  return `${prefix}/${kind}/${String(part).padStart(5, '0')}.json`;
}

/**
 * One normalized part (`normalized/NNNNN.json`, output schema 2): the pages one Get* response
 * completed, and the logical tables that ended with them (a table continuing onto the next page stays
 * open until that page is read, so each table is written once, in the part where it ends).
 */
export interface NormalizedPart {
  pages: OutputPage[];
  tables: OutputTable[];
}
