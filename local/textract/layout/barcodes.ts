/**
 * Barcodes, as LAYOUT_FIGURE: Textract lays out a receipt's or a label's barcode as a figure. Its bars
 * are thin dark runs down the page, so the ruling-line pass takes each for a vertical rule and the
 * loose-ink pass (which leaves rules out) never sees them. Told from a table's or a form's rules by
 * how they stand: many bars of one height side by side, closer than a character's width, with no
 * rule along their top or bottom (a row of character boxes on a form is ruled above and below).
 */
import type { Box } from '../blocks';
import type { PageInk, Ruling } from '../tables/page-ink';

/** Fewest bars a barcode has (the shortest symbologies have a few dozen). */
const minBars = 12;
/** Neighbouring bars stand at most this many line heights apart (a wide space of a few modules)... */
const maxGap = 0.8;
/** ...and typically (median) at most this: closer than a character's width. */
const typicalGap = 0.5;
/** Bars are at least this many line heights tall. */
const minHeight = 1.5;

/** Two bars stand side by side when they overlap down the page over most of the shorter one. */
function sideBySide(a: Ruling, b: Ruling): boolean {
  const overlap = Math.min(a.to, b.to) - Math.max(a.from, b.from);
  return overlap >= 0.7 * Math.min(a.to - a.from, b.to - b.from);
}

/**
 * The boxes of the page's barcodes (page fractions). `lineHeight` is the page's typical line height
 * (a fraction of its height), `aspect` its height over its width.
 */
export function barcodes(
  ink: Pick<PageInk, 'horizontal' | 'vertical'>,
  lineHeight: number,
  aspect: number,
): Box[] {
  // A gap across the page in line heights: x fractions are of the width, line heights of the height.
  const gapOf = (a: Ruling, b: Ruling) => (b.at - a.at) / (aspect * lineHeight);
  const bars = ink.vertical
    .filter((r) => r.to - r.from >= lineHeight * minHeight)
    .sort((a, b) => a.at - b.at);
  // Bars join the run they stand beside; rules elsewhere on the page at the same x do not part them.
  const runs: Ruling[][] = [];
  for (const bar of bars) {
    const run = runs.find((r) => {
      const last = r[r.length - 1];
      return last !== undefined && gapOf(last, bar) <= maxGap && sideBySide(last, bar);
    });
    if (run) run.push(bar);
    else runs.push([bar]);
  }
  const out: Box[] = [];
  for (const run of runs) {
    if (run.length < minBars) continue;
    const gaps = run.slice(1).map((bar, i) => gapOf(run[i] ?? bar, bar));
    const middle = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? Infinity;
    if (middle > typicalGap) continue;
    const left = run[0]?.at ?? 0;
    const right = run[run.length - 1]?.at ?? 0;
    const top = Math.min(...run.map((b) => b.from));
    const bottom = Math.max(...run.map((b) => b.to));
    const ruledAlong = (y: number) =>
      ink.horizontal.some(
        (r) =>
          Math.abs(r.at - y) <= lineHeight * 0.3 &&
          Math.min(r.to, right) - Math.max(r.from, left) >= 0.8 * (right - left),
      );
    if (ruledAlong(top) || ruledAlong(bottom)) continue;
    // A bar's `at` is its middle: half a thin bar's width out on each side.
    const pad = 0.002;
    out.push({ left: left - pad, top, width: right - left + 2 * pad, height: bottom - top });
  }
  return out;
}
