/**
 * Greyscale page images and their ink: luminance from RGBA, Otsu's ink threshold, 8-connected ink
 * components, and erasing boxes. What selection elements, orientation and tables are found from.
 */
import type { Box } from './blocks';

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An 8-bit greyscale image, row by row. */
export interface GreyImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** Luminance of RGBA pixels. */
export function toGrey(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): GreyImage {
  const pixels = new Uint8Array(width * height);
  const n = Math.min(pixels.length, Math.floor(rgba.length / 4));
  if (littleEndian && rgba.byteOffset % 4 === 0) {
    // A pixel's four bytes read at once: red in the low byte.
    const words = new Uint32Array(rgba.buffer, rgba.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const v = words[i]!;
      pixels[i] = ((v & 0xff) * 77 + ((v >>> 8) & 0xff) * 150 + ((v >>> 16) & 0xff) * 29) >> 8;
    }
  } else {
    for (let i = 0, p = 0; i < n; i++, p += 4) {
      pixels[i] = (rgba[p]! * 77 + rgba[p + 1]! * 150 + rgba[p + 2]! * 29) >> 8;
    }
  }
  // Pixels the data does not reach are white.
  if (n < pixels.length) pixels.fill(255, n);
  return { pixels, width, height };
}
/**
 * A mask's bytes four at a time, for passing four pixels of paper at once: word `i >> 2` holds bytes
 * `i` to `i + 3` when `i` is a multiple of 4. A mask not aligned to 4 bytes gives no words (every
 * read is undefined, so nothing is skipped); a last partial word is left out.
 */
export function byteWords(mask: Uint8Array): Uint32Array {
  return new Uint32Array(mask.buffer, mask.byteOffset, mask.byteOffset % 4 === 0 ? mask.length >> 2 : 0);
}

/** A connected run of ink pixels: its label and bounding box in pixels. */
export interface Component {
  label: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  count: number;
}

/**
 * How many pixels have each of the 256 grey levels: all of them, or (`width` pixels a row) those of
 * every `rowStep`th row.
 */
export function greyHistogram(pixels: Uint8Array, width = pixels.length, rowStep = 1): Float64Array {
  // Four tallies per level, taken in turn: a run of one grey (paper) would make each count wait for
  // the one before it.
  const tallies = new Uint32Array(1024);
  const rows = width > 0 ? Math.floor(pixels.length / width) : 0;
  for (let y = 0; y < rows; y += rowStep) {
    const end = (y + 1) * width;
    let i = y * width;
    for (; i + 4 <= end; i += 4) {
      tallies[pixels[i]! << 2]!++;
      tallies[(pixels[i + 1]! << 2) | 1]!++;
      tallies[(pixels[i + 2]! << 2) | 2]!++;
      tallies[(pixels[i + 3]! << 2) | 3]!++;
    }
    for (; i < end; i++) tallies[pixels[i]! << 2]!++;
  }
  const histogram = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    const t = v << 2;
    histogram[v] = tallies[t]! + tallies[t + 1]! + tallies[t + 2]! + tallies[t + 3]!;
  }
  return histogram;
}

/** Otsu's threshold of the image's histogram: pixels at or below it are ink. */
export function otsuThreshold(pixels: Uint8Array): number {
  return histogramThreshold(greyHistogram(pixels), pixels.length);
}

/** Otsu's threshold of a histogram of `count` pixels (256 levels). */
export function histogramThreshold(histogram: ArrayLike<number>, count: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * (histogram[i] ?? 0);
  let sumBelow = 0;
  let below = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    below += histogram[t] ?? 0;
    if (below === 0) continue;
    const above = count - below;
    if (above === 0) break;
    sumBelow += t * (histogram[t] ?? 0);
    const meanBelow = sumBelow / below;
    const meanAbove = (sum - sumBelow) / above;
    const between = below * above * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/*
 * Union-find over provisional labels, as functions of the module rather than closures made per call:
 * V8 keeps a closure's optimised code only while a closure of it lives, so each page's new closures
 * were compiled again after a full garbage collection.
 */
function findRoot(parent: number[], x: number): number {
  let root = x;
  while (parent[root] !== root) root = parent[root] ?? root;
  while (parent[x] !== root) {
    const next = parent[x] ?? root;
    parent[x] = root;
    x = next;
  }
  return root;
}

function joinRoots(parent: number[], a: number, b: number): void {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
}

/** Labels 8-connected ink components (two passes with union-find). */
export function components(
  ink: Uint8Array,
  width: number,
  height: number,
): { labels: Int32Array; all: Component[] } {
  const labels = new Int32Array(width * height);
  const parent: number[] = [0];
  // Four pixels of paper are passed at once.
  const words = byteWords(ink);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if ((i & 3) === 0 && x + 4 <= width && words[i >> 2] === 0) {
        x += 3;
        continue;
      }
      if (!ink[i]) continue;
      // The first labelled neighbour (left, then the three above) names the pixel; the rest join it.
      const left = x > 0 ? (labels[i - 1] ?? 0) : 0;
      const upLeft = y > 0 && x > 0 ? (labels[i - width - 1] ?? 0) : 0;
      const up = y > 0 ? (labels[i - width] ?? 0) : 0;
      const upRight = y > 0 && x < width - 1 ? (labels[i - width + 1] ?? 0) : 0;
      let label = left || upLeft || up || upRight;
      if (label) {
        if (upLeft && upLeft !== label) joinRoots(parent, label, upLeft);
        if (up && up !== label) joinRoots(parent, label, up);
        if (upRight && upRight !== label) joinRoots(parent, label, upRight);
      }
      if (label === 0) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  }
  // Every provisional label resolved to its root once, then each root's box gathered in typed arrays
  // (components listed in the order their first pixel comes, row by row).
  const n = parent.length;
  for (let l = 1; l < n; l++) parent[l] = findRoot(parent, l);
  const minX = new Int32Array(n);
  const minY = new Int32Array(n);
  const maxX = new Int32Array(n);
  const maxY = new Int32Array(n);
  const count = new Int32Array(n);
  const order: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if ((i & 3) === 0 && x + 4 <= width && words[i >> 2] === 0) {
        x += 3;
        i += 3;
        continue;
      }
      const raw = labels[i]!;
      if (!raw) continue;
      const label = parent[raw]!;
      labels[i] = label;
      if (count[label] === 0) {
        order.push(label);
        minX[label] = maxX[label] = x;
        minY[label] = y;
      } else {
        if (x < minX[label]!) minX[label] = x;
        if (x > maxX[label]!) maxX[label] = x;
      }
      maxY[label] = y;
      count[label]! += 1;
    }
  }
  const all = order.map((label) => ({
    label,
    minX: minX[label]!,
    minY: minY[label]!,
    maxX: maxX[label]!,
    maxY: maxY[label]!,
    count: count[label]!,
  }));
  return { labels, all };
}

/** Paints each box (page fractions, with a pixel of margin) white, in place. */
export function eraseBoxes(image: GreyImage, boxes: readonly Box[]): void {
  const { pixels, width, height } = image;
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.left * width) - 1);
    const y0 = Math.max(0, Math.floor(b.top * height) - 1);
    const x1 = Math.min(width - 1, Math.ceil((b.left + b.width) * width));
    const y1 = Math.min(height - 1, Math.ceil((b.top + b.height) * height));
    for (let y = y0; y <= y1; y++) pixels.fill(255, y * width + x0, y * width + x1 + 1);
  }
}
