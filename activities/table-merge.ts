// Joins tables that continue across pages into logical tables, page by page, holding only the table
// that may still continue. The rules follow the ones TRP's Python pipeline applies (merge the last
// table of a page with the first of the next when nothing but header/footer content lies between them,
// their columns agree and their left edge and width match), plus one of ours: a table with a title of
// its own starts a new table.
import type { BoundingBox, OutputTable } from '../lib/document-model';

/** One page's TABLE as a one-part logical table, before merging (rows counted within the page). */
export type TableCandidate = Omit<OutputTable, 'id'>;

/** What the merger needs to know of one page. */
export interface PageTables {
  page: number;
  /** The page's tables, top to bottom. */
  tables: TableCandidate[];
  /** Nothing but header, footer or page-number content lies below the last table. */
  clearAfterLast: boolean;
  /** Nothing but header, footer or page-number content lies above the first table. */
  clearBeforeFirst: boolean;
}

/**
 * How far a continuation's left edge and width may stray, as a fraction of the table's width: a scan
 * shifts a little from page to page, a different table rarely lines up within 2 %.
 */
export const edgeTolerance = 0.02;

/**
 * Whether the page's tables have nothing but header/footer content above the first and below the last.
 * `contentLines` are the boxes of the page's lines outside its header, footer and page-number areas; a
 * line counts as above (below) a table when its middle is above its top (below its bottom), so the
 * table's own first and last rows never count.
 */
export function tableEdges(
  tables: TableCandidate[],
  contentLines: BoundingBox[],
): Pick<PageTables, 'clearAfterLast' | 'clearBeforeFirst'> {
  const first = tables[0]?.parts[0]?.box;
  const last = tables.at(-1)?.parts[0]?.box;
  const middle = (box: BoundingBox) => box.top + box.height / 2;
  return {
    clearBeforeFirst: first !== undefined && !contentLines.some((line) => middle(line) < first.top),
    clearAfterLast: last !== undefined && !contentLines.some((line) => middle(line) > last.top + last.height),
  };
}

/**
 * Whether `next` (the first table of a page) continues `table` (whose last part ends the page
 * before): same column count, left edge and width within {@link edgeTolerance}, and no title of its
 * own. Whether anything lies between them is the caller's part (see {@link PageTables}).
 */
export function continues(table: TableCandidate, next: TableCandidate): boolean {
  const a = table.parts.at(-1)?.box;
  const b = next.parts[0]?.box;
  if (!a || !b || next.title !== undefined || next.columnCount !== table.columnCount) return false;
  const tolerance = edgeTolerance * Math.max(a.width, b.width);
  return Math.abs(a.left - b.left) <= tolerance && Math.abs(a.width - b.width) <= tolerance;
}

/**
 * Streams pages in order and hands back the logical tables as they close. A page's last table stays
 * open until the next page shows whether it continues, so memory holds at most one open table.
 * Ids count logical tables in the order they start, the same for any split of the same pages.
 */
export class TableMerger {
  private open: { table: TableCandidate; page: number } | undefined;
  private count = 0;

  /** Adds the next page (pages in increasing order); returns the tables that closed. */
  add(page: PageTables): OutputTable[] {
    const closed: OutputTable[] = [];
    let current: TableCandidate | undefined;
    let rest = page.tables;
    if (this.open) {
      const { table, page: openPage } = this.open;
      const first = rest[0];
      if (first && openPage === page.page - 1 && page.clearBeforeFirst && continues(table, first)) {
        current = append(table, first);
        rest = rest.slice(1);
      } else {
        closed.push(this.close(table));
      }
      this.open = undefined;
    }
    for (const table of rest) {
      if (current) closed.push(this.close(current));
      current = table;
    }
    if (current) {
      if (page.clearAfterLast) this.open = { table: current, page: page.page };
      else closed.push(this.close(current));
    }
    return closed;
  }

  /** Closes the open table, if any: the document has no more pages. */
  finish(): OutputTable[] {
    const open = this.open;
    this.open = undefined;
    return open ? [this.close(open.table)] : [];
  }

  private close(table: TableCandidate): OutputTable {
    return { id: `t${++this.count}`, ...table };
  }
}

/**
 * `next` appended below `table`: its rows renumbered after the table's, its part recorded, its
 * repeated header rows (tagged COLUMN_HEADER, or repeating the table's first header row's texts)
 * added to `headerRows`. Every cell is kept: a repeated header is data a reader may want.
 */
function append(table: TableCandidate, next: TableCandidate): TableCandidate {
  const offset = table.rowCount;
  const headerRows = [...table.headerRows, ...next.headerRows.map((r) => r + offset)];
  if (table.headerRows.includes(1) && !next.headerRows.includes(1) && sameTexts(table, 1, next, 1)) {
    headerRows.push(offset + 1);
  }
  const footer = next.footer ?? table.footer;
  return {
    ...(table.type ? { type: table.type } : {}),
    ...(table.title ? { title: table.title } : {}),
    ...(footer ? { footer } : {}),
    rowCount: table.rowCount + next.rowCount,
    columnCount: Math.max(table.columnCount, next.columnCount),
    headerRows: headerRows.sort((a, b) => a - b),
    confidence: Math.min(table.confidence, next.confidence),
    parts: [...table.parts, ...next.parts.map((p) => ({ ...p, firstRow: p.firstRow + offset }))],
    // A merged table's cells are its own (append made them): push rather than copy them per page.
    cells: pushAll(
      table.parts.length > 1 ? table.cells : [...table.cells],
      next.cells.map((c) => ({ ...c, row: c.row + offset })),
    ),
  };
}

function pushAll<T>(target: T[], items: T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Whether two rows hold the same, not all empty, texts column by column (whitespace and case aside). */
function sameTexts(a: TableCandidate, rowA: number, b: TableCandidate, rowB: number): boolean {
  const texts = (t: TableCandidate, row: number) =>
    t.cells
      .filter((c) => c.row === row)
      .sort((x, y) => x.column - y.column)
      .map((c) => [c.column, c.text.replace(/\s+/g, ' ').trim().toLowerCase()] as const);
  const left = texts(a, rowA);
  const right = texts(b, rowB);
  return (
    left.some(([, text]) => text !== '') &&
    left.length === right.length &&
    left.every(([column, text], i) => right[i]?.[0] === column && right[i]?.[1] === text)
  );
}
