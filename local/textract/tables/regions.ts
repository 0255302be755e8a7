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
  for (let i = 0; i < rows.length; i++) {
    for (const seed of [[i], [i, i + 1]]) {
      if (seed.some((j) => j >= rows.length)) continue;
      if (seed.length === 2 && rows[i + 1]!.top - rows[i]!.bottom > lineHeight * blockLineGap) continue;
      for (const at of emptyStretches(seed.map((j) => rows[j]!))) {
        const g = gutterAt(rows, seed[0]!, seed[seed.length - 1]!, at, lineHeight, columnGap);
        if (g && (!best || g.width > best.width)) best = g;
      }
    }
  }
  return best;
}

/** Middles of the stretches of x no piece of `rows` covers, between their first and last piece. */
function emptyStretches(rows: readonly Row[]): number[] {
  const spans = rows.flatMap((r) => r.pieces).sort((a, b) => a.box.left - b.box.left);
  const out: number[] = [];
  let reach = -Infinity;
  for (const p of spans) {
    if (reach > -Infinity && p.box.left > reach) out.push((reach + p.box.left) / 2);
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
  const crosses = (r: Row) => r.pieces.some((p) => p.box.left < at && right(p) > at);
  if (rows.slice(first, last + 1).some(crosses)) return undefined;
  const extent = {
    left: span(rows.slice(first, last + 1), at, true),
    right: span(rows.slice(first, last + 1), at, false),
  };
  const joins = (r: Row) => {
    for (const side of [true, false]) {
      const pieces = r.pieces.filter((p) => (side ? right(p) <= at : p.box.left >= at));
      const e = side ? extent.left : extent.right;
      if (pieces.length === 0 || !e) continue;
      const top = Math.min(...pieces.map((p) => p.box.top));
      const bottom = Math.max(...pieces.map((p) => p.box.top + p.box.height));
      if (top - e.bottom > lineHeight * blockLineGap || e.top - bottom > lineHeight * blockLineGap)
        return false;
    }
    return true;
  };
  const grow = (r: Row) => {
    for (const side of [true, false]) {
      const s = span([r], at, side);
      if (!s) continue;
      const key = side ? 'left' : 'right';
      const e = extent[key];
      extent[key] = e ? { top: Math.min(e.top, s.top), bottom: Math.max(e.bottom, s.bottom) } : s;
    }
  };
  while (first > 0 && !crosses(rows[first - 1]!) && joins(rows[first - 1]!)) grow(rows[--first]!);
  while (last + 1 < rows.length && !crosses(rows[last + 1]!) && joins(rows[last + 1]!)) grow(rows[++last]!);
  const run = rows.slice(first, last + 1);
  const lefts = run.map((r) => r.pieces.filter((p) => right(p) <= at));
  const rights = run.map((r) => r.pieces.filter((p) => p.box.left >= at));
  if (lefts.filter((ps) => ps.length > 0).length < 2 || rights.filter((ps) => ps.length > 0).length < 2) {
    return undefined;
  }
  const width =
    Math.min(...rights.flat().map((p) => p.box.left)) - Math.max(...lefts.flat().map((p) => right(p)));
  const widestGap = Math.max(columnGap, ...lefts.map(wordGap), ...rights.map(wordGap));
  if (width < widestGap * gutterRatio) return undefined;
  if (rights.some((ps) => ps[0] !== undefined && isValue(ps[0]))) return undefined;
  return { first, last, at, width };
}

/** Top and bottom of the pieces of `rows` on one side of `at` (left when `left`), if any. */
function span(rows: readonly Row[], at: number, left: boolean): { top: number; bottom: number } | undefined {
  const pieces = rows.flatMap((r) => r.pieces).filter((p) => (left ? right(p) <= at : p.box.left >= at));
  if (pieces.length === 0) return undefined;
  return {
    top: Math.min(...pieces.map((p) => p.box.top)),
    bottom: Math.max(...pieces.map((p) => p.box.top + p.box.height)),
  };
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
