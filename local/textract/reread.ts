/**
 * Doubtful print read again on its own. Tesseract's single-column segmentation (PSM 4) follows a text
 * line across the page: where columns stand side by side with their baselines a few pixels apart (a
 * payslip's small-print block beside an address, a table beside notes), one line box takes in both
 * columns' rows and grows to twice the print's height. Tesseract's LSTM scales each line box to a
 * fixed height, so the print inside such a box reads as if half its size: "6" becomes "8", small
 * print becomes other words, at confidences under 85. The same print cropped out alone reads right.
 *
 * So each run of words (a line split where a column gap opens) holding a word read under
 * `doubtfulConfidence` in a box `overgrown` times the page's typical word height is cropped (less the
 * edges of the rows above and below), with the regions it overlaps, onto a page of its paper's
 * shade and read again as one block; the second reading replaces the first where it is worth more.
 * Pages without overgrown doubtful lines cost nothing more; re-reading every doubtful run, overgrown
 * or not, cost ~0.35 CPU s a page for gains only on degraded copies (scripts/textract-fidelity.ts).
 */
import { splitAtGaps, type Box, type RecognisedLine, type RecognisedWord } from './blocks';
import type { GreyImage } from './grey-image';
import type { OcrImage, OcrPool } from './ocr-pool';

/** A run of words with a word under this confidence is doubtful. */
export const doubtfulConfidence = 85;

/**
 * A doubtful run is read again when one of its word boxes is this many times the page's typical
 * word height: the line box grew over neighbouring rows.
 */
export const overgrown = 1.5;

/**
 * Tesseract's mode for a cropped region: one block of text. Its single-column mode (4) was seen to
 * skip the first lines of a small crop outright.
 */
const blockMode = '6';

/** A region of the page in pixels (x1, y1 exclusive). */
export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * An 8-bit greyscale PGM. Tesseract reads it without decompressing and thresholds luminance as it
 * would anyway; a PNG cost ~10% of the OCR time to encode and decode.
 */
export function toPgm(grey: GreyImage): OcrImage {
  const header = Buffer.from(`P5\n${grey.width} ${grey.height}\n255\n`, 'ascii');
  return { data: Buffer.concat([header, grey.pixels]), width: grey.width, height: grey.height };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const centreInside = (box: Box, r: Region, image: { width: number; height: number }) => {
  const x = (box.left + box.width / 2) * image.width;
  const y = (box.top + box.height / 2) * image.height;
  return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
};

/**
 * The regions (pixels) to read again: each doubtful run of words, a little wider than its words,
 * merged with the regions it touches so rows of one column are read together.
 */
export function doubtfulRegions(lines: readonly RecognisedLine[], image: GreyImage, aspect = 1): Region[] {
  const heights = lines.flatMap((l) => l.words.map((w) => w.box.height * image.height));
  const h = median(heights);
  if (h <= 0) return [];
  const regions: Region[] = [];
  for (const run of lines.flatMap((l) => splitAtGaps(l, aspect))) {
    if (!run.words.some((w) => w.confidence < doubtfulConfidence)) continue;
    if (!run.words.some((w) => w.box.height * image.height > h * overgrown)) continue;
    const left = Math.min(...run.words.map((w) => w.box.left));
    const right = Math.max(...run.words.map((w) => w.box.left + w.box.width));
    const top = Math.min(...run.words.map((w) => w.box.top));
    const bottom = Math.max(...run.words.map((w) => w.box.top + w.box.height));
    const x0 = Math.max(0, Math.floor(left * image.width - h * 0.5));
    const x1 = Math.min(image.width, Math.ceil(right * image.width + h * 0.5));
    const box = { x0, x1, y0: Math.floor(top * image.height), y1: Math.ceil(bottom * image.height) };
    const band = inkBand(image, box, h * 0.6);
    if (!band) continue;
    regions.push({
      x0,
      x1,
      y0: Math.max(0, Math.floor(band.y0 - h * 0.25)),
      y1: Math.min(image.height, Math.ceil(band.y1 + h * 0.25)),
    });
  }
  return mergeRegions(regions);
}

/** The regions with those that overlap merged into their bounding region, until none overlap. */
export function mergeRegions(regions: readonly Region[]): Region[] {
  let out: Region[] = regions.map((r) => ({ ...r }));
  for (let merged = true; merged;) {
    merged = false;
    const next: Region[] = [];
    for (const r of out) {
      const other = next.find((o) => o.x0 < r.x1 && r.x0 < o.x1 && o.y0 < r.y1 && r.y0 < o.y1);
      if (!other) {
        next.push(r);
        continue;
      }
      [other.x0, other.y0, other.x1, other.y1] = [
        Math.min(other.x0, r.x0),
        Math.min(other.y0, r.y0),
        Math.max(other.x1, r.x1),
        Math.max(other.y1, r.y1),
      ];
      merged = true;
    }
    out = next;
  }
  return out;
}

/** A pixel this much darker than the paper is ink. */
export const inkContrast = 64;

/**
 * The rows of a region that hold its print: the region less any band of ink at its top or bottom edge
 * shorter than `minHeight` (the edges of the rows above and below, which an overgrown line box takes
 * in); undefined when no ink is left.
 */
export function inkBand(
  image: GreyImage,
  r: Region,
  minHeight: number,
): { y0: number; y1: number } | undefined {
  const ink = paperLevel(image, r) - inkContrast;
  const bands: { y0: number; y1: number }[] = [];
  let start = -1;
  for (let y = r.y0; y <= r.y1; y++) {
    let inked = false;
    if (y < r.y1) {
      const row = y * image.width;
      for (let x = r.x0; x < r.x1 && !inked; x++) inked = (image.pixels[row + x] ?? 255) < ink;
    }
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      bands.push({ y0: start, y1: y });
      start = -1;
    }
  }
  const first = bands[0];
  if (first && first.y0 === r.y0 && first.y1 - first.y0 < minHeight) bands.shift();
  const last = bands[bands.length - 1];
  if (last && last.y1 === r.y1 && last.y1 - last.y0 < minHeight) bands.pop();
  const [top, bottom] = [bands[0], bands[bands.length - 1]];
  return top && bottom ? { y0: top.y0, y1: bottom.y1 } : undefined;
}

/**
 * The paper's shade in a region: the level most of its pixels are at or below, print being a small
 * share of them. A tinted table band is paper of its own shade.
 */
export function paperLevel(image: GreyImage, r: Region): number {
  const histogram = new Uint32Array(256);
  let n = 0;
  for (let y = r.y0; y < r.y1; y++) {
    for (let x = r.x0; x < r.x1; x++) {
      histogram[image.pixels[y * image.width + x] ?? 255]!++;
      n++;
    }
  }
  let seen = 0;
  for (let level = 255; level >= 0; level--) {
    seen += histogram[level] ?? 0;
    if (seen >= n * 0.3) return level;
  }
  return 255;
}

/**
 * The region's pixels on a page of the region's own paper shade, with a margin of `margin` pixels
 * around them. A white margin around a tinted region would make the tint read as ink: Tesseract
 * thresholds each image as a whole.
 */
export function cropRegion(image: GreyImage, r: Region, margin: number): GreyImage {
  const width = r.x1 - r.x0 + 2 * margin;
  const height = r.y1 - r.y0 + 2 * margin;
  const pixels = new Uint8Array(width * height).fill(paperLevel(image, r));
  for (let y = r.y0; y < r.y1; y++) {
    const from = y * image.width;
    pixels.set(image.pixels.subarray(from + r.x0, from + r.x1), (y - r.y0 + margin) * width + margin);
  }
  return { pixels, width, height };
}

/**
 * A reading's worth: its characters weighted by the square of their confidence, so a reading that
 * drops words, or reads them doubtfully, is worth less (as readings of turned pages are compared).
 */
export function weight(words: readonly RecognisedWord[]): number {
  return words.reduce((sum, w) => sum + w.text.length * (w.confidence / 100) ** 2, 0);
}

/**
 * `crop` (the region `r` of `image` with `margin` pixels around it, enlarged `scale` times) read as one
 * block: its lines, with their boxes back on the page (crop fractions to page pixels to page fractions).
 */
export async function readBlock(
  pool: Pick<OcrPool, 'recognise'>,
  image: { width: number; height: number },
  r: Region,
  crop: GreyImage,
  margin: number,
  scale = 1,
): Promise<RecognisedLine[]> {
  const page = await pool.recognise(toPgm(crop), { psm: blockMode });
  const [width, height] = [crop.width / scale, crop.height / scale];
  const toPage = (b: Box): Box => ({
    left: (b.left * width - margin + r.x0) / image.width,
    top: (b.top * height - margin + r.y0) / image.height,
    width: (b.width * width) / image.width,
    height: (b.height * height) / image.height,
  });
  return page.lines
    .map((l) => ({ ...l, words: l.words.map((w) => ({ ...w, box: toPage(w.box) })) }))
    .filter((l) => l.words.length > 0);
}

/**
 * The page's lines with each doubtful region read again on its own, the second reading kept where it
 * is the more confident. `image` is the page as OCR read it (upright, straightened).
 */
export async function rereadDoubtful(
  pool: Pick<OcrPool, 'recognise'>,
  image: GreyImage,
  lines: readonly RecognisedLine[],
  aspect = 1,
): Promise<RecognisedLine[]> {
  const regions = doubtfulRegions(lines, image, aspect);
  if (regions.length === 0) return [...lines];
  const h = median(lines.flatMap((l) => l.words.map((w) => w.box.height * image.height)));
  const margin = Math.max(8, Math.round(h));
  const readings = await Promise.all(
    regions.map((r) => readBlock(pool, image, r, cropRegion(image, r, margin), margin)),
  );
  let out: RecognisedLine[] = [...lines];
  regions.forEach((r, i) => {
    const again = readings[i] ?? [];
    const inside = (w: RecognisedWord) => centreInside(w.box, r, image);
    const before = out.flatMap((l) => l.words.filter(inside));
    if (weight(again.flatMap((l) => l.words)) <= weight(before)) return;
    // The second reading follows what is left of the first line it replaces, keeping the reading order.
    const at = out.findIndex((l) => l.words.some(inside)) + 1;
    const kept = out.map((l) => ({ ...l, words: l.words.filter((w) => !inside(w)) }));
    out = [...kept.slice(0, at), ...again, ...kept.slice(at)].filter((l) => l.words.length > 0);
  });
  return out;
}
