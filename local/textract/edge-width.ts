/**
 * How blurred a page's print is, told from its ink edges: the mean number of pixels a scan line takes
 * to go from paper to ink (or back), counted from the last pixel in the paper's fifth of the contrast
 * to the first in the ink's. Sampling alone leaves a crisp edge 1 to 1.5 pixels wide, wherever it
 * falls between pixels; blur widens it (a Gaussian of σ pixels by about 1.7σ), and so does any
 * interpolation the copy went through (a half-pixel shift, bilinear, about half a pixel). It does not
 * depend on the print's size, only on how sharply each stroke was captured.
 */
import { byteWords, greyHistogram, histogramThreshold, type GreyImage } from './grey-image';

/**
 * Edges at least this wide are blurred beyond what sampling leaves, and an unsharp mask before OCR
 * reads them better: a 1-pixel blur of the corpus form took word F1 from 0.71 to 0.87 with it. Crisp
 * pages are left alone, where the same mask costs a little (payslip 0.916 → 0.890).
 */
export const blurredEdgeWidth = 2;
/** Longer runs from paper to ink are shading or a photo's gradient, not a stroke's edge. */
const longestEdge = 8;
/** Fewer edges than this say nothing (a blank page, a few marks). */
const fewestEdges = 200;
/** Pixels scanned each way at most: every row and column of a scanned page, every few of a photo. */
const scannedPixels = 2_000_000;

/** The page's mean edge width in pixels, or undefined when it has too few ink edges to say. */
export function edgeWidth(image: GreyImage): number | undefined {
  const { pixels, width, height } = image;
  const every = Math.max(1, Math.ceil(pixels.length / scannedPixels));
  // Levels from the rows scanned: enough for a histogram, and a photo's 12 MP are not walked twice.
  const histogram = greyHistogram(pixels, width, every);
  const threshold = histogramThreshold(histogram, Math.ceil(height / every) * width);
  let [inkSum, inkCount, paperSum, paperCount] = [0, 0, 0, 0];
  for (let v = 0; v < 256; v++) {
    const n = histogram[v] ?? 0;
    if (v <= threshold) [inkSum, inkCount] = [inkSum + v * n, inkCount + n];
    else [paperSum, paperCount] = [paperSum + v * n, paperCount + n];
  }
  if (inkCount === 0 || paperCount === 0) return undefined;
  const [ink, paper] = [inkSum / inkCount, paperSum / paperCount];
  const inkLevel = ink + 0.2 * (paper - ink);
  const paperLevel = ink + 0.8 * (paper - ink);
  // Each pixel scanned is paper, ink or between (levels in a table), in a map of its own; a scan line
  // then only acts where the class changes, and four pixels of one class pass at once. Rows come
  // from the rows scanned, columns from every row at the columns scanned (both the whole page but on
  // a photo), each map's rows padded to whole words.
  const kind = new Uint8Array(256);
  for (let v = 0; v < 256; v++)
    kind[v] = v >= paperLevel ? paperClass : v <= inkLevel ? inkClass : betweenClass;
  const rows = classMap(image, every, 1, kind);
  const sum = { total: 0, edges: 0 };
  alongRows(rows, sum);
  downColumns(every === 1 ? rows : classMap(image, 1, every, kind), sum);
  const { total, edges } = sum;
  return edges >= fewestEdges ? total / edges : undefined;
}

const [paperClass, inkClass, betweenClass] = [0, 1, 2];

/** Pixels as classes, `stride` bytes a row (a multiple of 4, the padding paper). */
interface ClassMap {
  classes: Uint8Array;
  width: number;
  height: number;
  stride: number;
}

/** The classes of every `rowStep`th row's every `columnStep`th pixel. */
function classMap(
  { pixels, width, height }: GreyImage,
  rowStep: number,
  columnStep: number,
  kind: Uint8Array,
): ClassMap {
  const [w, h] = [Math.ceil(width / columnStep), Math.ceil(height / rowStep)];
  const stride = (w + 3) & ~3;
  const classes = new Uint8Array(stride * h);
  for (let y = 0, r = 0; y < height; y += rowStep, r += stride) {
    for (let x = 0, i = y * width, k = r; x < w; x++, i += columnStep, k++) classes[k] = kind[pixels[i]!]!;
  }
  return { classes, width: w, height: h, stride };
}

/**
 * An edge where a line meets ink after paper, or paper after ink, within `longestEdge` pixels: its
 * width is the distance from the last pixel of the one to the first of the other.
 */
function edge(from: number, at: number, sum: { total: number; edges: number }): void {
  if (from >= 0 && at - from <= longestEdge) {
    sum.total += at - from;
    sum.edges++;
  }
}

/**
 * Every row's edges. Along a row only a change of class matters: a run of paper or ink ends one
 * pixel before the change, and a pixel of paper or ink after the other (between pixels or not)
 * closes an edge.
 */
function alongRows(
  { classes, width, height, stride }: ClassMap,
  sum: { total: number; edges: number },
): void {
  const words = byteWords(classes);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    let [lastPaper, lastInk, previous] = [-1, -1, -1];
    for (let x = 0; x < width; x++) {
      // Four pixels of the class before them change nothing (the padding is paper, past the row's end).
      if ((x & 3) === 0 && words[(row + x) >> 2] === previous * 0x01010101) {
        x += 3;
        continue;
      }
      const c = classes[row + x]!;
      if (c === previous) continue;
      if (previous === paperClass) lastPaper = x - 1;
      else if (previous === inkClass) lastInk = x - 1;
      if (c === paperClass && lastInk > lastPaper) edge(lastInk, x, sum);
      else if (c === inkClass && lastPaper > lastInk) edge(lastPaper, x, sum);
      previous = c;
    }
  }
}

/**
 * Every column's edges, a row at a time (memory in order): a column's class in the row above is its
 * previous pixel, so four columns unchanged from the row above pass at once.
 */
function downColumns(
  { classes, width, height, stride }: ClassMap,
  sum: { total: number; edges: number },
): void {
  const words = byteWords(classes);
  const lastPaper = new Int32Array(width).fill(-1);
  const lastInk = new Int32Array(width).fill(-1);
  for (let y = 0; y < height; y++) {
    const [row, above] = [y * stride, (y - 1) * stride];
    for (let x = 0; x < width; x++) {
      if (y > 0 && (x & 3) === 0 && words[(row + x) >> 2] === words[(above + x) >> 2]) {
        x += 3;
        continue;
      }
      const c = classes[row + x]!;
      const previous = y > 0 ? classes[above + x]! : -1;
      if (c === previous) continue;
      if (previous === paperClass) lastPaper[x] = y - 1;
      else if (previous === inkClass) lastInk[x] = y - 1;
      if (c === paperClass && lastInk[x]! > lastPaper[x]!) edge(lastInk[x]!, y, sum);
      else if (c === inkClass && lastPaper[x]! > lastInk[x]!) edge(lastPaper[x]!, y, sum);
    }
  }
}
