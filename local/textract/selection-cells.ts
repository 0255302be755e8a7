/**
 * Checkboxes printed as table cells: a cell of checkbox size whose frame is double-ruled (a second,
 * often lighter, rule just inside the cell's rules, as forms bevel their tick boxes). Such a box
 * touches the table's lines, so its ink is one component with the whole grid and is never found as
 * an isolated square; it is found between the page's ruling lines instead (tables/page-ink.ts).
 * A plain cell, ruled once, is a table cell and not a box.
 */
import type { GreyImage } from './selection';
import { rulingLines } from './tables/page-ink';

/** A box in pixels, its outer rules included, and how deep its frame runs inside them. */
export interface CellBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  frame: number;
}

/** Pixels lighter than this are paper; a frame's lighter inner rule is still darker. */
const paperLevel = 230;
/** A rule row darker than this on average is the rule's core; lighter marked rows are a second line. */
const darkMean = 60;
/** Share of a side's pixels that must be marked for a row or column to be a rule. */
const ruleCover = 0.85;
/** Rulings this close (pixels) count as meeting. */
const tolerance = 2;

interface Line {
  at: number;
  from: number;
  to: number;
  /** A double line's first and last rule (both `at` for a single one). */
  first: number;
  last: number;
}

/**
 * Rulings a few pixels apart (sorted by `at`) are one double line: the cell on either side of it is
 * read from its far rule, so the whole double line is inside the cell's frame.
 */
function cluster(lines: readonly { at: number; from: number; to: number }[]): Line[] {
  const out: Line[] = [];
  for (const l of lines) {
    const prev = out[out.length - 1];
    if (prev && l.at - prev.last <= tolerance + 1.5 && l.from < prev.to && l.to > prev.from) {
      prev.last = l.at;
      prev.at = (prev.first + prev.last) / 2;
      prev.from = Math.min(prev.from, l.from);
      prev.to = Math.max(prev.to, l.to);
    } else out.push({ ...l, first: l.at, last: l.at });
  }
  return out;
}

/**
 * Double-ruled cells between the page's rulings with sides from `minSide` to `maxSide` pixels (up to
 * 2.2 times as wide as tall, as flat boxes are).
 */
export function doubleRuledCells(
  image: GreyImage,
  charHeight: number,
  minSide: number,
  maxSide: number,
): CellBox[] {
  const { width, height } = image;
  const rulings = rulingLines(image, charHeight > 0 ? charHeight : 13);
  const horizontal = cluster(
    rulings.horizontal
      .map((r) => ({ at: r.at * height, from: r.from * width, to: r.to * width }))
      .sort((a, b) => a.at - b.at),
  );
  const vertical = cluster(
    rulings.vertical
      .map((r) => ({ at: r.at * width, from: r.from * height, to: r.to * height }))
      .sort((a, b) => a.at - b.at),
  );
  const out: CellBox[] = [];
  for (const [i, top] of horizontal.entries()) {
    for (const bottom of horizontal.slice(i + 1)) {
      const h = bottom.at - top.at;
      if (h < minSide) continue;
      if (h > maxSide) break;
      const from = Math.max(top.from, bottom.from) - tolerance;
      const to = Math.min(top.to, bottom.to) + tolerance;
      if (to - from < minSide) continue;
      const crossing = vertical.filter(
        (v) => v.at >= from && v.at <= to && v.from <= top.at + tolerance && v.to >= bottom.at - tolerance,
      );
      for (let k = 0; k + 1 < crossing.length; k++) {
        const left = crossing[k] as Line;
        const right = crossing[k + 1] as Line;
        const w = right.at - left.at;
        if (w < minSide || w > h * 2.2 || w > maxSide * 2) continue;
        // The first rule below `top` over this cell must be `bottom`: a cell, not two stacked.
        const between = horizontal.some(
          (o) =>
            o.at > top.at + tolerance &&
            o.at < bottom.at - tolerance &&
            o.from <= left.at + tolerance &&
            o.to >= right.at - tolerance,
        );
        if (between) continue;
        const cell = { minX: left.first, minY: top.first, maxX: right.last, maxY: bottom.last };
        const frame = doubleFrame(image, cell);
        if (frame !== undefined) {
          out.push({
            minX: Math.floor(cell.minX),
            minY: Math.floor(cell.minY),
            maxX: Math.ceil(cell.maxX) - 1,
            maxY: Math.ceil(cell.maxY) - 1,
            frame,
          });
        }
      }
    }
  }
  return out;
}

/**
 * How deep the frame of a cell (rule centres in pixels) runs inside it on its deepest side, when
 * every side is double-ruled; undefined for a cell ruled once. Each side is read from its rule's
 * centre inwards, row by row (column by column), corners left out: a single rule of any width is
 * dark there with at most a pixel of lighter blur at its edge; a double rule has a second line
 * inside it, either lighter (a bevel: two or more lighter rows) or apart (paper, then ink again).
 */
function doubleFrame(
  image: GreyImage,
  cell: { minX: number; minY: number; maxX: number; maxY: number },
): number | undefined {
  const { pixels, width } = image;
  const x0 = Math.floor(cell.minX);
  const x1 = Math.ceil(cell.maxX) - 1;
  const y0 = Math.floor(cell.minY);
  const y1 = Math.ceil(cell.maxY) - 1;
  const reach = Math.floor(Math.min(x1 - x0, y1 - y0) * 0.35);
  /** Share of the side's pixels that are marked, and their mean grey. */
  const read = (horizontal: boolean, line: number) => {
    const [from, to] = horizontal ? [x0 + reach, x1 - reach] : [y0 + reach, y1 - reach];
    let n = 0;
    let sum = 0;
    for (let along = from; along <= to; along++) {
      const p = (horizontal ? pixels[line * width + along] : pixels[along * width + line]) ?? 255;
      sum += p;
      if (p < paperLevel) n++;
    }
    const count = to - from + 1;
    return { marked: n >= count * ruleCover, mean: sum / count };
  };
  const side = (horizontal: boolean, start: number, step: 1 | -1): number | undefined => {
    let d = 0;
    let lighter = 0;
    for (; d <= reach; d++) {
      const row = read(horizontal, start + d * step);
      if (!row.marked) break;
      if (row.mean >= darkMean) lighter++;
    }
    if (d > reach) return undefined;
    if (lighter >= 2) return d;
    // A second line apart from the first.
    let gap = d;
    while (gap <= reach && !read(horizontal, start + gap * step).marked) gap++;
    if (gap === d || gap > reach) return undefined;
    let end = gap;
    while (end <= reach && read(horizontal, start + end * step).marked) end++;
    return end > reach ? undefined : end;
  };
  const sides = [side(true, y0, 1), side(true, y1, -1), side(false, x0, 1), side(false, x1, -1)];
  if (sides.some((s) => s === undefined)) return undefined;
  return Math.max(...(sides as number[]));
}
