// Folds Textract blocks into docket's normalized result, page by page, with TRP.js doing the reading
// of lines, form fields, query answers and tables. Memory stays bounded by one page of blocks plus a
// capped field map, whatever the number of pages.
import type { Block } from '@aws-sdk/client-textract';
import {
  TextractDocument,
  type AggregationMethod,
  type ApiResponsePage,
} from 'amazon-textract-response-parser';
import {
  FieldSource,
  maxSummaryBytes,
  maxSummaryFields,
  maxSummaryValueLength,
  type ExtractedField,
  type ExtractionSummary,
  type NormalizedPage,
} from '../lib/extraction';

/** Distinct field names remembered for the summary; beyond this only counts and confidences are kept. */
const maxTrackedFields = 2000;
const minAggregation = 'MIN' as AggregationMethod;

/** Field names are the key's text without layout noise, so "Invoice  No.:" and "Invoice No." match. */
export function fieldName(keyText: string): string {
  return keyText
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[:\s]+$/, '');
}

/** Keeps the best (highest-confidence) occurrence of each field name. */
export function keepBest(map: Map<string, ExtractedField>, field: ExtractedField): void {
  const current = map.get(field.name);
  if (!current || field.confidence > current.confidence) map.set(field.name, field);
}

/** Reads one page's blocks with TRP.js. */
export function normalizePage(page: number, blocks: Block[]): NormalizedPage {
  const doc = new TextractDocument({
    DocumentMetadata: { Pages: 1 },
    JobStatus: 'SUCCEEDED',
    Blocks: blocks,
  } as unknown as ApiResponsePage);
  const result: NormalizedPage = { page, lines: [], fields: [], tables: [] };
  if (doc.nPages === 0) return result;
  const trpPage = doc.pageNumber(1);
  for (const line of trpPage.iterLines()) result.lines.push({ text: line.text, confidence: line.confidence });
  for (const field of trpPage.form.iterFields(true)) {
    const name = fieldName(field.key.text);
    if (!name) continue;
    const ocr = field.getOcrConfidence(minAggregation) ?? field.confidence;
    result.fields.push({
      name,
      value: field.value?.text ?? '',
      confidence: Math.min(field.confidence, ocr),
      page,
      source: FieldSource.FORM,
    });
  }
  for (const query of trpPage.queries.iterQueries()) {
    const answer = query.topResult;
    result.fields.push({
      name: query.alias ?? query.text,
      value: answer?.text ?? '',
      confidence: answer?.confidence ?? 0,
      page,
      source: FieldSource.QUERY,
    });
  }
  for (const table of trpPage.iterTables()) {
    const rows = [...table.iterRows()].map((row) => [...row.iterCells()].map((cell) => cell.text));
    result.tables.push({ confidence: table.confidence, rows });
  }
  return result;
}

/**
 * Accepts Get* responses in order and hands back the pages that are complete. Asynchronous results
 * list blocks page by page, so a page is complete once a block of a later page arrives.
 */
export class ResultNormalizer {
  private readonly pending = new Map<number, Block[]>();
  private readonly fields = new Map<string, ExtractedField>();
  private readonly named: Set<string>;
  private maxPage = 0;
  private lineCount = 0;
  private tableCount = 0;
  private minFieldConfidence: number | null = null;
  private minLineConfidence: number | null = null;
  private untrackedFields = 0;
  private untrackedMinConfidence: number | null = null;

  constructor(namedFields: string[]) {
    this.named = new Set(namedFields);
  }

  /** Adds the blocks of one Get* response; returns the pages now complete (all of them when `final`). */
  add(blocks: Block[], final: boolean): NormalizedPage[] {
    for (const block of blocks) {
      const page = block.Page ?? 1;
      this.maxPage = Math.max(this.maxPage, page);
      let list = this.pending.get(page);
      if (!list) this.pending.set(page, (list = []));
      list.push(block);
    }
    const done = [...this.pending.keys()].filter((p) => final || p < this.maxPage).sort((a, b) => a - b);
    return done.map((page) => {
      const blocks = this.pending.get(page) ?? [];
      this.pending.delete(page);
      const normalized = normalizePage(page, blocks);
      this.fold(normalized);
      return normalized;
    });
  }

  private fold(page: NormalizedPage): void {
    this.lineCount += page.lines.length;
    this.tableCount += page.tables.length;
    for (const line of page.lines) this.minLineConfidence = min(this.minLineConfidence, line.confidence);
    for (const field of page.fields) {
      this.minFieldConfidence = min(this.minFieldConfidence, field.confidence);
      if (this.fields.has(field.name) || this.fields.size < maxTrackedFields || this.named.has(field.name)) {
        keepBest(this.fields, field);
      } else {
        this.untrackedFields++;
        this.untrackedMinConfidence = min(this.untrackedMinConfidence, field.confidence);
      }
    }
  }

  /** The compact summary for the workflow: named fields first, then the least confident others. */
  summary(
    base: Pick<ExtractionSummary, 'jobId' | 'partsWritten' | 'resultsBucket' | 'resultsPrefix'> & {
      pages?: number;
    },
  ): ExtractionSummary {
    const all = [...this.fields.values()];
    const named = all.filter((f) => this.named.has(f.name));
    const others = all.filter((f) => !this.named.has(f.name)).sort((a, b) => a.confidence - b.confidence);
    const listed = [...named, ...others]
      .slice(0, Math.max(maxSummaryFields, named.length))
      .map((f) => ({ ...f, value: f.value.slice(0, maxSummaryValueLength) }));
    const summary: ExtractionSummary = {
      ...base,
      pages: base.pages ?? this.maxPage,
      lineCount: this.lineCount,
      tableCount: this.tableCount,
      fieldCount: this.fields.size + this.untrackedFields,
      minConfidence: this.minFieldConfidence ?? this.minLineConfidence,
      fields: listed,
      fieldsOmitted: 0,
      omittedMinConfidence: null,
    };
    // Drop from the most confident end until the JSON fits; routing still sees what was dropped.
    while (summary.fields.length > 0 && byteLength(JSON.stringify(summary)) > maxSummaryBytes - 256) {
      summary.fields.pop();
    }
    const listedNames = new Set(summary.fields.map((f) => f.name));
    const omitted = all.filter((f) => !listedNames.has(f.name));
    summary.fieldsOmitted = omitted.length + this.untrackedFields;
    summary.omittedMinConfidence = omitted.reduce<number | null>(
      (acc, f) => min(acc, f.confidence),
      this.untrackedMinConfidence,
    );
    return summary;
  }
}

function min(a: number | null, b: number): number {
  return a === null ? b : Math.min(a, b);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
