/**
 * Decimal points and thousands commas OCR dropped from figures in small print. At 7-pixel print a
 * point is a pale blob of a pixel or two; Tesseract's LSTM, scaling the line to its own height, often
 * reads "16.00" as "1600" and "- 8.43" as "-843", and Textract does not: a figure's value changes a
 * hundredfold. The blob is still on the page, so each figure OCR read without one is looked at again
 * in the pixels it was read from:
 *
 * - its word box is cut into glyphs by the columns without ink between them;
 * - a glyph whose ink all lies at the digits' baseline, low and narrow, between two glyphs of a
 *   digit's full height, is a point (a comma when it reaches below the baseline);
 * - figures print in tabular digits, each one advance wide whether its ink touches its neighbour's
 *   or not, so the ink between points holds a whole number of advances: the digits OCR read are
 *   shared out by width, and the points go between.
 *
 * A point that pale ink joins to a digit (a resampled copy's blur) stands apart at a darker level,
 * looked at only when the usual levels find none. A point joined by ink as dark as the print, ink
 * between points that is no whole number of digits, or a result that is not a well-formed figure
 * leave the word as it was read.
 */
import type { RecognisedLine, RecognisedWord } from './blocks';
import type { GreyImage } from './grey-image';

/** A figure as OCR reads one without points: optional sign or currency, digits, optional point. */
const figure = /^[-+$(]?\d[\d.,]*\d[)%]?$/;

/**
 * Ink is darker than the paper by this share of the word's contrast. Both levels are read: at the
 * lower one a digit's pale hairline (enlarged print's anti-aliasing) does not split it in two; at the
 * higher one a point or a comma's tail that touches a digit there stands apart.
 */
const inkShares = [0.35, 0.45];
/**
 * And a darker level, where a point that touches a digit at the others (print blurred by a resampling:
 * "16.00" read "1600") stands apart. Only a point in a glyph of the level before that is wider than
 * a digit by this share counts there: a serif "3"'s ball also stands apart at it, in a glyph one
 * digit wide.
 */
const touchingShare = 0.55;
const touchingWidth = 1.3;
/** A point stands no taller, and no wider, than this share of the digits' height. */
const pointSize = 0.4;
/** ...and at least this share of it wide: a pixel of ink is a stroke's broken end (a serif 9's ball). */
const minPointWidth = 0.12;
/** ...and its top is at least this share of the digits' height below their top. */
const pointDepth = 0.6;

interface Glyph {
  from: number;
  to: number;
  top: number;
  bottom: number;
}

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

/** The paper's and the ink's grey in a region: its 90th and 2nd percentiles (as `percentile` picks them). */
function shades(image: GreyImage, { x0, x1, y0, y1 }: Region): { paper: number; ink: number } {
  const histogram = new Uint32Array(256);
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++, n++) histogram[image.pixels[y * image.width + x] ?? 255]!++;
  }
  // The grey of the value at `rank` in sorted order.
  const at = (p: number) => {
    const rank = Math.min(n - 1, Math.floor(n * p));
    if (rank < 0) return 0;
    for (let level = 0, seen = 0; level < 256; level++) {
      seen += histogram[level]!;
      if (seen > rank) return level;
    }
    return 0;
  };
  return { paper: at(0.9), ink: at(0.02) };
}

/**
 * The word with the points its pixels show and its text lacks, or with the marks the page's style
 * gives a reading whose marks make no figure; the word itself otherwise.
 */
export function withPoints(image: GreyImage, word: RecognisedWord, style: FigureStyle = {}): RecognisedWord {
  if (!figure.test(word.text)) return word;
  const text = pointedWord(image, word, style) ?? rekinded(word.text, style);
  return text === undefined ? word : { ...word, text };
}

/** The word's text with the points its pixels show, when they show more than it has. */
function pointedWord(
  image: GreyImage,
  { text, box }: RecognisedWord,
  style: FigureStyle,
): string | undefined {
  const pad = Math.max(1, Math.round(box.height * image.height * 0.15));
  const x0 = Math.max(0, Math.floor(box.left * image.width));
  const x1 = Math.min(image.width, Math.ceil((box.left + box.width) * image.width));
  const y0 = Math.max(0, Math.floor(box.top * image.height) - pad);
  const y1 = Math.min(image.height, Math.ceil((box.top + box.height) * image.height) + pad);
  const region = { x0, x1, y0, y1 };
  const { paper, ink } = shades(image, region);
  if (paper - ink < 40) return undefined;
  // Of the levels' readings, the one that finds the most marks (a comma's tail may touch its digit
  // at one level and stand apart at the other).
  let best: string | undefined;
  const marks = (t: string) => t.replace(/[^.,]/g, '').length;
  const level = (share: number) => glyphs(image, region, paper - (paper - ink) * share);
  for (const share of inkShares) {
    const read = pointed(text, level(share), style);
    if (read !== undefined && (best === undefined || marks(read) > marks(best))) best = read;
  }
  if (best !== undefined) return best;
  const before = level(inkShares[inkShares.length - 1] ?? 0);
  return pointed(text, level(touchingShare), style, widened(before));
}

/**
 * Whether a point lies in one of `glyphs` at least `touchingWidth` digits wide, a digit's width being
 * the median of the glyphs nearly as tall as the tallest (a merged pair among them is not the measure).
 */
function widened(glyphs: readonly Glyph[]): (point: Glyph) => boolean {
  const tallest = Math.max(0, ...glyphs.map((g) => g.bottom - g.top + 1));
  const widths = glyphs.filter((g) => g.bottom - g.top + 1 >= tallest * 0.7).map((g) => g.to - g.from + 1);
  const digit = percentile(widths, 0.5);
  return (p) =>
    glyphs.some((g) => g.from <= p.from && g.to >= p.to && g.to - g.from + 1 >= digit * touchingWidth);
}

/** The text with the points its glyphs show, or undefined when they do not account for it. */
function pointed(
  text: string,
  found: Glyph[],
  style: FigureStyle,
  allowed: (point: Glyph) => boolean = () => true,
): string | undefined {
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
    g !== undefined && g.top <= top + height * 0.15 && g.bottom >= base - height * 0.15;
  const point = (g: Glyph) =>
    digit(found[found.indexOf(g) - 1]) &&
    digit(found[found.indexOf(g) + 1]) &&
    g.top >= top + height * pointDepth &&
    g.bottom - g.top + 1 <= height * pointSize &&
    g.to - g.from + 1 <= height * pointSize &&
    g.to - g.from + 1 >= Math.max(2, height * minPointWidth) &&
    g.bottom >= base - height * 0.15 &&
    g.bottom <= base + height * 0.45 &&
    allowed(g);
  const chars = [...text];
  const marks = chars.filter((c) => c === '.' || c === ',').length;
  const points = found.filter(point);
  if (points.length <= marks) return undefined;
  // The characters between marks: tabular digits each take one advance, whether their ink touches or
  // not, so a stretch of ink holds as many as its width (with the gap after it) over the advance the
  // whole figure gives. A sign OCR joined on from before a gap takes no advance here.
  const sign = /^[-+]/.test(text) && !digit(found[0]);
  const glyphsOf = sign ? found.slice(1) : found;
  const charsOf = sign ? chars.slice(1) : chars;
  const stretches: Glyph[][] = [[]];
  for (const g of glyphsOf) {
    if (point(g)) stretches.push([]);
    else stretches[stretches.length - 1]?.push(g);
  }
  if (stretches.some((st) => st.length === 0)) return undefined;
  // A "1" inks a third of its advance: at a stretch's end, a narrow glyph set apart from its
  // neighbour counts as wide as a digit's ink (a digit split by a pale hairline stands close to its
  // other half and is not widened).
  const inkWidth = height * 0.6;
  const glyphWidth = (g: Glyph) => g.to - g.from + 1;
  const apart = (a: Glyph, b: Glyph | undefined) =>
    b === undefined || Math.max(b.from - a.to, a.from - b.to) - 1 >= height * 0.2;
  const widen = (g: Glyph, next: Glyph | undefined) =>
    glyphWidth(g) < inkWidth && apart(g, next) ? inkWidth - glyphWidth(g) : 0;
  const widths = stretches.map((st) => {
    const [first, second] = [st[0], st[1]];
    const [end, beforeEnd] = [st[st.length - 1], st[st.length - 2]];
    if (!first || !end) return 0;
    return end.to - first.from + 1 + widen(first, second) + (st.length > 1 ? widen(end, beforeEnd) : 0);
  });
  const gap = height * 0.2;
  const digits = charsOf.length - marks;
  const advance = widths.reduce((sum, w) => sum + w + gap, 0) / digits;
  const counts = widths.map((w) => Math.max(1, Math.round((w + gap) / advance)));
  // Every character must be a stretch's share, each stretch near a whole number of advances.
  const fits = widths.every((w, i) => Math.abs((w + gap) / advance - (counts[i] ?? 0)) <= 0.3);
  if (!fits || advance < height * 0.5 || advance > height * 1.2) return undefined;
  // A point's ink and the glyph after it within one digit's advance are one digit: the ball of a
  // serif "3" or "5" stands apart from its stroke at the higher ink level. (A "1" inks too little
  // of its advance to tell.)
  const after = (p: Glyph) => found[found.indexOf(p) + 1];
  const joined = (p: Glyph, n: Glyph | undefined) =>
    n !== undefined && n.to - n.from + 1 >= advance * 0.5 && n.to - p.from + 1 < advance;
  if (points.some((p) => joined(p, after(p)))) return undefined;
  if (counts.reduce((a, b) => a + b, 0) !== digits) return undefined;
  let out = sign ? (chars[0] ?? '') : '';
  let next = 0;
  const isMark = (c: string | undefined) => c === '.' || c === ',';
  // Marks put back are written '?', or ';' for one that reaches below the baseline (a comma);
  // settled() says what each is.
  counts.forEach((count, i) => {
    for (let n = count; n > 0; n--) {
      // Marks the text has where the pixels show none stay (OCR may have seen what this does not).
      while (isMark(charsOf[next])) out += charsOf[next++];
      out += charsOf[next++] ?? '';
    }
    const mark = points[i];
    if (!mark) return;
    out += isMark(charsOf[next]) ? charsOf[next++] : mark.bottom > base + height * 0.1 ? ';' : '?';
  });
  return settled(out + charsOf.slice(next).join(''), style);
}

const opposite = (mark: string) => (mark === '.' ? ',' : '.');

/**
 * A figure with marks put back ('?' for a point or comma too small to tell, ';' for a comma), each
 * made the mark it must be, or undefined when the figure it makes is ambiguous or no figure at all:
 * - the last mark before one or two digits is the decimal mark; any before it group thousands, in
 *   threes, with the other mark ("2,111.20", "1.234,56"); a mark of unknown kind takes the part its
 *   place gives it;
 * - a last mark before three digits groups them when it is of the grouping marks' kind (as the
 *   page's style gives it), and has three decimals when it is of the other ("1,234.567"); of a
 *   kind not known ("1.600" or "1,600"?, a thousandfold apart) it leaves the reading as it was;
 * - an integer part of two digits or more starts with no zero (an account number, not an amount),
 *   and one of eight digits or more is grouped (an ID with a speck between its digits).
 */
function settled(read: string, style: FigureStyle): string | undefined {
  const shape = /^([-+$(]?)(\d[\d.,?;]*\d)([)%]?)$/.exec(read);
  if (!shape) return undefined;
  const [, before = '', body = '', after = ''] = shape;
  const groups = body.split(/[.,?;]/);
  const marks = body.replace(/\d/g, '').replace(/;/g, ',');
  const known = (mark: string | undefined) => (mark === '?' ? undefined : mark);
  const tail = groups[groups.length - 1]?.length ?? 0;
  const lastKnown = known(marks[marks.length - 1]);
  const groupingKnown = [...marks.slice(0, -1)].map(known).find((m) => m !== undefined);
  let decimal: string | undefined;
  let grouping: string;
  if (tail <= 2) {
    decimal = lastKnown ?? style.decimal ?? (groupingKnown ? opposite(groupingKnown) : '.');
    grouping = opposite(decimal);
  } else {
    // Before three digits the last mark groups thousands when it is of the grouping marks' kind, and
    // is the decimal mark of three decimals when it is of the other ("1,234.567"). Of a kind not
    // known it could be either, a thousandfold apart, and the reading stays.
    if (tail !== 3 || lastKnown === undefined) return undefined;
    grouping = groupingKnown ?? (style.decimal ? opposite(style.decimal) : lastKnown);
    if (lastKnown !== grouping) decimal = lastKnown;
  }
  const groupMarks = decimal === undefined ? marks : marks.slice(0, -1);
  if ([...groupMarks].some((m) => (known(m) ?? grouping) !== grouping)) return undefined;
  const whole = groups.slice(0, decimal === undefined ? groups.length : -1);
  const [first = ''] = whole;
  if (whole.length > 1 && (first.length > 3 || whole.slice(1).some((g) => g.length !== 3))) return undefined;
  if (first.length > 1 && first.startsWith('0')) return undefined;
  if (whole.length === 1 && first.length > (style.grouped ? 3 : 7)) return undefined;
  return (
    before +
    whole.join(grouping) +
    (decimal === undefined ? '' : decimal + (groups[groups.length - 1] ?? '')) +
    after
  );
}

/** How the page prints its figures, as far as the figures OCR read whole say. */
export interface FigureStyle {
  /** The decimal mark at least two of them end with, and twice as many as end with the other. */
  decimal?: '.' | ',';
  /** Most with four digits or more before it group them in threes. */
  grouped?: boolean;
}

/** A figure read whole with a decimal point ("1,234.56", "16.00") or a decimal comma ("1.234,56"). */
const withDecimals = /^[-+$(]?(\d{1,3}(?:([.,])\d{3})+|\d+)([.,])\d{2}[)%]?$/;

/** A day and month ("03.02", "5.12"), as statements print dates: no decimal figure. */
const dayAndMonth = /^[0-3]?\d[.,][01]\d$/;

/**
 * The page's style of figure: a figure's small point or comma can seldom be told apart, nor a
 * thousands mark OCR dropped from one it never had, but the page's figures read whole tell.
 */
export function figureStyle(lines: readonly RecognisedLine[]): FigureStyle {
  const marks = { '.': 0, ',': 0 };
  let [grouped, ungrouped] = [0, 0];
  for (const { text } of lines.flatMap((line) => line.words)) {
    const [, whole = '', grouping, decimal] = withDecimals.exec(text) ?? [];
    if (decimal !== '.' && decimal !== ',') continue;
    if (grouping === decimal || dayAndMonth.test(text)) continue;
    marks[decimal]++;
    if (grouping) grouped++;
    else if (whole.length >= 4) ungrouped++;
  }
  const says = (mark: '.' | ',') => marks[mark] >= 2 && marks[mark] >= 2 * marks[opposite(mark)];
  const decimal = says('.') ? '.' : says(',') ? ',' : undefined;
  return {
    ...(decimal ? { decimal } : {}),
    ...(grouped + ungrouped > 0 ? { grouped: grouped > ungrouped } : {}),
  };
}

/**
 * A figure OCR read with points and commas that make no figure as they stand, with the marks the
 * page's style gives their places ("$7.778,788.24" -> "$7,778,788.24" where the page's decimal mark
 * is a point): small print's points and commas are easily taken one for the other. So is a lone
 * comma before two last digits on a page of decimal points ("-30,00"), which has no other use there;
 * a lone point on a page of decimal commas may be a time or a date ("12.30", "03.02") and stays, as
 * does a reading with marks of one kind ("10.177.172.48") or making a figure in the other style.
 */
function rekinded(text: string, style: FigureStyle): string | undefined {
  if (!style.decimal || !figure.test(text)) return undefined;
  const comma = /^[^.,]*\d,\d{2}\D?$/.test(text);
  const mixed = /,.*\.|\..*,/.test(text) && settled(text, style) !== text;
  if (!comma && !mixed) return undefined;
  return settled(text.replace(/[.,]/g, '?'), style);
}

/** Every line's figures with the points their pixels show. */
export function restorePoints(image: GreyImage, lines: readonly RecognisedLine[]): RecognisedLine[] {
  const style = figureStyle(lines);
  return lines.map((line) => ({ ...line, words: line.words.map((w) => withPoints(image, w, style)) }));
}
