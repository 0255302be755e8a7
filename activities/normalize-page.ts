// Reads one complete page of Textract blocks with TRP.js into the document model (output schema 2):
// lines in reading order, every key/value pair, every query answer, signatures, layout elements, and
// the page's tables as merge candidates. A page TRP cannot read fails the activity without retry:
// dropping it would deliver a document with content silently missing.
import type { Block } from '@aws-sdk/client-textract';
import { ApplicationFailure } from '@temporalio/common';
import {
  TextractDocument,
  type AggregationMethod,
  type ApiResponsePage,
  type Page,
  type QueryResult,
} from 'amazon-textract-response-parser';
import { FailureType } from '../lib/contract';
import {
  fieldId,
  fieldName,
  queryAnswerId,
  type BoundingBox,
  type LayoutKind,
  type OutputField,
  type OutputLine,
  type OutputPage,
  type OutputQueryAnswer,
  type TextType,
} from '../lib/document-model';
import { FieldSource, type ExtractedField } from '../lib/extraction';
import { hardenPageBlocks } from './page-blocks';
import { pageTables } from './page-tables';
import { tableEdges, type PageTables } from './table-merge';
import { boxOf, relationship, selectionOf, wordsText } from './trp-values';

/** What one page gives the rest of the pipeline. */
export interface PageResult {
  page: OutputPage;
  /** The page's tables for the cross-page merge. */
  tables: PageTables;
  /**
   * The page's values for routing: every form field with a non-empty name and every query answer
   * (the summary keeps the top answer per alias), confidence as routing reads it.
   */
  routing: ExtractedField[];
  /** Warnings TRP raised reading the page (counted, not logged: some quote the document's text). */
  parserWarnings: number;
}

/**
 * Without LAYOUT, lines whose middle lies this close to the top or bottom edge count as running
 * header or footer when deciding whether a table continues on the next page.
 */
export const headerFooterMargin = 0.05;

const minAggregation = 'MIN' as AggregationMethod;
const headerFooterKinds = new Set(['LAYOUT_HEADER', 'LAYOUT_FOOTER', 'LAYOUT_PAGE_NUMBER']);

type TrpLine = ReturnType<Page['listLines']>[number];

/**
 * Reads one complete page. Throws a non-retryable ApplicationFailure naming the page when TRP cannot
 * read it even after {@link hardenPageBlocks}; the message holds block ids and types, never text.
 */
export function normalizePage(page: number, blocks: Block[]): PageResult {
  const original = console.warn;
  let parserWarnings = 0;
  // TRP warns through console.warn, once quoting a form key's text; everything here is synchronous,
  // so nothing else runs while the warnings are counted instead.
  console.warn = () => void parserWarnings++;
  try {
    return { ...readPage(page, hardenPageBlocks(page, blocks)), parserWarnings };
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 300);
    throw ApplicationFailure.create({
      type: FailureType.TEXTRACT_RESULT_UNREADABLE,
      nonRetryable: true,
      message: `page ${page} of the Textract result could not be read: ${reason}`,
    });
  } finally {
    console.warn = original;
  }
}

function readPage(page: number, blocks: Block[]): Omit<PageResult, 'parserWarnings'> {
  const doc = new TextractDocument({
    DocumentMetadata: { Pages: 1 },
    JobStatus: 'SUCCEEDED',
    Blocks: blocks,
  } as unknown as ApiResponsePage);
  const trp = doc.pageNumber(1);
  const routing: ExtractedField[] = [];
  const fields = readFields(trp, page, routing);
  const queries = readQueries(trp, page, routing);
  const tables = pageTables(trp, page);
  return {
    page: {
      page,
      lines: readingOrder(trp).map(outputLine),
      fields,
      queries,
      signatures: trp.listSignatures().map((s) => ({ page, confidence: s.confidence, box: boxOf(s) })),
      layout: trp.layout.listItems().map((item) => ({
        kind: item.blockType.slice('LAYOUT_'.length) as LayoutKind,
        text: item
          .listTextLines()
          .map((line) => line.text)
          .join('\n'),
        confidence: item.confidence,
        page,
        box: boxOf(item),
      })),
    },
    tables: { page, tables, ...tableEdges(tables, contentLineBoxes(trp)) },
    routing,
  };
}

/**
 * Lines in reading order: Textract's LAYOUT order when the page has layout (each element's lines in
 * turn, then any line no element holds), else Textract's LINE order.
 */
function readingOrder(trp: Page): TrpLine[] {
  if (!trp.hasLayout) return trp.listLines();
  const seen = new Set<string>();
  const ordered: TrpLine[] = [];
  const take = (line: TrpLine) => {
    if (seen.has(line.id)) return;
    seen.add(line.id);
    ordered.push(line);
  };
  // Top-level elements only: a list's items are its children and come with it.
  for (const item of trp.layout.listItems({ deep: false }))
    for (const line of item.listTextLines()) take(line);
  for (const line of trp.listLines()) take(line);
  return ordered;
}

function outputLine(line: TrpLine): OutputLine {
  const textType = majorityTextType(line.listWords().map((w) => String(w.textType)));
  return {
    text: line.text,
    confidence: line.confidence,
    ...(textType ? { textType } : {}),
    box: boxOf(line),
  };
}

function majorityTextType(types: string[]): TextType | undefined {
  const printed = types.filter((t) => t === 'PRINTED').length;
  const handwriting = types.filter((t) => t === 'HANDWRITING').length;
  if (printed + handwriting === 0) return undefined;
  return handwriting > printed ? 'HANDWRITING' : 'PRINTED';
}

/** Every key/value pair in Textract's order (never looked up by key: that keeps one per name). */
function readFields(trp: Page, page: number, routing: ExtractedField[]): OutputField[] {
  return trp.form.listFields().map((field, i) => {
    const id = fieldId(page, i + 1);
    const key = field.key;
    const value = field.value;
    const selected = value ? selectionOf(value) : undefined;
    const output: OutputField = {
      id,
      name: fieldName(key.text),
      page,
      key: { text: key.text, confidence: key.confidence, box: boxOf(key) },
      value: value
        ? { text: wordsText(value), confidence: value.confidence, box: boxOf(value) }
        : { text: '', confidence: 0 },
      ...(selected === undefined ? {} : { selected }),
    };
    if (output.name) {
      // Routing trusts a field no more than its least legible word.
      const ocr = field.getOcrConfidence(minAggregation) ?? field.confidence;
      routing.push({
        id,
        name: output.name,
        value: output.value.text,
        confidence: Math.min(field.confidence, ocr),
        page,
        source: FieldSource.FORM,
        ...(selected === undefined ? {} : { selected }),
      });
    }
    return output;
  });
}

/** Every answer of every query, in Textract's order (TRP's public list sorts them by confidence). */
function readQueries(trp: Page, page: number, routing: ExtractedField[]): OutputQueryAnswer[] {
  const answers: OutputQueryAnswer[] = [];
  for (const query of trp.queries.listQueries()) {
    const alias = query.alias ?? query.text;
    for (const answerId of query.relatedBlockIdsByRelType(relationship('ANSWER'))) {
      if (String(trp.getBlockById(answerId)?.BlockType) !== 'QUERY_RESULT') continue;
      const result = trp.getItemByBlockId(answerId) as QueryResult;
      const id = queryAnswerId(page, answers.length + 1);
      const geometry = result.geometry;
      answers.push({
        id,
        alias,
        question: query.text,
        text: result.text,
        confidence: result.confidence,
        page,
        // Textract gives an interpreted (not literal) answer no geometry.
        ...(geometry ? { box: boxOf({ geometry }) } : {}),
      });
      routing.push({
        id,
        name: alias,
        value: result.text,
        confidence: result.confidence,
        page,
        source: FieldSource.QUERY,
      });
    }
  }
  return answers;
}

/**
 * The boxes of the page's lines outside running header/footer content: with LAYOUT, lines of its
 * header, footer and page-number elements; without, lines within {@link headerFooterMargin} of the
 * top or bottom edge.
 */
function contentLineBoxes(trp: Page): BoundingBox[] {
  const lines = trp.listLines();
  if (trp.hasLayout) {
    const running = new Set<string>();
    for (const item of trp.layout.listItems()) {
      if (!headerFooterKinds.has(item.blockType)) continue;
      for (const line of item.listTextLines()) running.add(line.id);
    }
    return lines.filter((line) => !running.has(line.id)).map(boxOf);
  }
  return lines.map(boxOf).filter((box) => {
    const middle = box.top + box.height / 2;
    return middle >= headerFooterMargin && middle <= 1 - headerFooterMargin;
  });
}
