/**
 * Decimal points and thousands commas OCR dropped from figures in small print. At 7-pixel print a
 * point is a pale blob of a pixel or two; Tesseract's LSTM, scaling the line to its own height, often
 * reads "16.00" as "1600" and "- 8.43" as "-843", and Textract does not: a figure's value changes a
 * hundredfold. The blob is still on the page, so each figure OCR read without one is looked at again
 * in the pixels it was read from:
 *
 * - its word box is cut into glyphs by the columns without ink between them;
 * - a glyph whose ink all lies at the digits' baseline, low and narrow, is a point (a comma when it
 *   reaches below the baseline);
 * - the figure's other glyphs must be as many as its characters, so each glyph stands for one
 *   character and the point goes where its glyph stands.
 *
 * Digits that touch, a sign OCR joined on from afar or a blob that is not low and small leave the
 * word as it was read; so does a result that is not a well-formed figure.
 */
import type { RecognisedLine, RecognisedWord } from './blocks';
import type { GreyImage } from './grey-image';

/** A figure as OCR reads one without points: optional sign or currency, digits, optional point. */
const figure = /^[-+$(]?\d[\d.,]*\d[)%]?$/;

/**
 * Ink is darker than the paper by this share of the word's contrast. The first level at which the
 * glyphs account for the text is taken: at the lower one a digit's pale hairline (enlarged print's
 * anti-aliasing) does not split it in two; at the higher one digits that touch there stay apart.
 */
const inkShares = [0.35, 0.45];
/** A point stands no taller, and no wider, than this share of the digits' height. */
const pointSize = 0.4;
/** ...and its top is at least this share of the digits' height below their top. */
const pointDepth = 0.6;

interface Glyph {
  from: number;
  to: number;
  top: number;
  bottom: number;
}

/**
 * Well-formed: digits grouped by commas in threes (or not at all), a point before the last 1-3 digits;
 * or a decimal comma before the last two ("16,00").
 */
const wellFormed = /^[-+$(]?((\d{1,3}(,\d{3})+|\d+)(\.\d{1,3})?|\d+,\d{2})[)%]?$/;

function percentile(values: number[], p: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
}

/** The word's glyphs: runs of columns with ink, their ink's top and bottom rows. */
interface Region {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function glyphs(image: GreyImage, { x0, x1, y0, y1 }: Region, threshold: number): Glyph[] {
  const { pixels, width } = image;
  const out: Glyph[] = [];
  let open: Glyph | undefined;
  for (let x = x0; x < x1; x++) {
    let top = -1;
    let bottom = -1;
    for (let y = y0; y < y1; y++) {
      if ((pixels[y * width + x] ?? 255) >= threshold) continue;
      if (top < 0) top = y;
      bottom = y;
    }
    if (top < 0) {
      open = undefined;
      continue;
    }
    if (!open) out.push((open = { from: x, to: x, top, bottom }));
    open.to = x;
    open.top = Math.min(open.top, top);
    open.bottom = Math.max(open.bottom, bottom);
  }
  return out;
}

/** The paper's and the ink's grey in a region: its 90th and 2nd percentiles. */
function shades(image: GreyImage, { x0, x1, y0, y1 }: Region): { paper: number; ink: number } {
  const values: number[] = [];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) values.push(image.pixels[y * image.width + x] ?? 255);
  }
  return { paper: percentile(values, 0.9), ink: percentile(values, 0.02) };
}

/** The word with the points its pixels show and its text lacks; the word itself otherwise. */
export function withPoints(image: GreyImage, word: RecognisedWord): RecognisedWord {
  const { text, box } = word;
  if (!figure.test(text)) return word;
  const pad = Math.max(1, Math.round(box.height * image.height * 0.15));
  const x0 = Math.max(0, Math.floor(box.left * image.width));
  const x1 = Math.min(image.width, Math.ceil((box.left + box.width) * image.width));
  const y0 = Math.max(0, Math.floor(box.top * image.height) - pad);
  const y1 = Math.min(image.height, Math.ceil((box.top + box.height) * image.height) + pad);
  const region = { x0, x1, y0, y1 };
  const { paper, ink } = shades(image, region);
  if (paper - ink < 40) return word;
  for (const share of inkShares) {
    const text = pointed(word.text, glyphs(image, region, paper - (paper - ink) * share));
    if (text !== undefined) return { ...word, text };
  }
  return word;
}

/** The text with the points its glyphs show, or undefined when they do not account for it. */
function pointed(text: string, found: Glyph[]): string | undefined {
  if (found.length < 3) return undefined;
  // The digits' top and baseline: the middle of the tall glyphs' tops and bottoms.
  const tallest = Math.max(...found.map((g) => g.bottom - g.top + 1));
  const tall = found.filter((g) => g.bottom - g.top + 1 >= tallest * 0.7);
  const top = percentile(
    tall.map((g) => g.top),
    0.5,
  );
  const base = percentile(
    tall.map((g) => g.bottom),
    0.5,
  );
  const height = base - top + 1;
  if (height < 5) return undefined;
  // A digit's whole height: a point stands between two (a pale stroke cut off leaves a fragment).
  const digit = (g: Glyph | undefined) =>
    g !== undefined && g.top <= top + height * 0.25 && g.bottom >= base - height * 0.15;
  const point = (g: Glyph) =>
    digit(found[found.indexOf(g) - 1]) &&
    digit(found[found.indexOf(g) + 1]) &&
    g.top >= top + height * pointDepth &&
    g.bottom - g.top + 1 <= height * pointSize &&
    g.to - g.from + 1 <= height * pointSize &&
    g.bottom >= base - height * 0.15 &&
    g.bottom <= base + height * 0.45;
  const chars = [...text];
  const marks = chars.filter((c) => c === '.' || c === ',').length;
  const points = found.filter(point);
  if (points.length <= marks) return undefined;
  // Digits that touch are one glyph: as many characters as a digit's width (with the gap after it)
  // goes into its width. Every character must be a glyph's share: no more, no fewer.
  const others = found.filter((g) => !point(g));
  const digitWidth = percentile(
    others.map((g) => g.to - g.from + 1).filter((w) => w >= height * 0.45 && w <= height * 0.95),
    0.5,
  );
  if (digitWidth === 0) return undefined;
  const gap = Math.max(1, Math.round(height * 0.2));
  const count = (g: Glyph) => Math.max(1, Math.round((g.to - g.from + 1 + gap) / (digitWidth + gap)));
  if (others.reduce((n, g) => n + count(g), 0) !== chars.length - marks) return undefined;
  let out = '';
  let next = 0;
  const isMark = (c: string | undefined) => c === '.' || c === ',';
  // A figure has one decimal point, its last mark: any before it group thousands. A lone mark is a
  // comma when it reaches below the baseline.
  const last = points[points.length - 1];
  for (const g of found) {
    if (point(g)) {
      const comma = g !== last || g.bottom > base + height * 0.1;
      out += isMark(chars[next]) ? chars[next++] : comma ? ',' : '.';
      continue;
    }
    for (let n = count(g); n > 0; n--) {
      // Marks the text has where the pixels show none stay (OCR may have seen what this does not).
      while (isMark(chars[next])) out += chars[next++];
      out += chars[next++] ?? '';
    }
  }
  out += chars.slice(next).join('');
  // A lone point with three digits after it may be a comma that does not reach down far enough to
  // tell at this size ("1,600" or "1.600"): a thousandfold either way, so the reading stays.
  if (/^[^.,]*\.\d{3}\D*$/.test(out) && marks === 0) return undefined;
  return wellFormed.test(out) ? out : undefined;
}

/** Every line's figures with the points their pixels show. */
export function restorePoints(image: GreyImage, lines: readonly RecognisedLine[]): RecognisedLine[] {
  return lines.map((line) => ({ ...line, words: line.words.map((w) => withPoints(image, w)) }));
}
