/**
 * Print the page's reading left out, read on its own. Tesseract's page layout (PSM 4) takes regions it
 * judges to be pictures out before it looks for text lines: print on a cheque's security pattern, or
 * on a photo's background, can go that way whole, though it is as dark and as large as the print
 * around it. Cropped out alone, the same print reads at the confidences of the rest of the page.
 *
 * So the ink no recognised word covers is found (darker than its neighbourhood's paper, less ruling
 * lines), grouped into areas of at least text height, and each area is cropped onto its paper's shade
 * with the words already read painted out, and read as one block (an area read doubtfully is read
 * again by rows and enlarged, area-rows.ts). Only lines read with confidence are kept: marks that
 * are not print (signatures, patterns, logos) read as low-confidence fragments.
 * Pages whose ink all lies under their words cost two passes over their pixels (the paper's shade,
 * then the ink), and the mask of their ink while it is looked at.
 */
import type { Box, RecognisedLine, RecognisedWord } from './blocks';
import type { GreyImage } from './grey-image';
import type { OcrPool } from './ocr-pool';
import { turnAndScale } from './resample';
import { eraseRulings, inkLevel, minSpanned, spanned, textRows } from './area-rows';
import {
  cropRegion,
  inkBand,
  inkContrast,
  mergeRegions,
  overgrown,
  paperLevel,
  readBlock,
  weight,
  type Region,
} from './reread';

/** Lines of a second reading are kept when their words' mean confidence reaches this. */
export const keepConfidence = 60;

/**
 * A doubtful area is read again this many times its size (area-rows.ts), when it is at most
 * `maxEnlargedWidth` word heights wide.
 */
const enlarged = 2;
const maxEnlargedWidth = 12;

/**
 * Areas read again are at least this many word heights wide (a word or two, not a stray mark) and
 * this share of a word height tall.
 */
const minWidth = 2;
const minHeight = 0.6;

/** Straight runs of ink this many word heights long are rulings, not print. */
const rulingLength = { horizontal: 3, vertical: 2 };

/**
 * Areas read again cover at most this share of the page, the smallest first: a page of photos, or
 * of print on a pattern as dark as print, is not read twice over (such an area read as a block costs
 * more than the page did, for fragments of low confidence).
 */
const maxShare = 0.2;
/** And at most this many areas: each is one more call to OCR (~3 ms before any reading). */
const maxAreas = 40;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The page's ink as a 0/1 mask, with its count per square tile of `tile` pixels: pixels `inkContrast`
 * darker than the paper of the block of 8 x 8 tiles around them, so print on a tinted band or a
 * patterned cheque counts as ink and the pattern does not.
 */
function inkTiles(image: GreyImage, tile: number): { ink: Uint8Array; counts: Uint32Array; columns: number } {
  const { width, height, pixels } = image;
  const block = tile * 8;
  const columns = Math.ceil(width / tile);
  const ink = new Uint8Array(width * height);
  const counts = new Uint32Array(columns * Math.ceil(height / tile));
  const tileOf = Int32Array.from({ length: width }, (_, x) => Math.floor(x / tile));
  for (let by = 0; by < height; by += block) {
    for (let bx = 0; bx < width; bx += block) {
      const r = { x0: bx, y0: by, x1: Math.min(width, bx + block), y1: Math.min(height, by + block) };
      const level = paperLevel(image, r) - inkContrast;
      for (let y = r.y0; y < r.y1; y++) {
        const tiles = Math.floor(y / tile) * columns;
        for (let x = r.x0, i = y * width + x; x < r.x1; x++, i++) {
          if (pixels[i]! >= level) continue;
          ink[i] = 1;
          counts[tiles + tileOf[x]!]!++;
        }
      }
    }
  }
  return { ink, counts, columns };
}

/** Flags kept in the ink mask beside its ink bit (1): a ruling's pixel, and runs already followed. */
const ruledFlag = 2;
const rowFlag = 4;
const columnFlag = 8;

/**
 * Marks the ruling lines' pixels among the ink of the given tiles (`ruledFlag`, in the mask itself):
 * runs of ink at least `length.horizontal` pixels long along a row, or `length.vertical` down a
 * column, through an ink pixel of those tiles. A run may step a pixel to either side, as a line a
 * little off straight does, so a row's runs are taken over it and its two neighbours (a column's over
 * its two neighbours). Only runs through the tiles are followed, each once.
 */
function markRulings(
  ink: Uint8Array,
  width: number,
  height: number,
  tiles: readonly { x0: number; y0: number; x1: number; y1: number }[],
  length: { horizontal: number; vertical: number },
): void {
  const last = height - 1;
  // Ink at (x, y) or a pixel above or below it; at (x, y) or a pixel left or right of it.
  const rowInk = (x: number, y: number) =>
    (ink[y * width + x]! & 1) === 1 ||
    (y > 0 && (ink[(y - 1) * width + x]! & 1) === 1) ||
    (y < last && (ink[(y + 1) * width + x]! & 1) === 1);
  const columnInk = (x: number, y: number) =>
    (ink[y * width + x]! & 1) === 1 ||
    (x > 0 && (ink[y * width + x - 1]! & 1) === 1) ||
    (x < width - 1 && (ink[y * width + x + 1]! & 1) === 1);
  for (const t of tiles) {
    for (let y = t.y0; y < t.y1; y++) {
      for (let x = t.x0; x < t.x1; x++) {
        const i = y * width + x;
        if ((ink[i]! & 1) !== 1) continue;
        if ((ink[i]! & rowFlag) === 0) {
          let [from, to] = [x, x + 1];
          while (from > 0 && rowInk(from - 1, y)) from--;
          while (to < width && rowInk(to, y)) to++;
          const flags = to - from >= length.horizontal ? rowFlag | ruledFlag : rowFlag;
          for (let j = y * width + from; j < y * width + to; j++) ink[j]! |= flags;
        }
        if ((ink[i]! & columnFlag) === 0) {
          let [from, to] = [y, y + 1];
          while (from > 0 && columnInk(x, from - 1)) from--;
          while (to < height && columnInk(x, to)) to++;
          const flags = to - from >= length.vertical ? columnFlag | ruledFlag : columnFlag;
          for (let v = from; v < to; v++) ink[v * width + x]! |= flags;
        }
      }
    }
  }
}

/**
 * The areas (pixels) of the page holding ink that no word box covers, at least text-sized, merged
 * where they touch. `words` are boxes in page fractions on `image`.
 */
export function uncoveredRegions(image: GreyImage, words: readonly Box[]): Region[] {
  const { width, height } = image;
  const h = median(words.map((w) => w.height * height));
  if (h <= 0) return [];
  const tile = Math.max(3, Math.round(h / 2));
  const { ink, counts, columns } = inkTiles(image, tile);
  const rows = Math.ceil(height / tile);
  // A tile with a stroke through it holds ink; a speck does not.
  const minInk = Math.max(2, Math.round(tile * 0.5));
  const loose = new Uint8Array(columns * rows);
  for (let i = 0; i < loose.length; i++) loose[i] = (counts[i] ?? 0) >= minInk ? 1 : 0;
  // Tiles under a word (and a margin of a third of a word height) are explained.
  const margin = h / 3;
  for (const w of words) {
    const x0 = Math.max(0, Math.floor((w.left * width - margin) / tile));
    const x1 = Math.min(columns - 1, Math.floor(((w.left + w.width) * width + margin) / tile));
    const y0 = Math.max(0, Math.floor((w.top * height - margin) / tile));
    const y1 = Math.min(rows - 1, Math.floor(((w.top + w.height) * height + margin) / tile));
    for (let y = y0; y <= y1; y++) loose.fill(0, y * columns + x0, y * columns + x1 + 1);
  }
  // The ink left, less ruling lines, counted again.
  const left: { x0: number; y0: number; x1: number; y1: number; index: number }[] = [];
  for (let i = 0; i < loose.length; i++) {
    if (loose[i] !== 1) continue;
    const [x0, y0] = [(i % columns) * tile, Math.floor(i / columns) * tile];
    left.push({ x0, y0, x1: Math.min(width, x0 + tile), y1: Math.min(height, y0 + tile), index: i });
  }
  if (left.length === 0) return [];
  markRulings(ink, width, height, left, {
    horizontal: Math.round(h * rulingLength.horizontal),
    vertical: Math.round(h * rulingLength.vertical),
  });
  for (const t of left) {
    let n = 0;
    for (let y = t.y0; y < t.y1; y++)
      for (let i = y * width + t.x0; i < y * width + t.x1; i++) if ((ink[i]! & (1 | ruledFlag)) === 1) n++;
    if (n < minInk) loose[t.index] = 0;
  }
  // Runs of loose tiles along each tile row, bridging one empty tile (letters of a word stand less
  // than a tile apart), at least a word or two long; runs in neighbouring rows that overlap make an
  // area. Rows, not connected areas: print at a page's border would join the border's remnants.
  const runs: Region[] = [];
  const minTiles = Math.ceil((h * minWidth) / tile);
  for (let y = 0; y < rows; y++) {
    const row = y * columns;
    let start = -1;
    let last = -1;
    for (let x = 0; x <= columns; x++) {
      const set = x < columns && loose[row + x] === 1;
      if (set && start >= 0 && x - last > 2) {
        if (last - start + 1 >= minTiles) runs.push({ x0: start, y0: y, x1: last + 1, y1: y + 1 });
        start = -1;
      }
      if (set) {
        if (start < 0) start = x;
        last = x;
      }
    }
    if (start >= 0 && last - start + 1 >= minTiles) runs.push({ x0: start, y0: y, x1: last + 1, y1: y + 1 });
  }
  // Rows one above the other touch: grown by half a tile each, they overlap and merge.
  const areas = mergeRegions(runs.map((r) => ({ ...r, y0: r.y0 - 0.5, y1: r.y1 + 0.5 })));
  const regions = areas
    .map((r) => ({
      x0: r.x0 * tile,
      y0: (r.y0 + 0.5) * tile,
      x1: Math.min(width, r.x1 * tile),
      y1: Math.min(height, (r.y1 - 0.5) * tile),
    }))
    .filter((r) => r.y1 - r.y0 >= h * minHeight)
    .map((r) => ({
      x0: Math.max(0, Math.floor(r.x0 - h * 0.5)),
      y0: Math.max(0, Math.floor(r.y0 - h * 0.25)),
      x1: Math.min(width, Math.ceil(r.x1 + h * 0.5)),
      y1: Math.min(height, Math.ceil(r.y1 + h * 0.25)),
    }));
  const merged = mergeRegions(regions);
  // The smallest areas first, as long as they fit the budget: a line or two of print before a photo.
  const area = (r: Region) => (r.x1 - r.x0) * (r.y1 - r.y0);
  const budget = width * height * maxShare;
  let used = 0;
  return merged
    .sort((a, b) => area(a) - area(b))
    .filter((r) => (used += area(r)) <= budget)
    .slice(0, maxAreas)
    .sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

/** The region's crop with the words already read painted over with its paper. */
function cropWithout(image: GreyImage, r: Region, margin: number, words: readonly Box[]): GreyImage {
  const crop = cropRegion(image, r, margin);
  const paper = paperLevel(image, r);
  for (const w of words) {
    const x0 = Math.max(0, Math.floor(w.left * image.width) - r.x0 + margin - 1);
    const x1 = Math.min(crop.width, Math.ceil((w.left + w.width) * image.width) - r.x0 + margin + 1);
    const y0 = Math.max(0, Math.floor(w.top * image.height) - r.y0 + margin - 1);
    const y1 = Math.min(crop.height, Math.ceil((w.top + w.height) * image.height) - r.y0 + margin + 1);
    for (let y = y0; y < y1; y++)
      if (x1 > x0) crop.pixels.fill(paper, y * crop.width + x0, y * crop.width + x1);
  }
  return crop;
}

/** A line's top and its extent across the page (page fractions). */
function extent(line: RecognisedLine): { top: number; left: number; right: number } {
  const boxes = line.words.map((w) => w.box);
  return {
    top: Math.min(...boxes.map((b) => b.top)),
    left: Math.min(...boxes.map((b) => b.left)),
    right: Math.max(...boxes.map((b) => b.left + b.width)),
  };
}

/**
 * Where a new line goes in the page's reading order: after the last line above it that stands across
 * from it (its column), or after the last line above it when none does; first when none is above.
 */
function placeOf(lines: readonly RecognisedLine[], line: RecognisedLine): number {
  const own = extent(line);
  let above = 0;
  let column = -1;
  lines.forEach((l, i) => {
    if (l.words.length === 0) return;
    const e = extent(l);
    if (e.top > own.top) return;
    above = i + 1;
    if (e.left < own.right && own.left < e.right) column = i + 1;
  });
  return column >= 0 ? column : above;
}

const meanConfidence = (words: readonly RecognisedWord[]) =>
  words.reduce((sum, w) => sum + w.confidence, 0) / Math.max(1, words.length);

/**
 * The words' boxes, each one taller than `overgrown` word heights `h` cut to its own band of ink
 * (`inkBand`, less the edges of the rows above and below): Tesseract grows a line's box over the next
 * row's print (reread.ts), which would otherwise count that row's top as read, too little of it being
 * left to look at, and paint it out of the crops.
 */
function ownBands(image: GreyImage, boxes: readonly Box[], h: number): Box[] {
  return boxes.map((box) => {
    if (box.height * image.height <= h * overgrown) return box;
    const r = {
      x0: Math.max(0, Math.floor(box.left * image.width)),
      x1: Math.min(image.width, Math.ceil((box.left + box.width) * image.width)),
      y0: Math.max(0, Math.floor(box.top * image.height)),
      y1: Math.min(image.height, Math.ceil((box.top + box.height) * image.height)),
    };
    const band = inkBand(image, r, h * 0.6);
    return band ? { ...box, top: band.y0 / image.height, height: (band.y1 - band.y0) / image.height } : box;
  });
}

/**
 * The page's lines with what each uncovered area reads added: an area's lines together, in the order
 * read, after the last line above them in their column (`placeOf`). `image` is the page as OCR read
 * it (upright, straightened).
 */
export async function readUncovered(
  pool: Pick<OcrPool, 'recognise'>,
  image: GreyImage,
  lines: readonly RecognisedLine[],
): Promise<RecognisedLine[]> {
  const boxes = lines.flatMap((l) => l.words.map((w) => w.box));
  const h = median(boxes.map((w) => w.height * image.height));
  const words = ownBands(image, boxes, h);
  const regions = uncoveredRegions(image, words);
  if (regions.length === 0) return [...lines];
  const margin = Math.max(8, Math.round(h));
  // A part of the page as it is read: the words already read painted out, the rulings erased.
  const cropOf = (r: Region) => {
    const crop = cropWithout(image, r, margin, words);
    eraseRulings(crop, h);
    return crop;
  };
  const read = async (r: Region, scale = 1, crop = cropOf(r)) =>
    scale === 1
      ? readBlock(pool, image, r, crop, margin)
      : readBlock(pool, image, r, turnAndScale(crop, 0, scale), margin, scale);
  const found = await Promise.all(
    regions.map(async (r) => {
      const seen = cropOf(r);
      const ink = inkLevel(seen);
      const kept = (lines: readonly RecognisedLine[]) =>
        lines.filter(
          (l) =>
            meanConfidence(l.words) >= keepConfidence &&
            spanned(seen, ink, l, { x: margin - r.x0, y: margin - r.y0 }, image) >= minSpanned,
        );
      const block = await read(r, 1, seen);
      if (block.length > 0 && kept(block).length === block.length) return block;
      // A doubtful line: the area is read again row by row, and larger (area-rows.ts); the best kept.
      const rows = textRows(image, r, h);
      const parts = rows.length >= 2 ? rows : [r];
      const readParts = async (scale: number) =>
        (await Promise.all(parts.map((part) => read(part, scale)))).flat();
      // Only print a few words long is enlarged: a band across the page (microprint, a pattern) would
      // cost four times its pixels for fragments.
      const scales = [
        ...(rows.length >= 2 ? [1] : []),
        ...(r.x1 - r.x0 <= h * maxEnlargedWidth ? [enlarged] : []),
      ];
      const tries = [block, ...(await Promise.all(scales.map(readParts)))];
      const worth = (lines: readonly RecognisedLine[]) => weight(kept(lines).flatMap((l) => l.words));
      return kept(tries.reduce((best, t) => (worth(t) > worth(best) ? t : best)));
    }),
  );
  const out = [...lines];
  // A block read on a pattern can come back with a line twice: a word over one already read is left out.
  const taken = [...words];
  const centreIn = (w: Box) => (b: Box) => {
    const [x, y] = [w.left + w.width / 2, w.top + w.height / 2];
    return x >= b.left && x <= b.left + b.width && y >= b.top && y <= b.top + b.height;
  };
  for (const area of found) {
    // The area's first line goes after the last line above it in its column, the rest after it.
    let at = -1;
    for (const read of area) {
      const line = { ...read, words: read.words.filter((w) => !taken.some(centreIn(w.box))) };
      if (line.words.length === 0) continue;
      taken.push(...line.words.map((w) => w.box));
      if (at < 0) at = placeOf(out, line);
      out.splice(at++, 0, line);
    }
  }
  return out;
}
