/**
 * AnalyzeExpense from recognised pages, with the same machinery as AnalyzeDocument: summary fields
 * from key/value pairs (forms.ts) and from two-cell table rows ("Subtotal | $85.00"), the vendor from
 * the largest print at the top, and line items from the rows of the tables (tables/) under their
 * column headers. One ExpenseDocument per document; its Blocks are PAGE, LINE and WORD.
 */
import type { Block, ExpenseDocument, ExpenseField, LineItemFields } from '@aws-sdk/client-textract';
import {
  boxOf,
  buildPageBlocks,
  flattenPage,
  type IdFactory,
  type PageBlocks,
  type RecognisedPage,
} from '../blocks';
import { findKeyValues } from '../forms';
import { orientBlocks, type QuarterTurns } from '../orientation';
import { findTables, type BuiltTable } from '../tables';
import { median } from '../tables/grid';
import { amountLike, expenseField, itemType, summaryType } from './fields';

export interface ExpenseOptions {
  withPage: boolean;
  newId?: IdFactory;
}

export function expenseDocuments(
  pages: readonly RecognisedPage[],
  options: ExpenseOptions,
): ExpenseDocument[] {
  const built = buildPageBlocks(pages, {
    withPage: true,
    ...(options.newId ? { newId: options.newId } : {}),
  });
  const summary: ExpenseField[] = [];
  const groups: LineItemFields[][] = [];
  const blocks: Block[] = [];
  built.forEach((page, i) => {
    const pageNo = i + 1;
    const summaryFrom = summary.length;
    const groupsFrom = groups.length;
    const ids = options.newId ? { newId: options.newId } : {};
    // Receipts list two or three items: a table of two rows is still a table of items.
    const tables = findTables(page, pages[i]?.ink, { ...ids, minRows: 2 });
    const vendor = vendorOf(page);
    if (vendor) summary.push(expenseField('VENDOR_NAME', [], vendor, pageNo));
    for (const pair of findKeyValues(page, options.newId)) {
      const label = wordsOf(pair.key, page);
      const value = wordsOf(pair.value, page);
      if (value.length > 0) summary.push(expenseField(summaryType(pair.keyText), label, value, pageNo));
    }
    summary.push(...labelledAmounts(page, pageNo));
    for (const table of tables) {
      const { items, totals } = readTable(table, page, pageNo);
      summary.push(...totals);
      if (items.length > 0) groups.push(items);
    }
    // Fields and blocks were read on the upright page: their geometry goes back onto the page as stored.
    const turns = pages[i]?.turns ?? 0;
    orientFields(
      [
        ...summary.slice(summaryFrom),
        ...groups
          .slice(groupsFrom)
          .flat()
          .flatMap((g) => g.LineItemExpenseFields ?? []),
      ],
      turns,
    );
    const flat = orientBlocks(flattenPage(page), turns);
    blocks.push(...flat.map((b) => (options.withPage ? b : withoutPage(b))));
  });
  return [
    {
      ExpenseIndex: 1,
      SummaryFields: dedupe(summary),
      LineItemGroups: groups.map((items, i) => ({ LineItemGroupIndex: i + 1, LineItems: items })),
      Blocks: blocks,
    },
  ];
}

function orientFields(fields: readonly ExpenseField[], turns: QuarterTurns): void {
  if (turns === 0) return;
  for (const f of fields) {
    for (const d of [f.LabelDetection, f.ValueDetection]) {
      if (!d?.Geometry) continue;
      const [turned] = orientBlocks([{ BlockType: 'WORD', Geometry: d.Geometry }], turns);
      d.Geometry = turned?.Geometry;
    }
  }
}

function withoutPage(b: Block): Block {
  const { Page: _page, ...rest } = b;
  return rest;
}

/** The WORD blocks a KEY or VALUE block holds. */
function wordsOf(block: Block, page: PageBlocks): Block[] {
  const ids = new Set(block.Relationships?.flatMap((r) => r.Ids ?? []) ?? []);
  return page.lines.flatMap((l) => l.words).filter((w) => ids.has(w.Id ?? ''));
}

/** What a document calls itself in its largest print ("INVOICE", "Tax Receipt"): not a vendor. */
const documentTitle = /^\s*(tax\s+)?(invoice|receipt|bill|statement|quote|estimate)\b/i;

/** The vendor: the largest print in the top fifth of the page, when it is larger than the body text. */
function vendorOf(page: PageBlocks): Block[] | undefined {
  const body = median(page.lines.map((l) => boxOf(l.block).height));
  const top = page.lines
    .filter((l) => boxOf(l.block).top < 0.2 && !/\d{3,}/.test(l.block.Text ?? ''))
    .filter((l) => !documentTitle.test(l.block.Text ?? ''))
    .sort((a, b) => boxOf(b.block).height - boxOf(a.block).height)[0];
  if (!top || boxOf(top.block).height < body * 1.2) return undefined;
  return top.words;
}

/**
 * A table's rows as line items under the header's column types; rows of a label and one amount
 * (Subtotal, Tax, Total) are summary fields instead.
 */
function readTable(table: BuiltTable, page: PageBlocks, pageNo: number) {
  const words = new Map(page.lines.flatMap((l) => l.words).map((w) => [w.Id ?? '', w]));
  const cellWords = (cell: Block | undefined) =>
    (cell?.Relationships?.flatMap((r) => r.Ids ?? []) ?? []).flatMap((id) => words.get(id) ?? []);
  const text = (cell: Block | undefined) =>
    cellWords(cell)
      .map((w) => w.Text ?? '')
      .join(' ');
  const header = table.headerRow ? (table.cells[0] ?? []) : [];
  const columns = table.cells[0]?.length ?? 0;
  const types = Array.from({ length: columns }, (_, c) => itemType(text(header[c])));
  const items: LineItemFields[] = [];
  const totals: ExpenseField[] = [];
  const priced = table.cells.filter((row) => amountLike.test(text(row[row.length - 1]))).length;
  // Items are listed under headers that name them, or priced in the last column row after row.
  let pending: Block[] = [];
  const itemTable = types.some(Boolean) || (!table.headerRow && priced >= table.cells.length / 2);
  for (const row of table.cells.slice(table.headerRow ? 1 : 0)) {
    const filled = row.filter((c) => text(c).trim().length > 0);
    const first = text(filled[0]);
    const last = filled[filled.length - 1];
    if (filled.length === 2 && summaryType(first) !== 'OTHER' && amountLike.test(text(last))) {
      totals.push(expenseField(summaryType(first), cellWords(filled[0]), cellWords(last), pageNo));
      continue;
    }
    if (filled.length === 0 || !itemTable) continue;
    const typed = row.map((cell, c) => ({ cell, c, type: types[c] ?? guessType(c, row.length, text(cell)) }));
    const named = typed.filter((t) => cellWords(t.cell).length > 0);
    // A description on a row of its own, above the figures it goes with.
    if (named.every((t) => t.type === 'ITEM')) {
      pending.push(...named.flatMap((t) => cellWords(t.cell)));
      continue;
    }
    const fields: ExpenseField[] = [];
    const itemColumn = typed.find((t) => t.type === 'ITEM')?.c ?? -1;
    for (const { cell, c, type } of typed) {
      const value = c === itemColumn && cellWords(cell).length === 0 ? pending : cellWords(cell);
      if (value.length > 0) fields.push(expenseField(type, cellWords(header[c]), value, pageNo));
    }
    if (itemColumn < 0 && pending.length > 0) fields.unshift(expenseField('ITEM', [], pending, pageNo));
    fields.push(expenseField('EXPENSE_ROW', [], [...pending, ...row.flatMap(cellWords)], pageNo));
    pending = [];
    items.push({ LineItemExpenseFields: fields });
  }
  return { items, totals };
}

/** Without a header: the last column with a figure is the price, the first with words the item. */
function guessType(column: number, columns: number, text: string): string {
  if (column === columns - 1 && amountLike.test(text)) return 'PRICE';
  if (column === 0) return 'ITEM';
  return amountLike.test(text) ? 'OTHER' : 'ITEM';
}

/**
 * Rows of a label and an amount outside any table ("Total ........ $5.50"), set apart from the items
 * as totals usually are.
 */
function labelledAmounts(page: PageBlocks, pageNo: number): ExpenseField[] {
  const lines = page.lines.map((l) => ({ ...l, box: boxOf(l.block) }));
  const fields: ExpenseField[] = [];
  for (const label of lines) {
    const type = summaryType(label.block.Text ?? '');
    if (type === 'OTHER') continue;
    const centre = label.box.top + label.box.height / 2;
    const value = lines
      .filter((l) => l !== label && l.box.left > label.box.left + label.box.width)
      .filter((l) => Math.abs(l.box.top + l.box.height / 2 - centre) < label.box.height * 0.6)
      .sort((a, b) => a.box.left - b.box.left)[0];
    if (value && amountLike.test(value.block.Text ?? ''))
      fields.push(expenseField(type, label.words, value.words, pageNo));
  }
  return fields;
}

/** A field found both as a pair and as a table row once. */
function dedupe(fields: readonly ExpenseField[]): ExpenseField[] {
  const seen = new Set<string>();
  return fields.filter((f) => {
    const key = `${f.Type?.Text}|${f.LabelDetection?.Text ?? ''}|${f.ValueDetection?.Text ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
