/**
 * Scanned PDF pages read from their images' pixels as stored, not from a rendering: a page that is
 * nothing but images (a scan as scanners and fax software write it: one image over the page, strips,
 * a photo placed on a page) is drawn at the resolution of its sharpest image, each image placed,
 * turned and stretched as the page shows it. pdf.js renders such a page at a fixed resolution and
 * enlarges an image more than 1.33 times without smoothing, which makes small print blocky.
 */
import { createCanvas, ImageData, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfjs } from '../../lib/pages/pdf';

/** A scanned page drawn from its images' pixels: white where no image is. */
export interface ScannedPage {
  canvas: Canvas;
  width: number;
  height: number;
}

/**
 * A page is drawn from its images when it and each image take at most this many pixels on a side
 * and this many in all. That is a Letter or A4 page scanned at 500 dpi; denser scans gain nothing
 * (OCR reads print scaled down to 13 px) and are rendered at the service's DPI, which bounds memory.
 */
const maxSide = 10_000;
const maxPixels = 25_000_000;
/** Matrix terms this small against the image's scale are zero: the image is not turned. */
const straightSlack = 1e-6;

/** An image painted on the page: its object id, stored size and transform onto the page as shown. */
interface Placed {
  id: string;
  width: number;
  height: number;
  /** [a, b, c, d, e, f] from the unit square (row 0 at y = 1) to the page at 72 dpi, y down. */
  matrix: number[];
}

/**
 * The page drawn from its images, or undefined for a page with anything else on it (text, paths,
 * masks, clips, shadings, forms, annotations, hidden optional content) or too large to hold: it is
 * rendered. An upright image that fills the page comes back pixel for pixel.
 */
export async function scannedPage(page: PDFPageProxy): Promise<ScannedPage | undefined> {
  const placed = await placedImages(page);
  if (!placed || placed.length === 0) return undefined;
  // Pixels per point: the densest image's, along its denser side. Sizes are checked before any
  // image's pixels are copied.
  const density = Math.max(
    ...placed.map(({ width, height, matrix: [a = 0, b = 0, c = 0, d = 0] }) =>
      Math.max(width / Math.hypot(a, b), height / Math.hypot(c, d)),
    ),
  );
  const viewport = page.getViewport({ scale: 1 });
  const width = Math.round(viewport.width * density);
  const height = Math.round(viewport.height * density);
  const fits = (w: number, h: number) =>
    w >= 1 && h >= 1 && w <= maxSide && h <= maxSide && w * h <= maxPixels;
  if (!fits(width, height) || !placed.every((image) => fits(image.width, image.height))) return undefined;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  for (const image of placed) {
    const objs = image.id.startsWith('g_') ? page.commonObjs : page.objs;
    // Resolved once decoded; with null when the image cannot be decoded.
    const stored = await new Promise<unknown>((resolve) => {
      objs.get(image.id, resolve);
    });
    if (!drawable(stored)) return undefined;
    draw(
      context,
      stored,
      image.matrix.map((m) => m * density),
    );
  }
  return { canvas, width, height };
}

/** The images a page paints and where, or undefined when it paints anything else. */
async function placedImages(page: PDFPageProxy): Promise<Placed[] | undefined> {
  const { OPS, Util } = await pdfjs();
  const viewport = page.getViewport({ scale: 1 });
  const { fnArray, argsArray } = await page.getOperatorList();
  const placed: Placed[] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const saved: number[][] = [];
  for (const [i, fn] of fnArray.entries()) {
    const args = argsArray[i] as unknown[];
    if (fn === OPS.save) saved.push(ctm);
    else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = Util.transform(ctm, args) as number[];
    else if (fn === OPS.paintImageXObject) {
      const [id, width, height] = args as [string, number, number];
      placed.push({ id, width, height, matrix: Util.transform(viewport.transform, ctm) as number[] });
    } else if (fn === OPS.beginMarkedContentProps) {
      // Optional content ('OC') may be hidden, as pdf.js would draw it; other tags only label.
      if (args[0] === 'OC') return undefined;
    } else if (fn !== OPS.dependency && fn !== OPS.beginMarkedContent && fn !== OPS.endMarkedContent) {
      return undefined;
    }
  }
  return placed;
}

/**
 * Draws an image through `matrix` (its unit square onto the canvas). Turned by quarter turns or
 * flipped, it is first turned exactly, then drawn into the whole pixels nearest its edges: strips
 * meet without gaps, and an image whose size is the rectangle's is copied pixel for pixel. At any
 * other angle it is drawn through the matrix as it is.
 */
function draw(context: SKRSContext2D, image: StoredImage, matrix: number[]): void {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = matrix;
  const { width: w, height: h } = image;
  const scale = Math.abs(a) + Math.abs(b) + Math.abs(c) + Math.abs(d);
  const zero = (value: number) => Math.abs(value) <= scale * straightSlack;
  // Corners of the unit square on the canvas, and the rectangle of whole pixels they span.
  const xs = [e, a + e, c + e, a + c + e];
  const ys = [f, b + f, d + f, b + d + f];
  const [x0, x1] = [Math.round(Math.min(...xs)), Math.round(Math.max(...xs))];
  const [y0, y1] = [Math.round(Math.min(...ys)), Math.round(Math.max(...ys))];
  if (x1 <= x0 || y1 <= y0) return;
  const upright = zero(b) && zero(c) && a > 0 && d < 0;
  if (upright && x1 - x0 === w && y1 - y0 === h && image.kind !== 3) {
    // Pixel for pixel, opaque: straight onto the page, a band of rows at a time.
    putRows(context, image, x0, y0);
    return;
  }
  const source = createCanvas(w, h);
  putRows(source.getContext('2d'), image, 0, 0);
  if (!(zero(b) && zero(c)) && !(zero(a) && zero(d))) {
    // Pixel (u, v), v down from the first row, is at (u / w, 1 - v / h) on the unit square.
    context.setTransform(a / w, b / w, -c / h, -d / h, c + e, d + f);
    context.drawImage(source, 0, 0);
    context.resetTransform();
    return;
  }
  // Upright: the image's rows run across the page (b = c = 0); otherwise down it (a quarter turn).
  const across = zero(b) && zero(c);
  if (upright) {
    context.drawImage(source, x0, y0, x1 - x0, y1 - y0);
    return;
  }
  const turned = createCanvas(across ? w : h, across ? h : w);
  const t = turned.getContext('2d');
  // Where pixel (u, v) goes on the upright copy, by the signs of the matrix: exact, whole pixels.
  if (across) {
    const [sx, sy] = [Math.sign(a), Math.sign(-d)];
    t.setTransform(sx, 0, 0, sy, sx > 0 ? 0 : w, sy > 0 ? 0 : h);
  } else {
    const [sy, sx] = [Math.sign(b), Math.sign(-c)];
    t.setTransform(0, sy, sx, 0, sx > 0 ? 0 : h, sy > 0 ? 0 : w);
  }
  t.drawImage(source, 0, 0);
  context.drawImage(turned, x0, y0, x1 - x0, y1 - y0);
}

interface StoredImage {
  width: number;
  height: number;
  /** pdf.js's ImageKind: 1 one bit of grey per pixel (1 white), 2 RGB, 3 RGBA. */
  kind: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** Whether pdf.js decoded the image into pixels of a kind known here. */
function drawable(image: unknown): image is StoredImage {
  const { kind, data } = (image ?? {}) as Partial<StoredImage>;
  return data !== undefined && (kind === 1 || kind === 2 || kind === 3);
}

/** Rows of a stored image converted and put at a time: the whole image is never copied at once. */
const bandRows = 64;

/**
 * Puts a decoded image's pixels on `target` at (x, y), replacing what is there. Pixels past the end
 * of short data (a truncated stream) are white, as pdf.js draws them.
 */
function putRows(target: SKRSContext2D, { width, height, kind, data }: StoredImage, x: number, y: number) {
  const source = data ?? new Uint8Array(0);
  const rowBytes = Math.ceil(width / 8);
  for (let top = 0; top < height; top += bandRows) {
    const rows = Math.min(bandRows, height - top);
    const rgba = new Uint8ClampedArray(width * rows * 4).fill(255);
    for (let r = 0; r < rows; r++) {
      for (let col = 0; col < width; col++) {
        const p = (top + r) * width + col;
        const o = (r * width + col) * 4;
        if (kind === 1) {
          const at = (top + r) * rowBytes + (col >> 3);
          if (at < source.length && !((source[at]! >> (7 - (col & 7))) & 1))
            rgba[o] = rgba[o + 1] = rgba[o + 2] = 0;
        } else if (kind === 2) {
          if (p * 3 + 2 >= source.length) continue;
          rgba[o] = source[p * 3]!;
          rgba[o + 1] = source[p * 3 + 1]!;
          rgba[o + 2] = source[p * 3 + 2]!;
        } else if (p * 4 + 3 < source.length) {
          rgba[o] = source[p * 4]!;
          rgba[o + 1] = source[p * 4 + 1]!;
          rgba[o + 2] = source[p * 4 + 2]!;
          rgba[o + 3] = source[p * 4 + 3]!;
        }
      }
    }
    target.putImageData(new ImageData(rgba, width, rows), x, y + top);
  }
}
