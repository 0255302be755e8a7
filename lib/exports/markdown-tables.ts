/*
 * A logical table as a Markdown (GFM) table with its caption, title and footer.
 *
 * Markdown cannot span cells, so a merged cell's text is in its top-left position and every position
 * it covers shows where that text is: `⟵` in the merged cell's first row (the text is to the left),
 * `↑` in the rows below (the text is above). The report's legend says so.
 *
 * GFM has exactly one header line, at the top. When the table's first row is a header row it is that
 * line; any further header rows (a second header row, or the header a continuation page repeats) stay
 * where they are, in bold. A table whose first row is not a header row gets an empty header line
 * rather than invented column names.
 */
import type { OutputCell, OutputTable } from '../document-model';
import { cellMarkdown, inlineText, markdownTable } from './markdown-text';
import { cellText, type GridSlot, tableGrid, tablePages } from './table-grid';

/** Marks a position covered by a merged cell whose text is to its left (same row). */
export const coveredFromLeft = '⟵';
/** Marks a position covered by a merged cell whose text is in a row above. */
export const coveredFromAbove = '↑';

/** What a table's rendering used, so the report's legend explains only what appears. */
export interface TableMarks {
  merged: boolean;
  selection: boolean;
  boldHeaderRows: boolean;
}

/** A table's caption, title, grid and footer as Markdown blocks; `marks` collects what was used. */
export function tableMarkdown(table: OutputTable, marks: TableMarks): string[] {
  const facts = [
    `**Table ${table.id}**`,
    table.parts.length > 1 ? `pages ${tablePages(table)}` : `page ${tablePages(table)}`,
    `${table.rowCount} ${table.rowCount === 1 ? 'row' : 'rows'} × ${table.columnCount} ${
      table.columnCount === 1 ? 'column' : 'columns'
    }`,
    ...(table.type ? [table.type === 'STRUCTURED' ? 'structured' : 'semi-structured'] : []),
    `lowest cell confidence ${table.confidence.toFixed(1)}`,
  ];
  const blocks = [facts.join(' · ')];
  if (table.parts.length > 1) {
    const parts = table.parts.map((p) => `${rowRange(p.firstRow, p.rowCount)} on page ${p.page}`);
    blocks.push(`Continues across pages ${tablePages(table)}: ${parts.join(', ')}.`);
  }
  if (table.title) blocks.push(`_Title:_ ${inlineText(table.title.text)}`);
  const grid = tableGrid(table);
  if (grid.length === 0) {
    blocks.push('_(no cells)_');
  } else {
    const headerRows = new Set(table.headerRows);
    const rows = grid.map((row, i) =>
      row.map((slot) => slotMarkdown(slot, headerRows.has(i + 1) && i > 0, marks)),
    );
    const [first, ...rest] = rows;
    const columns = grid[0]?.length ?? 0;
    blocks.push(
      headerRows.has(1) ? markdownTable(first ?? [], rest, columns) : markdownTable(null, rows, columns),
    );
    if ([...headerRows].some((r) => r > 1)) marks.boldHeaderRows = true;
  }
  if (table.footer) blocks.push(`_Footer:_ ${inlineText(table.footer.text)}`);
  return blocks;
}

function rowRange(first: number, count: number): string {
  return count <= 1 ? `row ${first}` : `rows ${first}–${first + count - 1}`;
}

function slotMarkdown(slot: GridSlot, bold: boolean, marks: TableMarks): string {
  if (slot.kind === 'none') return '';
  if (slot.kind === 'covered') {
    marks.merged = true;
    return slot.from === 'left' ? coveredFromLeft : coveredFromAbove;
  }
  return cellContent(slot.cell, bold, marks);
}

function cellContent(cell: OutputCell, bold: boolean, marks: TableMarks): string {
  if (cell.rowSpan > 1 || cell.columnSpan > 1) marks.merged = true;
  if (cell.selected !== undefined) marks.selection = true;
  const text = cellMarkdown(cellText(cell));
  return bold && text ? `**${text}**` : text;
}
