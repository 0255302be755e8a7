/**
 * Selection elements (checkboxes) found in a page image: small isolated squares, hollow or filled.
 * Textract reports them as SELECTION_ELEMENT blocks, never as words, so they are also erased from the
 * image before OCR; left in, tesseract reads each empty box as a "j", "O" or "[]".
 */
import type { Box } from './blocks';
import type { QuarterTurns } from './orientation';
import { doubleRuledCells } from './selection-cells';
import { type Component, components, type GreyImage, otsuThreshold } from './grey-image';

export { eraseBoxes, type GreyImage, toGrey } from './grey-image';

/** A selection element as found, its box in page fractions. */
export interface RecognisedSelection {
  box: Box;
  selected: boolean;
  /** 0..100 */
  confidence: number;
  /** Printed as a cell of a ruled table (selection-cells.ts): the table's, not a label's value. */
  inTable?: boolean;
}

/**
 * The longest unbroken run along one side where the component has ink within `band` pixels of the
 * edge, as a share of the side: a ruled box scores ~1, letters such as "n" or "u" break in the middle.
 */
function sideCoverage(
  labels: Int32Array,
  width: number,
  c: Component,
  side: 'top' | 'bottom' | 'left' | 'right',
  band: number,
): number {
  const horizontal = side === 'top' || side === 'bottom';
  const from = horizontal ? c.minX : c.minY;
  const to = horizontal ? c.maxX : c.maxY;
  let run = 0;
  let longest = 0;
  for (let along = from; along <= to; along++) {
    let hit = false;
    for (let depth = 0; depth < band && !hit; depth++) {
      const x = horizontal ? along : side === 'left' ? c.minX + depth : c.maxX - depth;
      const y = horizontal ? (side === 'top' ? c.minY + depth : c.maxY - depth) : along;
      hit = labels[y * width + x] === c.label;
    }
    run = hit ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest / (to - from + 1);
}

/**
 * Whether a box is ticked, from the ink inside its rules (whichever component it belongs to: a tick,
 * a cross, a scribble or a fill), the rules themselves left out. A stroke across the box leaves at
 * least about its inner side in ink pixels whatever its width; print noise and a rule's blur do not.
 * `sure` (0..1) is lower near the line between the two.
 */
function tickState(
  ink: Uint8Array,
  width: number,
  c: Component,
  band: number,
): { selected: boolean; sure: number } | undefined {
  let inside = 0;
  let area = 0;
  for (let y = c.minY + band; y <= c.maxY - band; y++) {
    for (let x = c.minX + band; x <= c.maxX - band; x++) {
      area++;
      inside += ink[y * width + x] ?? 0;
    }
  }
  if (area === 0) return undefined;
  const innerSide = Math.sqrt(area);
  // Ink as a multiple of what one thin stroke across the box would leave.
  const strokes = inside / (innerSide * 0.6);
  const selected = strokes >= 1 && inside / area >= 0.03;
  const sure = selected ? Math.min(1, 0.8 + strokes / 10) : Math.min(1, 1.05 - strokes / 2);
  return { selected, sure: Math.max(0.5, sure) };
}

/**
 * The longest run of `label` along row (`horizontal`) or column `fixed`, from `from` to `to`. A function
 * of the module, not a closure made per component: V8 drops a closure's optimised code with its last
 * closure at a full garbage collection.
 */
function longestRun(
  labels: Int32Array,
  width: number,
  label: number,
  fixed: number,
  from: number,
  to: number,
  horizontal: boolean,
): { start: number; length: number } {
  let best = { start: from, length: 0 };
  let start = from;
  for (let i = from; i <= to + 1; i++) {
    const at = horizontal ? fixed * width + i : i * width + fixed;
    if (i <= to && labels[at] === label) continue;
    if (i - start > best.length) best = { start, length: i - start };
    start = i + 1;
  }
  return best;
}

/**
 * The square frame inside a component that is bigger than a checkbox because a mark runs out of it:
 * the two rows and two columns with the longest straight runs of its ink, when they close a square
 * of checkbox size. Undefined when they do not.
 */
function frameWithin(
  labels: Int32Array,
  width: number,
  c: Component,
  minSide: number,
  maxSide: number,
): Component | undefined {
  const rules = (horizontal: boolean) => {
    const [from, to] = horizontal ? [c.minY, c.maxY] : [c.minX, c.maxX];
    const found: { at: number; start: number; length: number }[] = [];
    for (let i = from; i <= to; i++) {
      const r = horizontal
        ? longestRun(labels, width, c.label, i, c.minX, c.maxX, true)
        : longestRun(labels, width, c.label, i, c.minY, c.maxY, false);
      if (r.length >= minSide) found.push({ at: i, ...r });
    }
    return found;
  };
  const rows = rules(true);
  const cols = rules(false);
  if (rows.length < 2 || cols.length < 2) return undefined;
  const first = rows[0] as (typeof rows)[number];
  const last = rows[rows.length - 1] as (typeof rows)[number];
  const left = cols[0] as (typeof cols)[number];
  const right = cols[cols.length - 1] as (typeof cols)[number];
  const w = right.at - left.at + 1;
  const h = last.at - first.at + 1;
  if (Math.min(w, h) < minSide || Math.max(w, h) > maxSide || w / h < 0.75 || w / h > 1.33) return undefined;
  // The rules must span the frame they close, not be strokes of the mark.
  const spans = (r: { start: number; length: number }, from: number, length: number) =>
    r.length >= length * 0.85 && Math.abs(r.start - from) <= length * 0.1;
  if (
    !spans(first, left.at, w) ||
    !spans(last, left.at, w) ||
    !spans(left, first.at, h) ||
    !spans(right, first.at, h)
  )
    return undefined;
  return { label: c.label, minX: left.at, maxX: right.at, minY: first.at, maxY: last.at, count: c.count };
}

/**
 * Finds checkboxes: isolated, nearly square components whose four sides are ruled (hollow boxes,
 * selected when their inside holds ink) and small solid squares (filled boxes, selected). Sizes are
 * relative to the page so the same rules hold at any resolution.
 */
export function findSelections(image: GreyImage): RecognisedSelection[] {
  return analyseInk(image).selections;
}

/** What the page's ink says: its checkboxes, and the height of its typical character. */
export interface InkAnalysis {
  selections: RecognisedSelection[];
  /**
   * Median height in pixels of character-sized components, measured across the text lines (so on a
   * sideways page it is their width); 0 when the page has none.
   */
  charHeight: number;
  /** The page has at least a line or two of character-sized marks; a blank page has not. */
  text: boolean;
  /** The text lines run up or down the image: the page is stored sideways. */
  sideways: boolean;
  /** Quarter turns clockwise the ink says will bring the text upright; a guess, to try first. */
  turns: QuarterTurns;
}

/** One pass over the page's ink components for both checkboxes and the typical character size. */
export function analyseInk(image: GreyImage): InkAnalysis {
  const { pixels, width, height } = image;
  const threshold = otsuThreshold(pixels);
  const ink = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) ink[i] = (pixels[i] ?? 255) <= threshold ? 1 : 0;
  const { labels, all } = components(ink, width, height);
  const long = Math.max(width, height);
  const { text, sideways, turns } = textDirection(all, long);
  const charHeight = medianCharHeight(all, long, sideways);
  // About 2 mm on a letter page: smaller than any printed checkbox, larger than body-text letters.
  const minSide = Math.max(7, long * 0.008);
  // About 8 mm: the largest boxes forms print for a tick (a generated PDF's 7.4 mm boxes among them).
  const maxSide = long * 0.03;
  const found: { c: Component; selected: boolean; confidence: number; inTable?: boolean }[] = [];
  const solids: Component[] = [];
  for (const c of all) {
    const w = c.maxX - c.minX + 1;
    const h = c.maxY - c.minY + 1;
    if (Math.min(w, h) < minSide || Math.max(w, h) > maxSide * 2) continue;
    const square = Math.max(w, h) <= maxSide && w / h >= 0.75 && w / h <= 1.33;
    // Forms also print wider boxes for a tick (twice as wide as tall, often in table cells); a ruled
    // outline that flat and small is no letter.
    // Solid bars that shape are rules and redactions, not boxes.
    const flat =
      !square && Math.max(w, h) <= maxSide * 2 && w / h > 1.33 && w / h <= 2.2 && c.count / (w * h) < 0.6;
    if (square && c.count / (w * h) >= 0.88) {
      solids.push(c);
      continue;
    }
    // A mark that runs past the rules (a tick's long stroke, a cross) makes the component bigger than
    // its box: the box is then the frame of long straight runs inside it.
    const ruled = (frame: Component) => {
      const band = Math.max(2, Math.round(Math.min(frame.maxX - frame.minX, frame.maxY - frame.minY) * 0.2));
      const sides = (['top', 'bottom', 'left', 'right'] as const).map((s) =>
        sideCoverage(labels, width, frame, s, band),
      );
      return { frame, band, weakest: Math.min(...sides) };
    };
    let box = square || flat ? ruled(c) : undefined;
    if (!box || box.weakest < 0.9) {
      const inner = frameWithin(labels, width, c, minSide, maxSide);
      box = inner ? ruled(inner) : undefined;
    }
    if (!box || box.weakest < 0.9) continue;
    const { frame, band, weakest } = box;
    const state = tickState(ink, width, frame, band);
    if (!state) continue;
    found.push({
      c: frame,
      selected: state.selected,
      confidence: Math.round(weakest * state.sure * 1000) / 10,
    });
  }
  // Double-ruled boxes in table cells touch the grid's lines: found between the page's rulings.
  const inBox = (x: number, y: number, b: Component) =>
    x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY;
  for (const cell of doubleRuledCells(image, charHeight, minSide, maxSide)) {
    const frame: Component = { label: -1, ...cell, count: 0 };
    const [cx, cy] = [(cell.minX + cell.maxX) / 2, (cell.minY + cell.maxY) / 2];
    if (found.some((f) => inBox(cx, cy, f.c))) continue;
    const state = tickState(ink, width, frame, cell.frame);
    if (!state) continue;
    const confidence = Math.round(state.sure * 900) / 10;
    found.push({ c: frame, selected: state.selected, confidence, inTable: true });
  }
  const within = (s: Component, box: Component) =>
    s.minX >= box.minX && s.maxX <= box.maxX && s.minY >= box.minY && s.maxY <= box.maxY;
  for (const s of solids) {
    if (found.some((f) => within(s, f.c))) continue;
    found.push({ c: s, selected: true, confidence: 90 });
  }
  const selections = found
    .sort((a, b) => a.c.minY - b.c.minY || a.c.minX - b.c.minX)
    .map(({ c, selected, confidence, inTable }) => ({
      box: {
        left: c.minX / width,
        top: c.minY / height,
        width: (c.maxX - c.minX + 1) / width,
        height: (c.maxY - c.minY + 1) / height,
      },
      selected,
      confidence,
      ...(inTable ? { inTable } : {}),
    }));
  return { selections, charHeight, text, sideways, turns };
}

/**
 * The median height of components shaped like characters: taller than specks, shorter than a
 * twentieth of the page, no wider than two heights (rules and merged runs are not characters). On a
 * sideways page the same is measured with width and height swapped.
 */
function medianCharHeight(all: readonly Component[], long: number, sideways: boolean): number {
  const heights = all
    .map((c) => {
      const [w, h] = [c.maxX - c.minX + 1, c.maxY - c.minY + 1];
      return sideways ? { w: h, h: w } : { w, h };
    })
    .filter(({ w, h }) => h >= 4 && h <= long / 20 && w <= h * 2)
    .map(({ h }) => h)
    .sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? 0;
}

// A component's centre and its grid cell's key: functions of the module, not closures made per page,
// whose optimised code V8 would drop with the closures at each full garbage collection.
const centreX = (c: Component) => (c.minX + c.maxX) / 2;
const centreY = (c: Component) => (c.minY + c.maxY) / 2;
const gridKey = (gx: number, gy: number) => gy * 1_000_003 + gx;

/** Fewer character-sized marks than this, and a page has no text to speak of (nor a direction). */
const minCharacters = 20;

/**
 * Which way up the text is, from the ink alone. Letters of a word sit closer to each other than to
 * the lines above and below, so each character-sized component's nearest neighbour lies along its
 * line: clearly more neighbours above or below than beside means the lines run down the image. And
 * neighbours along a line share their baseline more often than their top (ascenders and capitals stand
 * above the x-height; fewer letters descend), which tells upright from upside down, and a page turned
 * clockwise from one turned anticlockwise. Corpus pages: 3.7 times as many shared baselines as shared
 * tops on the form and payslip; none either way on the all-capitals receipt.
 */
function textDirection(
  all: readonly Component[],
  long: number,
): { text: boolean; sideways: boolean; turns: QuarterTurns } {
  const chars = all.filter((c) => {
    const [w, h] = [c.maxX - c.minX + 1, c.maxY - c.minY + 1];
    return Math.min(w, h) >= 3 && Math.max(w, h) <= long / 20 && w <= h * 3 && h <= w * 3;
  });
  if (chars.length < minCharacters) return { text: false, sideways: false, turns: 0 };
  const sizes = chars.map((c) => Math.max(c.maxX - c.minX, c.maxY - c.minY) + 1).sort((a, b) => a - b);
  const cell = Math.max(4, 2 * (sizes[Math.floor(sizes.length / 2)] ?? 4));
  const grid = new Map<number, Component[]>();
  for (const c of chars) {
    const k = gridKey(Math.floor(centreX(c) / cell), Math.floor(centreY(c) / cell));
    const bucket = grid.get(k);
    if (bucket) bucket.push(c);
    else grid.set(k, [c]);
  }
  let beside = 0;
  let aboveOrBelow = 0;
  // Neighbours sharing their bottom, top, left or right edge more closely than the opposite one.
  const shared = { bottom: 0, top: 0, left: 0, right: 0 };
  for (const p of chars) {
    const gx = Math.floor(centreX(p) / cell);
    const gy = Math.floor(centreY(p) / cell);
    let best = Infinity;
    let near: Component | undefined;
    for (let y = gy - 1; y <= gy + 1; y++) {
      for (let x = gx - 1; x <= gx + 1; x++) {
        for (const q of grid.get(gridKey(x, y)) ?? []) {
          const d = (centreX(q) - centreX(p)) ** 2 + (centreY(q) - centreY(p)) ** 2;
          if (q === p || d >= best) continue;
          best = d;
          near = q;
        }
      }
    }
    if (!near) continue;
    if (Math.abs(centreX(near) - centreX(p)) > Math.abs(centreY(near) - centreY(p))) {
      beside++;
      const [bottom, top] = [Math.abs(near.maxY - p.maxY), Math.abs(near.minY - p.minY)];
      if (bottom !== top) shared[bottom < top ? 'bottom' : 'top']++;
    } else {
      aboveOrBelow++;
      const [left, right] = [Math.abs(near.minX - p.minX), Math.abs(near.maxX - p.maxX)];
      if (left !== right) shared[left < right ? 'left' : 'right']++;
    }
  }
  const clearly = (a: number, b: number) => a >= 20 && a > b * 2;
  if (aboveOrBelow > beside * 1.5) {
    // Baselines on the left: the page was turned clockwise, and three more turns right it.
    return { text: true, sideways: true, turns: clearly(shared.left, shared.right) ? 3 : 1 };
  }
  return { text: true, sideways: false, turns: clearly(shared.top, shared.bottom) ? 2 : 0 };
}
