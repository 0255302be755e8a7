/**
 * Resampling a skewed page onto a straight one (deskew.ts). Print a few pixels tall loses to each
 * resampling: bilinear interpolation averages neighbouring pixels, so strokes a pixel wide turn into
 * pale bands twice as wide, which every threshold after it (the print size measured from the ink,
 * Tesseract's own binarisation) fattens into blobs that touch their neighbours and the rules under
 * them. So the page is turned and scaled in one resampling, with Catmull-Rom's cubic (which keeps
 * edges steep where bilinear smears them), and an unsharp mask of about one interpolation's blur then
 * gives strokes back the contrast the copy lost on its way (to this resampling and any before it).
 */
import type { GreyImage } from './grey-image';

/** Catmull-Rom (Keys' cubic, a = -0.5) weights of the four samples around a point `t` (0..1) past the second. */
function cubicWeights(t: number, out: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  out[0] = -0.5 * t3 + t2 - 0.5 * t;
  out[1] = 1.5 * t3 - 2.5 * t2 + 1;
  out[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
  out[3] = 0.5 * t3 - 0.5 * t2;
}

/**
 * The image turned `degrees` anticlockwise about its centre and scaled by `scale`, in one resampling
 * (Catmull-Rom), the turned page keeping the image's proportions, white where it does not reach.
 * Meant for scales from about a half up: shrinking further needs a filter against aliasing first.
 */
export function turnAndScale(image: GreyImage, degrees: number, scale = 1): GreyImage {
  if (degrees === 0) return scaled(image, scale);
  const { pixels, width, height } = image;
  const [outWidth, outHeight] = [Math.round(width * scale), Math.round(height * scale)];
  const out = new Uint8Array(outWidth * outHeight);
  const radians = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  // Input pixels per output pixel (the rounding of the output's size left in).
  const [stepX, stepY] = [width / outWidth, height / outHeight];
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 255 : (pixels[y * width + x] ?? 255);
  for (let v = 0; v < outHeight; v++) {
    // Pixel centres, from the page's centre, in input pixels; then where that lies on the input.
    const dy = (v + 0.5 - outHeight / 2) * stepY;
    for (let u = 0; u < outWidth; u++) {
      const dx = (u + 0.5 - outWidth / 2) * stepX;
      const x = width / 2 + dx * cos - dy * sin - 0.5;
      const y = height / 2 + dx * sin + dy * cos - 0.5;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      cubicWeights(x - x0, wx);
      cubicWeights(y - y0, wy);
      let sum = 0;
      if (x0 >= 1 && y0 >= 1 && x0 + 2 < width && y0 + 2 < height) {
        let row = (y0 - 1) * width + x0 - 1;
        for (let j = 0; j < 4; j++, row += width) {
          const across =
            (pixels[row] ?? 255) * (wx[0] ?? 0) +
            (pixels[row + 1] ?? 255) * (wx[1] ?? 0) +
            (pixels[row + 2] ?? 255) * (wx[2] ?? 0) +
            (pixels[row + 3] ?? 255) * (wx[3] ?? 0);
          sum += across * (wy[j] ?? 0);
        }
      } else {
        for (let j = 0; j < 4; j++) {
          let across = 0;
          for (let i = 0; i < 4; i++) across += at(x0 - 1 + i, y0 - 1 + j) * (wx[i] ?? 0);
          sum += across * (wy[j] ?? 0);
        }
      }
      out[v * outWidth + u] = sum <= 0 ? 0 : sum >= 255 ? 255 : Math.round(sum);
    }
  }
  return { pixels: out, width: outWidth, height: outHeight };
}

/**
 * `turnAndScale` without a turn, the same sums in the same order: where a sample falls depends on its
 * column alone across and on its row alone down, so each input row's sums across are made once per
 * output column and kept while the four output rows that need them are made.
 */
function scaled(image: GreyImage, scale: number): GreyImage {
  const { width, height } = image;
  const [outWidth, outHeight] = [Math.round(width * scale), Math.round(height * scale)];
  const out = new Uint8Array(outWidth * outHeight);
  const [stepX, stepY] = [width / outWidth, height / outHeight];
  const weights = new Float64Array(4);
  // Each output column's first input column and its four weights (as turnAndScale's, at 0 degrees).
  const columns = new Int32Array(outWidth);
  const wx = new Float64Array(outWidth * 4);
  for (let u = 0; u < outWidth; u++) {
    const dx = (u + 0.5 - outWidth / 2) * stepX;
    const x = width / 2 + dx * 1 - 0 - 0.5;
    const x0 = Math.floor(x);
    cubicWeights(x - x0, weights);
    columns[u] = x0 - 1;
    wx.set(weights, u * 4);
  }
  // Sums across for four input rows at a time, by row modulo 4; off the image every sample is white.
  const sums = new Float64Array(outWidth * 4);
  const held = new Int32Array(4).fill(-1 << 30);
  const across = (y: number): number => {
    const slot = y & 3;
    if (held[slot] !== y) {
      held[slot] = y;
      sumAcross(image, y, columns, wx, sums, slot * outWidth, outWidth);
    }
    return slot * outWidth;
  };
  for (let v = 0; v < outHeight; v++) {
    const dy = (v + 0.5 - outHeight / 2) * stepY;
    const y = height / 2 + 0 + dy * 1 - 0.5;
    const y0 = Math.floor(y);
    cubicWeights(y - y0, weights);
    const rows = [across(y0 - 1), across(y0), across(y0 + 1), across(y0 + 2)] as const;
    sumDown(sums, rows, weights, out, v * outWidth, outWidth);
  }
  return { pixels: out, width: outWidth, height: outHeight };
}

/** One input row's samples summed across for every output column (white off the image). */
function sumAcross(
  { pixels, width, height }: GreyImage,
  y: number,
  columns: Int32Array,
  wx: Float64Array,
  sums: Float64Array,
  at: number,
  outWidth: number,
): void {
  const row = y * width;
  const inside = y >= 0 && y < height;
  for (let u = 0; u < outWidth; u++) {
    const c = columns[u]!;
    const w = u * 4;
    let p0 = 255;
    let p1 = 255;
    let p2 = 255;
    let p3 = 255;
    if (inside && c >= 0 && c + 3 < width) {
      p0 = pixels[row + c]!;
      p1 = pixels[row + c + 1]!;
      p2 = pixels[row + c + 2]!;
      p3 = pixels[row + c + 3]!;
    } else if (inside) {
      if (c >= 0 && c < width) p0 = pixels[row + c]!;
      if (c + 1 >= 0 && c + 1 < width) p1 = pixels[row + c + 1]!;
      if (c + 2 >= 0 && c + 2 < width) p2 = pixels[row + c + 2]!;
      if (c + 3 >= 0 && c + 3 < width) p3 = pixels[row + c + 3]!;
    }
    sums[at + u] = p0 * wx[w]! + p1 * wx[w + 1]! + p2 * wx[w + 2]! + p3 * wx[w + 3]!;
  }
}

/** One output row from the four rows of sums across it needs, weighted down. */
function sumDown(
  sums: Float64Array,
  [r0, r1, r2, r3]: readonly [number, number, number, number],
  wy: Float64Array,
  out: Uint8Array,
  line: number,
  outWidth: number,
): void {
  const [w0, w1, w2, w3] = [wy[0]!, wy[1]!, wy[2]!, wy[3]!];
  for (let u = 0; u < outWidth; u++) {
    let sum = 0;
    sum += sums[r0 + u]! * w0;
    sum += sums[r1 + u]! * w1;
    sum += sums[r2 + u]! * w2;
    sum += sums[r3 + u]! * w3;
    out[line + u] = sum <= 0 ? 0 : sum >= 255 ? 255 : Math.round(sum);
  }
}

/**
 * The image sharpened by an unsharp mask: each pixel moved `amount` times its difference from a
 * Gaussian blur of standard deviation `sigma` pixels around it.
 */
export function unsharp(image: GreyImage, sigma: number, amount: number): GreyImage {
  const { pixels, width, height } = image;
  const radius = Math.max(1, Math.ceil(sigma * 2.5));
  const taps = 2 * radius + 1;
  const kernel = Array.from({ length: taps }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma ** 2)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((k) => k / total);
  // Separable blur, each pass a run of whole rows per tap (edges repeated), which V8 keeps fast.
  const line = new Float32Array(width + 2 * radius);
  const across = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    line.fill(pixels[row] ?? 255, 0, radius);
    for (let x = 0; x < width; x++) line[x + radius] = pixels[row + x] ?? 255;
    line.fill(pixels[row + width - 1] ?? 255, width + radius);
    const blurred = across.subarray(row, row + width);
    for (let i = 0; i < taps; i++) {
      const w = weights[i] ?? 0;
      for (let x = 0; x < width; x++) blurred[x] = (blurred[x] ?? 0) + (line[x + i] ?? 0) * w;
    }
  }
  const out = new Uint8Array(pixels.length);
  const blurred = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    blurred.fill(0);
    for (let i = 0; i < taps; i++) {
      const from = Math.min(height - 1, Math.max(0, y + i - radius)) * width;
      const w = weights[i] ?? 0;
      for (let x = 0; x < width; x++) blurred[x] = (blurred[x] ?? 0) + (across[from + x] ?? 0) * w;
    }
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const p = pixels[row + x] ?? 255;
      const sharp = p + amount * (p - (blurred[x] ?? 0));
      out[row + x] = sharp <= 0 ? 0 : sharp >= 255 ? 255 : Math.round(sharp);
    }
  }
  return { pixels: out, width, height };
}
