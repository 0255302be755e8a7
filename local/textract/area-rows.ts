/**
 * An area of print cropped for a second reading (uncovered.ts), made easier to read. Tesseract finds
 * a block's text lines from its connected ink: where one line's descender touches the next line's
 * letters (a "y" of "Pay to the" on the "order of:" below, print a few pixels tall after a resampling
 * thickened it), the two lines become one blob twice a line's height, which its LSTM reads as a
 * single line of large print ("eran"). And a box's side standing against a word ("|JOHN") is read as
 * a letter of it, or takes the word with it. So the rulings through the crop are painted out, and an
 * area whose reading as a block is doubtful is cut into its text rows at the valleys of its ink
 * profile, each row read on its own, and read again twice as large: Tesseract's confidence in a crop
 * of a word or two a dozen pixels tall swings widely ("37.43" read at 12 as it was, at 80 enlarged).
 * The reading worth most in what it keeps is kept (uncovered.ts), and of it only lines whose words
 * span a good part of their row's ink: fragments read out of a signature or a pattern span little.
 */
import type { Box, RecognisedLine } from './blocks';
import type { GreyImage } from './grey-image';
import { inkContrast, paperLevel, type Region } from './reread';

/**
 * Straight runs of ink longer than this many word heights are rulings: a letter's stroke is at most
 * about a word's height (ascender to descender), a box's side is longer.
 */
const rulingLength = { horizontal: 3, vertical: 1.5 };

/**
 * A row of the area holding less ink than this share of its fullest row lies between text rows (or
 * holds only a descender crossing over): a row of print crosses many strokes in its middle.
 */
const valleyShare = 0.15;

/** Bands of ink rows shorter than this share of a word height are parts of their neighbour's row. */
const minRowHeight = 0.5;

/**
 * Paints the crop's rulings (runs of ink at least `rulingLength` word heights `h` long, across or
 * down) with the paper's shade around them, in place.
 */
export function eraseRulings(crop: GreyImage, h: number): void {
  const { pixels, width, height } = crop;
  const paper = paperLevel(crop, { x0: 0, y0: 0, x1: width, y1: height });
  const ruled = new Uint8Array(pixels.length);
  // Along each row (pixels one apart, rows `width` apart), then down each column.
  const across = Math.max(2, Math.round(h * rulingLength.horizontal));
  const down = Math.max(2, Math.round(h * rulingLength.vertical));
  markRuns(
    pixels,
    paper - inkContrast,
    ruled,
    { lines: height, length: width, step: 1, next: width },
    across,
  );
  markRuns(pixels, paper - inkContrast, ruled, { lines: width, length: height, step: width, next: 1 }, down);
  for (let i = 0; i < pixels.length; i++) if (ruled[i] === 1) pixels[i] = paper;
}

/**
 * Sets `ruled` for the pixels of every run of ink (darker than `ink`) at least `min` long along the
 * image's lines: `lines` of `length` pixels, `step` apart along a line and lines `next` apart.
 */
function markRuns(
  pixels: Uint8Array,
  ink: number,
  ruled: Uint8Array,
  { lines, length, step, next }: { lines: number; length: number; step: number; next: number },
  min: number,
): void {
  for (let line = 0; line < lines; line++) {
    const start = line * next;
    for (let i = 0; i < length;) {
      if (pixels[start + i * step]! >= ink) {
        i++;
        continue;
      }
      let end = i;
      while (end < length && pixels[start + end * step]! < ink) end++;
      if (end - i >= min) for (let j = i; j < end; j++) ruled[start + j * step] = 1;
      i = end;
    }
  }
}

/**
 * The text rows of `area` (pixels of `image`): its rows of ink, cut at the middle of the valleys
 * between them, each from one cut to the next across the whole area. One row, or none, when the area
 * holds a single line of print (or no ink). `h` is the page's typical word height in pixels.
 */
export function textRows(image: GreyImage, area: Region, h: number): Region[] {
  const ink = paperLevel(image, area) - inkContrast;
  const profile: number[] = [];
  for (let y = area.y0; y < area.y1; y++) {
    let n = 0;
    for (let x = area.x0, i = y * image.width + x; x < area.x1; x++, i++) if (image.pixels[i]! < ink) n++;
    profile.push(n);
  }
  const fullest = Math.max(0, ...profile);
  if (fullest === 0) return [];
  // Bands of rows above the valley level, then the short ones joined to the nearer neighbour.
  const bands: { y0: number; y1: number }[] = [];
  profile.forEach((n, i) => {
    if (n <= fullest * valleyShare) return;
    const last = bands[bands.length - 1];
    if (last && last.y1 === i) last.y1 = i + 1;
    else bands.push({ y0: i, y1: i + 1 });
  });
  for (let short = shortest(bands, h); short >= 0; short = shortest(bands, h)) {
    const band = bands[short]!;
    const [above, below] = [bands[short - 1], bands[short + 1]];
    const into = above && (!below || band.y0 - above.y1 <= below.y0 - band.y1) ? short - 1 : short + 1;
    const other = bands[into]!;
    bands.splice(Math.min(short, into), 2, {
      y0: Math.min(band.y0, other.y0),
      y1: Math.max(band.y1, other.y1),
    });
  }
  if (bands.length < 2) return bands.length === 1 ? [{ ...area }] : [];
  const cuts = bands.slice(1).map((b, i) => area.y0 + Math.round((bands[i]!.y1 + b.y0) / 2));
  const edges = [area.y0, ...cuts, area.y1];
  return edges.slice(1).map((y1, i) => ({ x0: area.x0, x1: area.x1, y0: edges[i]!, y1 }));
}

/** The index of the first band shorter than a row of print, -1 when none is (or only one band is left). */
function shortest(bands: readonly { y0: number; y1: number }[], h: number): number {
  if (bands.length < 2) return -1;
  return bands.findIndex((b) => b.y1 - b.y0 < h * minRowHeight);
}

/**
 * A line read in an area is kept when its words span at least this share of the area's ink across
 * their rows: print read right spans most of its row (0.39–1.0 on the corpus and its copies), a
 * fragment read out of a signature or a pattern little of it (0.08–0.22; "Lo" in a cheque's
 * "Authorized Signature").
 */
export const minSpanned = 1 / 3;

/** The grey under which a crop's pixels are ink: its paper's shade less `inkContrast`. */
export function inkLevel(crop: GreyImage): number {
  return paperLevel(crop, { x0: 0, y0: 0, x1: crop.width, y1: crop.height }) - inkContrast;
}

/**
 * The share of the ink columns of `crop` (an area as read: words already on the page painted out,
 * rulings erased; pixels under `ink` are ink, see `inkLevel`) across the rows of `line` that its
 * words' boxes span. `offset` takes page pixels of `image` to the crop's.
 */
export function spanned(
  crop: GreyImage,
  ink: number,
  line: RecognisedLine,
  offset: { x: number; y: number },
  image: { width: number; height: number },
): number {
  const px = (b: Box) => ({
    x0: Math.round(b.left * image.width + offset.x),
    x1: Math.round((b.left + b.width) * image.width + offset.x),
    y0: Math.round(b.top * image.height + offset.y),
    y1: Math.round((b.top + b.height) * image.height + offset.y),
  });
  const boxes = line.words.map((w) => px(w.box));
  const y0 = Math.max(0, Math.min(...boxes.map((b) => b.y0)));
  const y1 = Math.min(crop.height, Math.max(...boxes.map((b) => b.y1)));
  let inked = 0;
  let inside = 0;
  for (let x = 0; x < crop.width; x++) {
    let has = false;
    for (let y = y0; y < y1 && !has; y++) has = crop.pixels[y * crop.width + x]! < ink;
    if (!has) continue;
    inked++;
    if (boxes.some((b) => x >= b.x0 && x < b.x1)) inside++;
  }
  return inked === 0 ? 1 : inside / inked;
}
