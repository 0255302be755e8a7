/**
 * Ruled tables: ruling lines that cross each other form a grid. Row boundaries are the horizontal
 * lines, column boundaries the vertical ones; where the line between two grid cells is missing the
 * cells are one (a MERGED_CELL in Textract's terms).
 */
import type { Ruling, PageInk } from './page-ink';
import { cluster, type Span, type TableGrid } from './grid';

/** Page fractions two rulings may miss each other by and still meet (a few pixels). */
const meet = 0.006;

/** Grids from the page's rulings; `charHeight` (page fraction) keeps rows from double lines apart. */
export function ruledGrids(ink: PageInk, charHeight: number, aspect: number): TableGrid[] {
  const { horizontal, vertical } = ink;
  const all = [...horizontal.map((r) => ({ r, h: true })), ...vertical.map((r) => ({ r, h: false }))];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] ?? i)));
  const tolX = meet;
  const tolY = meet / Math.max(aspect, 0.2);
  horizontal.forEach((h, i) => {
    vertical.forEach((v, j) => {
      if (crosses(h, v, tolX, tolY)) parent[find(i)] = find(horizontal.length + j);
    });
  });
  const groups = new Map<number, { h: Ruling[]; v: Ruling[] }>();
  all.forEach((item, i) => {
    const root = find(i);
    const g = groups.get(root) ?? { h: [], v: [] };
    (item.h ? g.h : g.v).push(item.r);
    groups.set(root, g);
  });
  const grids: TableGrid[] = [];
  for (const g of groups.values()) {
    if (g.h.length < 2 || g.v.length < 2) continue;
    grids.push(...gridsOf(g.h, g.v, charHeight, tolX, tolY));
  }
  return grids;
}

function crosses(h: Ruling, v: Ruling, tolX: number, tolY: number): boolean {
  return v.at >= h.from - tolX && v.at <= h.to + tolX && h.at >= v.from - tolY && h.at <= v.to + tolY;
}

function gridsOf(h: Ruling[], v: Ruling[], charHeight: number, tolX: number, tolY: number): TableGrid[] {
  const left = Math.min(...h.map((r) => r.from), ...v.map((r) => r.at));
  const right = Math.max(...h.map((r) => r.to), ...v.map((r) => r.at));
  const top = Math.min(...v.map((r) => r.from), ...h.map((r) => r.at));
  const bottom = Math.max(...v.map((r) => r.to), ...h.map((r) => r.at));
  // Rows at least most of a character tall: double rules and thick borders are one boundary.
  const ys = cluster([top, bottom, ...h.map((r) => r.at)], Math.max(charHeight * 0.8, tolY));
  const xs = cluster([left, right, ...v.map((r) => r.at)], Math.max(charHeight * 0.8, tolX));
  ys[0] = top;
  ys[ys.length - 1] = bottom;
  xs[0] = left;
  xs[xs.length - 1] = right;
  if (ys.length < 3 || xs.length < 3) return [];
  const rows = ys.length - 1;
  const columns = xs.length - 1;
  // A boundary between two grid cells exists where a ruling covers most of it.
  const covered = (lines: Ruling[], at: number, from: number, to: number, tol: number) =>
    lines.some(
      (r) =>
        Math.abs(r.at - at) <= Math.max(tol, charHeight * 0.5) && overlap(r, from, to) >= (to - from) * 0.5,
    );
  const present = (r: number, c: number) => covered(v, xs[c + 1] ?? 0, ys[r] ?? 0, ys[r + 1] ?? 0, tolX);
  const bands = bandsOf(rows, columns, present);
  return bands.map(([first, last]) => {
    const keep = Array.from({ length: columns - 1 }, (_, c) => c).filter((c) => {
      for (let r = first; r <= last; r++) if (present(r, c)) return true;
      return false;
    });
    const bx = [xs[0] ?? 0, ...keep.map((c) => xs[c + 1] ?? 0), xs[columns] ?? 0];
    const by = ys.slice(first, last + 2);
    return withMerges(bx, by, h, v, covered, tolX, tolY);
  });
}

type Covered = (lines: Ruling[], at: number, from: number, to: number, tol: number) => boolean;

/**
 * Runs of rows that share their column lines: a page framed in rules holds several tables and boxes
 * of prose, and a table is where rows of several cells repeat the same columns.
 */
function bandsOf(
  rows: number,
  columns: number,
  present: (r: number, c: number) => boolean,
): [number, number][] {
  const sets = Array.from(
    { length: rows },
    (_, r) => new Set(Array.from({ length: columns - 1 }, (_, c) => c).filter((c) => present(r, c))),
  );
  const alike = (a: Set<number>, b: Set<number>) => {
    const shared = [...a].filter((c) => b.has(c)).length;
    // A merged cell takes a column line out of its row: a row whose lines are a subset still belongs.
    return shared === Math.min(a.size, b.size) || shared / Math.max(1, Math.max(a.size, b.size)) >= 0.6;
  };
  const bands: [number, number][] = [];
  let start = -1;
  for (let r = 0; r <= rows; r++) {
    const set = sets[r];
    const continues =
      set !== undefined && set.size >= 1 && start >= 0 && alike(sets[r - 1] ?? new Set(), set);
    if (continues) continue;
    if (start >= 0 && r - start >= 2) bands.push([start, r - 1]);
    start = set !== undefined && set.size >= 1 ? r : -1;
  }
  return bands;
}

function withMerges(
  xs: number[],
  ys: number[],
  h: Ruling[],
  v: Ruling[],
  covered: Covered,
  tolX: number,
  tolY: number,
): TableGrid {
  const rows = ys.length - 1;
  const columns = xs.length - 1;
  const parent = Array.from({ length: rows * columns }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] ?? i)));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const here = r * columns + c;
      const [x0, x1, y0, y1] = [xs[c] ?? 0, xs[c + 1] ?? 0, ys[r] ?? 0, ys[r + 1] ?? 0];
      if (c + 1 < columns && !covered(v, x1, y0, y1, tolX)) parent[find(here)] = find(here + 1);
      if (r + 1 < rows && !covered(h, y1, x0, x1, tolY)) parent[find(here)] = find(here + columns);
    }
  }
  return { ys, xs, merged: mergedAreas(find, rows, columns), ruled: true };
}

function overlap(r: Ruling, from: number, to: number): number {
  return Math.max(0, Math.min(r.to, to) - Math.max(r.from, from));
}

/** Rectangular groups of more than one grid cell; other shapes stay separate cells. */
function mergedAreas(find: (i: number) => number, rows: number, columns: number): Span[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows * columns; i++) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  const spans: Span[] = [];
  for (const cells of groups.values()) {
    if (cells.length < 2) continue;
    const rs = cells.map((i) => Math.floor(i / columns));
    const cs = cells.map((i) => i % columns);
    const span = {
      row: Math.min(...rs),
      column: Math.min(...cs),
      rowSpan: Math.max(...rs) - Math.min(...rs) + 1,
      columnSpan: Math.max(...cs) - Math.min(...cs) + 1,
    };
    // The whole table as one cell is a frame around text, not a table.
    if (span.rowSpan * span.columnSpan === cells.length && cells.length < rows * columns) spans.push(span);
  }
  return spans;
}
