/**
 * Regions of a page's text, read apart before unruled tables are built: blocks set side by side with
 * a gutter between them much wider than any gap between the words of either (an address beside a
 * list of dates, a payee's address beside a cheque's number and date). Rows of the two blocks often
 * share their lines, and read together they look like one table whose first column is the address.
 */
import { boxOf } from '../blocks';
import type { Fragment } from './grid';
import { isValue, rowsOf, type Row } from './rows';

/** A gutter is at least this many times wider than the widest gap between words beside it. */
const gutterRatio = 2;
/** Lines of one block stand at most this many line heights apart. */
const blockLineGap = 2;
/** How many times regions are split again (blocks inside blocks). */
const maxDepth = 8;

interface Gutter {
  /** Rows (indices into the region's rows) the gutter runs down, first and last. */
  first: number;
  last: number;
  /** Where it is cut: pieces left of `at` are the left block's. */
  at: number;
  width: number;
}

/**
 * The regions of `fragments`, each a list of pieces; `columnGap` (page fraction) is the narrowest gap
 * between a table's columns, the least gap a gutter is compared with.
 */
export function regionsOf(
  fragments: readonly Fragment[],
  lineHeight: number,
  columnGap: number,
  depth = 0,
): Fragment[][] {
  const rows = rowsOf(fragments);
  const gutter = depth < maxDepth ? widestGutter(rows, lineHeight, columnGap) : undefined;
  if (!gutter) return fragments.length > 0 ? [[...fragments]] : [];
  const run = rows.slice(gutter.first, gutter.last + 1).flatMap((r) => r.pieces);
  const parts = [
    rows.slice(0, gutter.first).flatMap((r) => r.pieces),
    run.filter((p) => right(p) <= gutter.at),
    run.filter((p) => p.box.left >= gutter.at),
    rows.slice(gutter.last + 1).flatMap((r) => r.pieces),
  ];
  return parts.flatMap((part) => regionsOf(part, lineHeight, columnGap, depth + 1));
}

const right = (f: Fragment) => f.box.left + f.box.width;

/** The widest gutter among those found from each row's and each pair of rows' empty stretches. */
function widestGutter(rows: readonly Row[], lineHeight: number, columnGap: number): Gutter | undefined {
  let best: Gutter | undefined;
  // Rows already searched through each x: seeds inside them would grow the same gutter again.
  const searched = new Map<number, [number, number][]>();
  for (let i = 0; i < rows.length; i++) {
    for (const seed of [[i], [i, i + 1]]) {
      if (seed.some((j) => j >= rows.length)) continue;
      if (seed.length === 2 && rows[i + 1]!.top - rows[i]!.bottom > lineHeight * blockLineGap) continue;
      // A gutter only narrows as it grows: stretches narrower than the least gutter are not one.
      for (const at of emptyStretches(
        seed.map((j) => rows[j]!),
        columnGap * gutterRatio,
      )) {
        const done = searched.get(at) ?? [];
        if (done.some(([a, b]) => a <= seed[0]! && seed[seed.length - 1]! <= b)) continue;
        const g = gutterAt(rows, seed[0]!, seed[seed.length - 1]!, at, lineHeight, columnGap);
        searched.set(at, [...done, [g?.first ?? seed[0]!, g?.last ?? seed[seed.length - 1]!]]);
        if (g && (!best || g.width > best.width)) best = g;
      }
    }
  }
  return best;
}

/**
 * Middles of the stretches of x at least `least` wide that no piece of `rows` covers, between their
 * first and last piece.
 */
function emptyStretches(rows: readonly Row[], least: number): number[] {
  const spans = rows.flatMap((r) => r.pieces).sort((a, b) => a.box.left - b.box.left);
  const out: number[] = [];
  let reach = -Infinity;
  for (const p of spans) {
    if (reach > -Infinity && p.box.left - reach >= least) out.push((reach + p.box.left) / 2);
    reach = Math.max(reach, right(p));
  }
  return out;
}

/**
 * The gutter through x = `at` found from rows `first`..`last`: grown up and down over rows no piece
 * of which crosses it while the blocks on either side go on line after line. It is one when both
 * blocks have two lines or more beside it, it is much wider than every gap between words on either
 * side, and the block after it begins with words: a column of figures beyond a wide empty stretch is
 * a table's (an item's price), not another block.
 */
function gutterAt(
  rows: readonly Row[],
  first: number,
  last: number,
  at: number,
  lineHeight: number,
  columnGap: number,
): Gutter | undefined {
  const least = columnGap * gutterRatio;
  const sides = { left: sideOf(-Infinity), right: sideOf(Infinity) };
  // Adds a row to the blocks either side; false when it crosses `at`, stands apart from a block, or
  // narrows the gutter below the least one (it only narrows as rows are added).
  const add = (r: Row, check: boolean): boolean => {
    const parts = { left: [] as Fragment[], right: [] as Fragment[] };
    for (const p of r.pieces) {
      if (p.box.left < at && right(p) > at) return false;
      (right(p) <= at ? parts.left : parts.right).push(p);
    }
    for (const key of ['left', 'right'] as const) {
      const ps = parts[key];
      const side = sides[key];
      if (ps.length === 0 || !check || side.rows === 0) continue;
      const top = Math.min(...ps.map((p) => p.box.top));
      const bottom = Math.max(...ps.map((p) => p.box.top + p.box.height));
      if (top - side.bottom > lineHeight * blockLineGap || side.top - bottom > lineHeight * blockLineGap) {
        return false;
      }
    }
    const edge = Math.max(sides.left.edge, ...parts.left.map(right));
    const start = Math.min(sides.right.edge, ...parts.right.map((p) => p.box.left));
    if (start - edge < least) return false;
    for (const key of ['left', 'right'] as const) {
      const ps = parts[key];
      if (ps.length === 0) continue;
      const side = sides[key];
      side.rows++;
      side.top = Math.min(side.top, ...ps.map((p) => p.box.top));
      side.bottom = Math.max(side.bottom, ...ps.map((p) => p.box.top + p.box.height));
      side.gap = Math.max(side.gap, wordGap(ps));
      if (key === 'right' && isValue(ps[0]!)) side.figures = true;
    }
    sides.left.edge = edge;
    sides.right.edge = start;
    return true;
  };
  for (let i = first; i <= last; i++) if (!add(rows[i]!, false)) return undefined;
  while (first > 0 && add(rows[first - 1]!, true)) first--;
  while (last + 1 < rows.length && add(rows[last + 1]!, true)) last++;
  const { left, right: after } = sides;
  if (left.rows < 2 || after.rows < 2 || after.figures) return undefined;
  const width = after.edge - left.edge;
  if (width < Math.max(columnGap, left.gap, after.gap) * gutterRatio) return undefined;
  return { first, last, at, width };
}

/** What a block on one side of a gutter has so far: rows, extent, widest word gap, the edge at the gutter. */
function sideOf(edge: number) {
  return { rows: 0, top: Infinity, bottom: -Infinity, gap: 0, edge, figures: false };
}

/** The widest gap between neighbouring words of one row's pieces on one side. */
function wordGap(pieces: readonly Fragment[]): number {
  const boxes = pieces.flatMap((p) => p.words.map(boxOf)).sort((a, b) => a.left - b.left);
  let widest = 0;
  for (let i = 1; i < boxes.length; i++) {
    const prev = boxes[i - 1]!;
    widest = Math.max(widest, boxes[i]!.left - (prev.left + prev.width));
  }
  return widest;
}
