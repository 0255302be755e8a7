/**
 * A table as found on a page, before it becomes blocks: row and column boundaries in page fractions,
 * the merged areas, and whether lines or text alignment gave it. Both finders (ruled.ts, aligned.ts)
 * produce this; table-blocks.ts turns it into Textract's TABLE / CELL / MERGED_CELL graph.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, type Box } from '../blocks';

export interface Span {
  row: number;
  column: number;
  rowSpan: number;
  columnSpan: number;
}

export interface TableGrid {
  /** Row boundaries, top to bottom: rows + 1 values. */
  ys: number[];
  /** Column boundaries, left to right: columns + 1 values. */
  xs: number[];
  /** Areas of more than one grid cell that are one cell on the page (0-based row and column). */
  merged: Span[];
  /** Found from ruling lines (true) or from how the words line up (false). */
  ruled: boolean;
}

/** A page line (LINE block and its WORDs) with its box, as the finders use them. */
export interface Fragment {
  line: Block;
  words: Block[];
  box: Box;
}

export const centreX = (b: Box) => b.left + b.width / 2;
export const centreY = (b: Box) => b.top + b.height / 2;

export function fragmentsOf(lines: readonly { block: Block; words: Block[] }[]): Fragment[] {
  return lines.map((l) => ({ line: l.block, words: l.words, box: boxOf(l.block) }));
}

export function gridBox(grid: TableGrid): Box {
  const left = grid.xs[0] ?? 0;
  const top = grid.ys[0] ?? 0;
  return {
    left,
    top,
    width: (grid.xs[grid.xs.length - 1] ?? left) - left,
    height: (grid.ys[grid.ys.length - 1] ?? top) - top,
  };
}

/** The index of the interval of `bounds` holding `v`, or -1 outside them. */
export function slot(bounds: readonly number[], v: number): number {
  for (let i = 0; i + 1 < bounds.length; i++) if (v >= (bounds[i] ?? 0) && v < (bounds[i + 1] ?? 0)) return i;
  return -1;
}

/** Words of a table by grid cell (row-major index), each word in the cell holding its centre. */
export function wordsByCell(grid: TableGrid, words: readonly Block[]): Map<number, Block[]> {
  const columns = grid.xs.length - 1;
  const cells = new Map<number, Block[]>();
  for (const word of words) {
    const box = boxOf(word);
    const row = slot(grid.ys, centreY(box));
    const column = slot(grid.xs, centreX(box));
    if (row < 0 || column < 0) continue;
    const key = row * columns + column;
    cells.set(key, [...(cells.get(key) ?? []), word]);
  }
  return cells;
}

/** Whether a word lies in the table (its centre inside the grid). */
export function inGrid(grid: TableGrid, box: Box): boolean {
  return slot(grid.ys, centreY(box)) >= 0 && slot(grid.xs, centreX(box)) >= 0;
}

/** Values closer than `tolerance` become one, their mean. */
export function cluster(values: readonly number[], tolerance: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - (last[last.length - 1] ?? v) <= tolerance) last.push(v);
    else out.push([v]);
  }
  return out.map((group) => group.reduce((a, b) => a + b, 0) / group.length);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
