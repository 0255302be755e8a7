// Folds Textract's Get* responses into docket's normalized result (output schema 2), page by page:
// each complete page is read with TRP.js (normalize-page.ts), its tables joined with the previous
// page's where they continue (table-merge.ts), and its values folded into the routing summary
// (extraction-summary.ts). Memory holds one incomplete page, the table that may still continue and the
// bounded summary, whatever the number of pages.
import type { Block } from '@aws-sdk/client-textract';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../lib/contract';
import type { ExtractionSummary, NormalizedPart } from '../lib/extraction';
import { SummaryBuilder, type SummaryBase } from './extraction-summary';
import { normalizePage } from './normalize-page';
import { TableMerger } from './table-merge';

export { normalizePage, type PageResult } from './normalize-page';

/**
 * Accepts Get* responses in order and hands back what they complete. Asynchronous results list blocks
 * page by page, so a page is complete once a block of a later page arrives (or at the last response);
 * a table is complete once the next page shows it does not continue there. The same responses give
 * the same output, ids included, however they are split: a retried collection re-feeds the parts it
 * wrote and gets them back unchanged.
 */
export class ResultNormalizer {
  private readonly pending = new Map<number, Block[]>();
  private readonly merger = new TableMerger();
  private readonly summaryBuilder: SummaryBuilder;
  private maxPage = 0;
  private lastDone = 0;
  private warnings = 0;

  constructor(namedFields: string[]) {
    this.summaryBuilder = new SummaryBuilder(namedFields);
  }

  /** Warnings TRP raised so far (a count only: their messages may quote the document). */
  get parserWarnings(): number {
    return this.warnings;
  }

  /**
   * Adds the blocks of one Get* response; returns the pages now complete and the logical tables that
   * closed with them (everything left when `final`).
   */
  add(blocks: Block[], final: boolean): NormalizedPart {
    for (const block of blocks) {
      const page = block.Page ?? 1;
      if (page <= this.lastDone) {
        // Textract lists pages in order; a late block would make a second, partial copy of its page.
        throw ApplicationFailure.create({
          type: FailureType.TEXTRACT_RESULT_UNREADABLE,
          nonRetryable: true,
          message: `a block of page ${page} arrived after page ${this.lastDone} was complete`,
        });
      }
      this.maxPage = Math.max(this.maxPage, page);
      let list = this.pending.get(page);
      if (!list) this.pending.set(page, (list = []));
      list.push(block);
    }
    const done = [...this.pending.keys()].filter((p) => final || p < this.maxPage).sort((a, b) => a - b);
    const part: NormalizedPart = { pages: [], tables: [] };
    for (const page of done) {
      const result = normalizePage(page, this.pending.get(page) ?? []);
      this.pending.delete(page);
      this.lastDone = page;
      this.warnings += result.parserWarnings;
      this.summaryBuilder.addPage(result.page, result.routing);
      part.pages.push(result.page);
      part.tables.push(...this.merger.add(result.tables));
    }
    if (final) part.tables.push(...this.merger.finish());
    this.summaryBuilder.addTables(part.tables.length);
    return part;
  }

  /** The compact summary for the workflow: named fields first, then the least confident others. */
  summary(base: SummaryBase): ExtractionSummary {
    return this.summaryBuilder.summary(base);
  }
}
