/**
 * How blurred a page's print is, told from its ink edges: the mean number of pixels a scan line takes
 * to go from paper to ink (or back), counted from the last pixel in the paper's fifth of the contrast
 * to the first in the ink's. Sampling alone leaves a crisp edge 1 to 1.5 pixels wide, wherever it
 * falls between pixels; blur widens it (a Gaussian of σ pixels by about 1.7σ), and so does any
 * interpolation the copy went through (a half-pixel shift, bilinear, about half a pixel). It does not
 * depend on the print's size, only on how sharply each stroke was captured.
 */
import { histogramThreshold, type GreyImage } from './grey-image';

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
  const histogram = new Uint32Array(256);
  let counted = 0;
  for (let y = 0; y < height; y += every) {
    for (let i = y * width, end = i + width; i < end; i++) {
      const p = pixels[i] as number;
      histogram[p] = (histogram[p] as number) + 1;
    }
    counted += width;
  }
  const threshold = histogramThreshold(histogram, counted);
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
  let [total, edges] = [0, 0];
  // Scan lines (a row, or a column): every paper-to-ink and ink-to-paper run. Line `k` is at pixel
  // `i` of its length, of grey `p`; where it last met paper and ink is kept per line.
  const columns = Math.ceil(width / every);
  const lastPaper = new Int32Array(columns).fill(-1);
  const lastInk = new Int32Array(columns).fill(-1);
  const step = (p: number, i: number, k: number): void => {
    if (p >= paperLevel) {
      if (lastInk[k]! > lastPaper[k]! && i - lastInk[k]! <= longestEdge) {
        total += i - lastInk[k]!;
        edges++;
      }
      lastPaper[k] = i;
    } else if (p <= inkLevel) {
      if (lastPaper[k]! > lastInk[k]! && i - lastPaper[k]! <= longestEdge) {
        total += i - lastPaper[k]!;
        edges++;
      }
      lastInk[k] = i;
    }
  };
  for (let y = 0; y < height; y += every) {
    lastPaper[0] = lastInk[0] = -1;
    for (let x = 0, row = y * width; x < width; x++) step(pixels[row + x]!, x, 0);
  }
  // The columns all at once, a row at a time (memory in order); edge widths are whole pixels, so
  // their sum does not depend on the order they come in.
  lastPaper.fill(-1);
  lastInk.fill(-1);
  for (let y = 0; y < height; y++) {
    for (let k = 0, row = y * width; k < columns; k++) step(pixels[row + k * every]!, y, k);
  }
  return edges >= fewestEdges ? total / edges : undefined;
}
