/*
 * A logical table as a full grid of positions, which the Markdown and CSV exports both need: the
 * model lists a merged cell once, at its top-left position with its span, and leaves the positions it
 * covers out, while a Markdown or CSV table must say something at every position.
 */
import type { OutputCell, OutputTable } from '../document-model';

/**
 * One position of a table's grid: a cell's own position, a position a merged cell covers (`from`
 * says whether the merged cell's text sits in this row to the left, or in a row above), or a position
 * Textract gave no cell for.
 */
export type GridSlot =
  | { kind: 'cell'; cell: OutputCell }
  | { kind: 'covered'; by: OutputCell; from: 'left' | 'above' }
  | { kind: 'none' };

/**
 * The table's positions by row then column (0-based arrays; the model's rows and columns are 1-based).
 * The grid is at least `rowCount` × `columnCount`, larger when a cell or its span reaches further, so
 * no text is dropped from an inconsistent table. When two cells claim one position the first wins.
 */
export function tableGrid(table: OutputTable): GridSlot[][] {
  let rows = table.rowCount;
  let columns = table.columnCount;
  for (const cell of table.cells) {
    rows = Math.max(rows, cell.row + span(cell.rowSpan) - 1);
    columns = Math.max(columns, cell.column + span(cell.columnSpan) - 1);
  }
  const grid: GridSlot[][] = Array.from({ length: rows }, () =>
    Array.from({ length: columns }, (): GridSlot => ({ kind: 'none' })),
  );
  for (const cell of table.cells) {
    for (let r = cell.row; r < cell.row + span(cell.rowSpan); r++) {
      for (let c = cell.column; c < cell.column + span(cell.columnSpan); c++) {
        const row = grid[r - 1];
        if (!row || row[c - 1]?.kind !== 'none') continue;
        row[c - 1] =
          r === cell.row && c === cell.column
            ? { kind: 'cell', cell }
            : { kind: 'covered', by: cell, from: r === cell.row ? 'left' : 'above' };
      }
    }
  }
  return grid;
}

/** Spans below 1 (absent or malformed) count as 1: a cell always has its own position. */
function span(n: number): number {
  return Number.isInteger(n) && n > 1 ? n : 1;
}

/** A cell's text for a table export: a selection element's state first (☑ or ☐), then the words. */
export function cellText(cell: OutputCell): string {
  if (cell.selected === undefined) return cell.text;
  const box = cell.selected ? '☑' : '☐';
  return cell.text ? `${box} ${cell.text}` : box;
}

/** Whether any cell of the table spans more than one position. */
export function hasMergedCells(table: OutputTable): boolean {
  return table.cells.some((c) => span(c.rowSpan) > 1 || span(c.columnSpan) > 1);
}

/** The pages a table's parts are on, first to last ("1" or "2–3"). */
export function tablePages(table: OutputTable): string {
  // The parts say where the table is; a table without parts still has its cells' pages.
  const pages = table.parts.length > 0 ? table.parts.map((p) => p.page) : table.cells.map((c) => c.page);
  if (pages.length === 0) return '';
  const first = Math.min(...pages);
  const last = Math.max(...pages);
  return first === last ? String(first) : `${first}–${last}`;
}
