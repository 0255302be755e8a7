/*
 * The document model docket delivers (output schema version 2): everything real Textract returns that
 * a downstream system or a reviewer needs, with geometry. Documented for consumers by
 * lib/output-schema.json, which a test keeps in step with these types. Pure types and small helpers:
 * the collect activity builds the model page by page, the output activity streams it encrypted.
 */

import type { ReviewItem } from './confidence-routing';
import type { DocumentSource, DuplicateOf, ReviewAuditEntry } from './contract';
import type { TextractWarning } from './extraction';
import type { DocumentCost } from './pricing';

/** The output document's schema version; a consumer checks it before reading. */
export const outputSchemaVersion = 2;

/** Where something sits on its page, as fractions of the page's width and height (Textract's). */
export interface BoundingBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Printed or handwritten, where Textract says. */
export type TextType = 'PRINTED' | 'HANDWRITING';

/** One line of text, in reading order on its page. */
export interface OutputLine {
  text: string;
  /** 0-100. */
  confidence: number;
  /** The type of most of its words, when Textract gives one. */
  textType?: TextType;
  box: BoundingBox;
}

/** The key or the value of a form field. */
export interface FieldPart {
  /** Its words joined by spaces ('' when Textract found none: empty keys and values are kept). */
  text: string;
  /** 0-100: Textract's confidence in the key/value block. */
  confidence: number;
  box?: BoundingBox;
}

/**
 * One key/value pair. Every pair Textract found is kept: repeated keys are separate fields with their
 * own ids, and fields with an empty key or value are kept too.
 */
export interface OutputField {
  /**
   * Stable within a document: `p<page>-f<n>`, n counting the page's pairs in Textract's order. The same
   * response always gives the same ids, so review items, corrections and exports can point at one.
   */
  id: string;
  /** The key as a name (its text, whitespace collapsed, trailing ':' dropped): what profiles name. */
  name: string;
  page: number;
  key: FieldPart;
  /** The value as delivered: a reviewer's correction replaces its text (see `correction`). */
  value: FieldPart;
  /** Set when the value is a selection element (a checkbox or radio button): ticked or not. */
  selected?: boolean;
  /** Present when a reviewer replaced the value. */
  correction?: {
    extractedText: string;
    /** The reviewer's display name, from their verified token. */
    reviewer: string;
    /** The reviewer's token subject (absent in outputs of documents reviewed before sign-in existed). */
    reviewerId?: string;
    at: string;
  };
}

/** One answer to a profile query; a query may have several, in Textract's order. */
export interface OutputQueryAnswer {
  /** `p<page>-q<n>`. */
  id: string;
  /** The query's alias (the field name profiles use), else its text. */
  alias: string;
  question: string;
  text: string;
  confidence: number;
  page: number;
  box?: BoundingBox;
}

/** A signature Textract detected (SIGNATURES feature). */
export interface OutputSignature {
  page: number;
  confidence: number;
  box: BoundingBox;
}

/** Layout element kinds, as Textract's LAYOUT_* block types without the prefix. */
export type LayoutKind =
  | 'TITLE'
  | 'SECTION_HEADER'
  | 'HEADER'
  | 'FOOTER'
  | 'PAGE_NUMBER'
  | 'LIST'
  | 'FIGURE'
  | 'KEY_VALUE'
  | 'TABLE'
  | 'TEXT';

/** A layout element (LAYOUT feature), in the page's reading order. */
export interface OutputLayoutElement {
  kind: LayoutKind;
  /** The text of its lines in order ('' for a figure without text). */
  text: string;
  confidence: number;
  page: number;
  box: BoundingBox;
}

/** One cell of a table; a merged cell appears once, at its top-left position, with its span. */
export interface OutputCell {
  /** 1-based, counted over the whole logical table (a continuation's rows follow the first part's). */
  row: number;
  column: number;
  rowSpan: number;
  columnSpan: number;
  text: string;
  confidence: number;
  /** Textract's entity types: COLUMN_HEADER, TABLE_TITLE, TABLE_FOOTER, TABLE_SECTION_TITLE, TABLE_SUMMARY. */
  entityTypes: string[];
  page: number;
  box: BoundingBox;
  /** Set when the cell holds a selection element: ticked or not. */
  selected?: boolean;
}

/** A caption of a table (TABLE_TITLE or TABLE_FOOTER). */
export interface OutputTableCaption {
  text: string;
  page: number;
  box?: BoundingBox;
}

/** One page's piece of a logical table. */
export interface OutputTablePart {
  page: number;
  box: BoundingBox;
  /** The logical table's row that this part's first row became. */
  firstRow: number;
  rowCount: number;
}

/**
 * A logical table: one Textract TABLE, or several on consecutive pages that continue each other
 * (same columns, nothing in between), merged in order with each part's page kept.
 */
export interface OutputTable {
  /** `t<n>`, n counting logical tables through the document from 1. */
  id: string;
  /** STRUCTURED or SEMI_STRUCTURED when Textract says. */
  type?: 'STRUCTURED' | 'SEMI_STRUCTURED';
  title?: OutputTableCaption;
  footer?: OutputTableCaption;
  rowCount: number;
  columnCount: number;
  /** Rows whose cells are all COLUMN_HEADER (a continuation's repeated header rows included). */
  headerRows: number[];
  /** Lowest cell confidence, 0-100. */
  confidence: number;
  parts: OutputTablePart[];
  cells: OutputCell[];
}

/** What Textract found on one page (tables are document-level: they may span pages). */
export interface OutputPage {
  page: number;
  lines: OutputLine[];
  fields: OutputField[];
  queries: OutputQueryAnswer[];
  signatures: OutputSignature[];
  layout: OutputLayoutElement[];
}

/** A value a reviewer set: for a field Textract found (by id), or for a missing required field. */
export interface OutputCorrection {
  /** The corrected field's id; absent when the reviewer supplied a field Textract did not find. */
  fieldId?: string;
  name: string;
  /** What Textract had found; null for a field it did not find. */
  extractedText: string | null;
  text: string;
  /** The reviewer's display name, from their verified token. */
  reviewer: string;
  /** The reviewer's token subject (absent in outputs of documents reviewed before sign-in existed). */
  reviewerId?: string;
  at: string;
}

/** The Textract job behind an output. */
export interface OutputTextract {
  jobId: string;
  api: 'TEXT_DETECTION' | 'ANALYSIS';
  status: 'SUCCEEDED' | 'PARTIAL_SUCCESS';
  pages: number;
  warnings: TextractWarning[];
}

/** The decrypted output document (schema version 2; lib/output-schema.json). */
export interface OutputDocument {
  schemaVersion: typeof outputSchemaVersion;
  documentId: string;
  status: 'SUCCEEDED' | 'DUPLICATE';
  /** The profile the document ran with. */
  profile: string;
  source: DocumentSource;
  checksum: string;
  completedAt: string;
  textract?: OutputTextract;
  review: { items: ReviewItem[]; audit: ReviewAuditEntry[] };
  corrections: OutputCorrection[];
  /** For a DUPLICATE: the document whose output holds the extraction. */
  duplicateOf?: DuplicateOf;
  pages: OutputPage[];
  tables: OutputTable[];
  /** What the document cost, when the worker that wrote it counted costs. */
  cost?: DocumentCost;
}

/** The id of a field: `p<page>-f<n>`. */
export function fieldId(page: number, n: number): string {
  return `p${page}-f${n}`;
}

/** The id of a query answer: `p<page>-q<n>`. */
export function queryAnswerId(page: number, n: number): string {
  return `p${page}-q${n}`;
}

/** Field names are the key's text without layout noise, so "Invoice  No.:" and "Invoice No." match. */
export function fieldName(keyText: string): string {
  return keyText
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[:\s]+$/, '');
}
