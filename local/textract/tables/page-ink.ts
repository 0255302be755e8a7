/**
 * What tables, signatures and layout need from a page's pixels once the words are read: its ruling
 * lines (long thin horizontal and vertical runs of ink) and a coarse map of where ink lies, so ink
 * with no word on it (a signature, a figure) can be told apart from print. Both are small, so a page
 * keeps them after its image is released.
 */
import type { GreyImage } from '../selection';
import { byteWords } from '../grey-image';

/** A ruling line in page fractions: horizontal ones at `y` from `from` to `to` along x, vertical at `x`. */
export interface Ruling {
  /** y of a horizontal line, x of a vertical one. */
  at: number;
  from: number;
  to: number;
}

/** Ink density over a grid of `columns` x `rows` tiles: 0..255, the share of ink pixels per tile. */
export interface InkMap {
  /** Tile side in pixels, and the image's size in pixels, to turn tiles into page fractions. */
  tile: number;
  width: number;
  height: number;
  columns: number;
  rows: number;
  tiles: Uint8Array;
}

export interface PageInk {
  horizontal: Ruling[];
  vertical: Ruling[];
  ink: InkMap;
}

/** Pixels darker than this are ink; ruled forms are printed dark on light paper. */
const inkLevel = 160;
/** Gaps a ruling may have (dotted or worn lines, scanner noise), in pixels. */
const maxGap = 3;
/** Tile side of the ink map, in pixels (characters are ~13 px tall after scaling). */
const tile = 8;

/**
 * Finds ruling lines: runs of ink at least `minLength` px long (a horizontal line is longer than any
 * word's strokes; a vertical one longer than two characters are tall), merged across the few rows or
 * columns a thick line spans.
 */
export function pageInk(image: GreyImage, charHeight = 13): PageInk {
  const { width, height } = image;
  const ink = inkPixels(image);
  return { ...rulingsOf(ink, width, height, charHeight), ink: inkMap(ink, width, height) };
}

/** The page's ruling lines alone (checkboxes inside ruled table cells are looked for between them). */
export function rulingLines(image: GreyImage, charHeight = 13): Pick<PageInk, 'horizontal' | 'vertical'> {
  return rulingsOf(inkPixels(image), image.width, image.height, charHeight);
}

function inkPixels({ width, height, pixels }: GreyImage): Uint8Array {
  const ink = new Uint8Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = (pixels[i] ?? 255) < inkLevel ? 1 : 0;
  return ink;
}

function rulingsOf(
  ink: Uint8Array,
  width: number,
  height: number,
  charHeight: number,
): Pick<PageInk, 'horizontal' | 'vertical'> {
  const horizontal = mergeRuns(
    horizontalRuns(ink, width, height, Math.max(charHeight * 4, width * 0.04)),
    width,
    height,
  );
  const vertical = mergeRuns(verticalRuns(ink, width, height, Math.max(charHeight * 1.8, 20)), height, width);
  return { horizontal, vertical };
}

interface Run {
  line: number;
  from: number;
  to: number;
}

/** Runs of ink along each row, at least `minLength` long, bridging gaps of up to `maxGap` pixels. */
function horizontalRuns(ink: Uint8Array, width: number, height: number, minLength: number): Run[] {
  const out: Run[] = [];
  const words = byteWords(ink);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let start = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      // Four pixels of paper at once.
      const i = row + x;
      if ((i & 3) === 0 && x + 4 <= width && words[i >> 2] === 0) {
        x += 3;
        continue;
      }
      if (ink[i] !== 1) continue;
      if (start < 0 || x - last > maxGap + 1) {
        if (start >= 0 && last - start + 1 >= minLength) out.push({ line: y, from: start, to: last + 1 });
        start = x;
      }
      last = x;
    }
    if (start >= 0 && last - start + 1 >= minLength) out.push({ line: y, from: start, to: last + 1 });
  }
  return out;
}

/** The same down each column, read row by row (one pass over memory in order). */
function verticalRuns(ink: Uint8Array, width: number, height: number, minLength: number): Run[] {
  const out: Run[] = [];
  const start = new Int32Array(width).fill(-1);
  const last = new Int32Array(width).fill(-1);
  const words = byteWords(ink);
  const end = (x: number) => {
    const s = start[x] ?? -1;
    const l = last[x] ?? -1;
    if (s >= 0 && l - s + 1 >= minLength) out.push({ line: x, from: s, to: l + 1 });
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if ((i & 3) === 0 && x + 4 <= width && words[i >> 2] === 0) {
        x += 3;
        continue;
      }
      if (ink[i] !== 1) continue;
      if ((start[x] ?? -1) < 0 || y - (last[x] ?? -1) > maxGap + 1) {
        end(x);
        start[x] = y;
      }
      last[x] = y;
    }
  }
  for (let x = 0; x < width; x++) end(x);
  // Runs by column, as mergeRuns expects them line by line.
  return out.sort((a, b) => a.line - b.line || a.from - b.from);
}

/**
 * Runs on neighbouring lines that overlap are one ruling (a 2-3 px thick line). A band of many lines is
 * a solid area (a shaded header, a photo), not a ruling, and is dropped.
 */
function mergeRuns(found: Run[], length: number, across: number): Ruling[] {
  type Group = { first: number; last: number; from: number; to: number };
  const done: Group[] = [];
  let active: Group[] = [];
  for (const run of found) {
    // Runs come line by line: groups that missed the previous line are finished.
    const open = active.filter((g) => run.line - g.last <= 1);
    for (const g of active) if (run.line - g.last > 1) done.push(g);
    active = open;
    const group = active.find((g) => g.last < run.line && run.from < g.to && run.to > g.from);
    if (group) {
      group.last = run.line;
      group.from = Math.min(group.from, run.from);
      group.to = Math.max(group.to, run.to);
    } else active.push({ first: run.line, last: run.line, from: run.from, to: run.to });
  }
  done.push(...active);
  return done
    .filter((g) => g.last - g.first < 6)
    .map((g) => ({ at: (g.first + g.last + 1) / 2 / across, from: g.from / length, to: g.to / length }));
}

function inkMap(ink: Uint8Array, width: number, height: number): InkMap {
  const columns = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const counts = new Uint32Array(columns * rows);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / tile) * columns;
    const line = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[line + x] === 1) {
        const i = row + ((x / tile) | 0);
        counts[i] = (counts[i] ?? 0) + 1;
      }
    }
  }
  const tiles = new Uint8Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    tiles[i] = Math.min(255, Math.round(((counts[i] ?? 0) * 255) / (tile * tile)));
  }
  return { tile, width, height, columns, rows, tiles };
}
