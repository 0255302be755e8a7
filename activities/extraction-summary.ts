// The compact summary routing reads (claim check: the full result stays in S3), folded page by page
// in bounded memory: the profile's named fields (capped), the least confident others up to what the
// summary can list, the top answer per query alias, and counts and minimums for everything else.
import {
  maxSummaryBytes,
  maxSummaryFields,
  maxSummaryValueLength,
  type ExtractedField,
  type ExtractionSummary,
} from '../lib/extraction';
import type { OutputPage } from '../lib/document-model';

/** Named fields remembered for the summary; beyond this only counts and confidences are kept. */
const maxTrackedNamed = 2000;

/** What the summary's caller supplies: where the results are and how many pages Textract reported. */
export type SummaryBase = Pick<
  ExtractionSummary,
  'jobId' | 'partsWritten' | 'resultsBucket' | 'resultsPrefix'
> & {
  pages?: number;
};

/**
 * Folds pages into an {@link ExtractionSummary}. Every form field is its own entry (repeated names
 * stay distinct, told apart by id); of a query's answers only the most confident per alias is routed
 * (the others are in the output). Named fields come first, then the least confident others.
 */
export class SummaryBuilder {
  private readonly named: Set<string>;
  private readonly namedFields: ExtractedField[] = [];
  /** The least confident other form fields, ascending (ties in document order); never longer than the summary can list. */
  private readonly others: ExtractedField[] = [];
  private readonly topAnswers = new Map<string, ExtractedField>();
  private untracked = 0;
  private untrackedMin: number | null = null;
  private formMin: number | null = null;
  private lineMin: number | null = null;
  private lineCount = 0;
  private tableCount = 0;
  private maxPage = 0;

  constructor(namedFields: string[]) {
    this.named = new Set(namedFields);
  }

  /** Adds one page: its lines and its routing values (form fields and every query answer). */
  addPage(page: OutputPage, routing: ExtractedField[]): void {
    this.maxPage = Math.max(this.maxPage, page.page);
    this.lineCount += page.lines.length;
    for (const line of page.lines) this.lineMin = min(this.lineMin, line.confidence);
    for (const field of routing) {
      if (field.source === 'QUERY') {
        const best = this.topAnswers.get(field.name);
        if (!best || field.confidence > best.confidence) this.topAnswers.set(field.name, field);
        continue;
      }
      this.formMin = min(this.formMin, field.confidence);
      if (this.named.has(field.name)) {
        if (this.namedFields.length < maxTrackedNamed) this.namedFields.push(field);
        else this.drop(field);
      } else {
        insertSorted(this.others, field);
        // Only the least confident others can be listed; the rest count as omitted.
        if (this.others.length > maxSummaryFields) this.drop(this.others.pop()!);
      }
    }
  }

  /** Counts logical tables as they close. */
  addTables(count: number): void {
    this.tableCount += count;
  }

  /** The summary: listed fields cut to {@link maxSummaryFields} (named ones always) and to the byte bound. */
  summary(base: SummaryBase): ExtractionSummary {
    const answers = [...this.topAnswers.values()];
    const others = [...this.others];
    for (const answer of answers) if (!this.named.has(answer.name)) insertSorted(others, answer);
    const candidates = [...this.namedFields, ...answers.filter((a) => this.named.has(a.name)), ...others];
    const namedCount = candidates.length - others.length;
    const fieldMin = answers.reduce<number | null>((acc, a) => min(acc, a.confidence), this.formMin);
    const summary: ExtractionSummary = {
      ...base,
      pages: base.pages ?? this.maxPage,
      lineCount: this.lineCount,
      tableCount: this.tableCount,
      fieldCount: candidates.length + this.untracked,
      minConfidence: fieldMin ?? this.lineMin,
      fields: candidates
        .slice(0, Math.max(maxSummaryFields, namedCount))
        .map((f) => ({ ...f, value: f.value.slice(0, maxSummaryValueLength) })),
      fieldsOmitted: 0,
      omittedMinConfidence: null,
    };
    // Drop from the end (the most confident others first) until the JSON fits; routing still sees
    // the lowest confidence of what was dropped.
    while (summary.fields.length > 0 && byteLength(JSON.stringify(summary)) > maxSummaryBytes - 256) {
      summary.fields.pop();
    }
    const omitted = candidates.slice(summary.fields.length);
    summary.fieldsOmitted = omitted.length + this.untracked;
    summary.omittedMinConfidence = omitted.reduce<number | null>(
      (acc, f) => min(acc, f.confidence),
      this.untrackedMin,
    );
    return summary;
  }

  private drop(field: ExtractedField): void {
    this.untracked++;
    this.untrackedMin = min(this.untrackedMin, field.confidence);
  }
}

/** Inserts keeping ascending confidence, after fields of equal confidence (document order). */
function insertSorted(list: ExtractedField[], field: ExtractedField): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.confidence <= field.confidence) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, field);
}

function min(a: number | null, b: number): number {
  return a === null ? b : Math.min(a, b);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
