/**
 * Small skew (up to ±10°) of a scanned or photographed page, told from its ink and straightened before
 * OCR: Tesseract's line finding falls apart at a few degrees (a 3° copy of the corpus form read at
 * word F1 0.66 against 0.98 upright). Textract reports the words of a skewed page where they are on the
 * page as stored, so the geometry read on the straightened page is turned back (`unskewBlocks`).
 */
import type { Block, Point } from '@aws-sdk/client-textract';
import { greyHistogram, histogramThreshold } from './grey-image';
import { turnAndScale, unsharp } from './resample';
import type { GreyImage } from './selection';

/** Skew the page is straightened from; less than this is left alone (resampling blurs a little). */
export const minSkewDegrees = 0.3;
const maxSkewDegrees = 10;
/** Ink pixels sampled for the estimate: enough for a 0.1° answer, bounded for a 12 MP photo. */
const maxSamples = 150_000;

/**
 * The page's skew in degrees, clockwise as seen (text lines running down to the right are positive),
 * by projection profile: the angle at which the ink, summed along lines at that slope, piles up into
 * the sharpest rows (text lines, rules). `sideways` measures along columns, for text running down the
 * page. Returns 0 for a page without enough ink to say.
 */
export function estimateSkew(image: GreyImage, sideways = false): number {
  const { pixels, width, height } = image;
  const histogram = greyHistogram(pixels);
  const threshold = histogramThreshold(histogram, pixels.length);
  let inkCount = 0;
  for (let t = 0; t <= threshold; t++) inkCount += histogram[t] ?? 0;
  // A page that is mostly "ink" is a photo or a dark background, not print on paper.
  if (inkCount < 200 || inkCount > pixels.length * 0.5) return 0;
  const stride = Math.max(1, Math.ceil(Math.sqrt(inkCount / maxSamples)));
  // The sampled ink pixels, counted first so they fit typed arrays (each score reads them all); every
  // pixel sampled, they are the ink the histogram counted.
  let samples = stride === 1 ? inkCount : 0;
  for (let y = 0; y < height && stride > 1; y += stride) {
    for (let x = 0; x < width; x += stride) if (pixels[y * width + x]! <= threshold) samples++;
  }
  const along = new Int32Array(samples);
  const across = new Int32Array(samples);
  for (let y = 0, i = 0; y < height; y += stride) {
    for (let x = 0; x < width; x += stride) {
      if (pixels[y * width + x]! > threshold) continue;
      along[i] = sideways ? y : x;
      across[i++] = sideways ? x : y;
    }
  }
  const span = sideways ? width : height;
  const reach = sideways ? height : width;
  // Rows one sampling step tall: a text line's rows stay distinct from the gaps between lines.
  const bins = new Uint32Array(
    Math.ceil((span + reach * Math.tan((maxSkewDegrees * Math.PI) / 180) * 2) / stride) + 2,
  );
  const offset = reach * Math.tan((maxSkewDegrees * Math.PI) / 180);
  const score = (degrees: number): number => {
    bins.fill(0);
    profile(along, across, Math.tan((degrees * Math.PI) / 180), offset, stride, bins);
    let sum = 0;
    for (let b = 0; b < bins.length; b++) sum += bins[b]! * bins[b]!;
    return sum;
  };
  const search = (from: number, to: number, step: number): number => {
    let best = 0;
    let bestScore = -1;
    for (let d = from; d <= to + 1e-9; d += step) {
      const s = score(d);
      if (s > bestScore) [best, bestScore] = [d, s];
    }
    return best;
  };
  const coarse = search(-maxSkewDegrees, maxSkewDegrees, 0.5);
  const fine = search(coarse - 0.5, coarse + 0.5, 0.1);
  // Text running down the page: a clockwise turn of the page makes columns lean the other way.
  const degrees = sideways ? -fine : fine;
  return Math.abs(degrees) < 1e-6 ? 0 : Math.round(degrees * 10) / 10;
}

/**
 * The sampled ink summed along lines at `slope` into `bins` one sampling step tall. Truncating a
 * non-negative index is flooring it; below 0 (past 10° in the fine search) a sample is left out, as a
 * typed array leaves out a write at a negative index. Dividing by a power of two is multiplying by
 * its inverse, exactly; other steps divide.
 */
function profile(
  along: Int32Array,
  across: Int32Array,
  slope: number,
  offset: number,
  stride: number,
  bins: Uint32Array,
): void {
  const samples = along.length;
  if ((stride & (stride - 1)) === 0) {
    const inverse = 1 / stride;
    for (let i = 0; i < samples; i++) {
      const at = (across[i]! - along[i]! * slope + offset) * inverse;
      if (at >= 0) bins[at | 0]!++;
    }
    return;
  }
  for (let i = 0; i < samples; i++) {
    const at = (across[i]! - along[i]! * slope + offset) / stride;
    if (at >= 0) bins[at | 0]!++;
  }
}

/**
 * Blur, in pixels of the image straightened, that an unsharp mask gives back as contrast after the
 * turn: about what two interpolations leave (bilinear at a random offset spreads a point over a
 * standard deviation of 0.4 pixels), ours and the one a turned copy has usually been through already.
 */
const sharpenSigma = 0.6;
const sharpenAmount = 1;

/**
 * The image turned `degrees` anticlockwise about its centre (undoing a clockwise skew of that much)
 * and scaled by `scale` in one resampling, sharpened (see resample.ts), with white where the turned
 * page does not reach. The straight page keeps the image's proportions.
 */
export function straighten(image: GreyImage, degrees: number, scale = 1): GreyImage {
  return unsharp(turnAndScale(image, degrees, scale), sharpenSigma * scale, sharpenAmount);
}

/** The mask alone, for a page straight but blurred (edge-width.ts): as much as a straightened page gets. */
export function sharpen(image: GreyImage): GreyImage {
  return unsharp(image, sharpenSigma, sharpenAmount);
}

/** A point on the straightened page (page fractions) where it lies on the page as stored. */
export function toSkewed(p: Point, degrees: number, aspect: number): Point {
  const [cos, sin] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
  const dx = (p.X ?? 0) - 0.5;
  const dy = ((p.Y ?? 0) - 0.5) * aspect;
  return { X: 0.5 + dx * cos - dy * sin, Y: 0.5 + (dx * sin + dy * cos) / aspect };
}

/**
 * Turns the geometry of a page's blocks from the straightened page back onto the page as stored
 * (`aspect`: its height over width): each Polygon follows its text's slant, and each BoundingBox is the
 * box around the Polygon, as Textract reports a skewed page.
 */
export function unskewBlocks(blocks: Block[], degrees: number, aspect: number): Block[] {
  if (degrees === 0) return blocks;
  for (const block of blocks) {
    const polygon = block.Geometry?.Polygon;
    if (block.BlockType === 'PAGE' || !block.Geometry || !polygon) continue;
    const turned = polygon.map((p) => toSkewed(p, degrees, aspect));
    const xs = turned.map((p) => p.X ?? 0);
    const ys = turned.map((p) => p.Y ?? 0);
    const [left, top] = [Math.min(...xs), Math.min(...ys)];
    block.Geometry = {
      ...block.Geometry,
      BoundingBox: { Width: Math.max(...xs) - left, Height: Math.max(...ys) - top, Left: left, Top: top },
      Polygon: turned,
    };
  }
  return blocks;
}
