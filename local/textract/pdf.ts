/**
 * PDF access through pdfjs-dist (Apache-2.0) with @napi-rs/canvas: page count, the page's own text
 * layer as positioned words, and rendering for OCR. Opening and drawing are the product's
 * (lib/pages/pdf.ts, which the review desk renders page images with); the text layer is the service's.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createCanvas, ImageData, type Canvas } from '@napi-rs/canvas';
import { drawPdfPage, openPdf as openProductPdf, PdfOpenError, pdfjs } from '../../lib/pages/pdf';
import type { RecognisedWord } from './blocks';
import { TextractError, TextractErrorName } from './errors';
import type { QuarterTurns } from './orientation';

/** Opens a PDF, mapping corrupt and password-protected files to BadDocumentException. */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  try {
    return await openProductPdf(bytes);
  } catch (err) {
    if (!(err instanceof PdfOpenError)) throw err;
    throw new TextractError(TextractErrorName.BadDocument, `Unable to process the document: ${err.message}`);
  }
}

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
}

interface Token extends RecognisedWord {
  glueLeft: boolean;
  glueRight: boolean;
}

/** A page's text layer: its words on the upright page, and the quarter turns that made it upright. */
export interface TextLayer {
  words: RecognisedWord[];
  turns: QuarterTurns;
  /** Height over width of the upright page. */
  aspect: number;
}

/**
 * The words of a page's text layer with boxes as page fractions. Items that split one word (kerned
 * runs such as "Inv" + "oice") are glued back together, since Textract sees the rendered word. A page
 * whose text mostly runs down or up the page as shown (a landscape page stored with /Rotate, say) is
 * read turned upright, and `turns` says how to turn the geometry back.
 */
export async function textLayer(page: PDFPageProxy): Promise<TextLayer> {
  const { Util } = await pdfjs();
  const shown = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items = content.items.filter((raw) => 'str' in raw && raw.str.trim() !== '') as TextItemLike[];
  // Text direction as shown, per quarter turn, weighted by characters.
  const chars: [number, number, number, number] = [0, 0, 0, 0];
  for (const item of items) {
    const tx = Util.transform(shown.transform, item.transform) as number[];
    const quarter = Math.round(Math.atan2(tx[1] ?? 0, tx[0] ?? 1) / (Math.PI / 2));
    chars[((quarter + 4) % 4) as QuarterTurns] += item.str.length;
  }
  const runs = chars.indexOf(Math.max(...chars));
  const turns = ((4 - runs) % 4) as QuarterTurns;
  const viewport =
    turns === 0 ? shown : page.getViewport({ scale: 1, rotation: (shown.rotation + turns * 90) % 360 });
  const tokens: Token[] = [];
  for (const item of items) {
    const tx = Util.transform(viewport.transform, item.transform) as number[];
    const fontHeight = Math.hypot(tx[2] ?? 0, tx[3] ?? 0);
    const x = tx[4] ?? 0;
    const baseline = tx[5] ?? 0;
    const width = item.width * viewport.scale;
    const len = item.str.length;
    for (const m of item.str.matchAll(/\S+/g)) {
      const start = m.index;
      const end = start + m[0].length;
      tokens.push({
        text: m[0],
        confidence: 99.5,
        box: {
          left: (x + (width * start) / len) / viewport.width,
          top: (baseline - fontHeight * 0.8) / viewport.height,
          width: (width * (end - start)) / len / viewport.width,
          height: fontHeight / viewport.height,
        },
        glueLeft: start === 0,
        glueRight: end === len,
      });
    }
  }
  const words: RecognisedWord[] = [];
  let prev: Token | undefined;
  for (const token of tokens) {
    if (prev && prev.glueRight && token.glueLeft && touches(prev, token)) {
      const right = token.box.left + token.box.width;
      prev.text += token.text;
      prev.box.width = right - prev.box.left;
      prev.glueRight = token.glueRight;
      continue;
    }
    words.push(token);
    prev = token;
  }
  return {
    words: words.map(({ text, confidence, box }) => ({ text, confidence, box })),
    turns,
    aspect: viewport.height / viewport.width,
  };
}

function touches(a: Token, b: Token): boolean {
  const gap = b.box.left - (a.box.left + a.box.width);
  return (
    Math.abs(a.box.top - b.box.top) < a.box.height * 0.3 &&
    gap > -a.box.height * 0.3 &&
    gap < a.box.height * 0.12
  );
}

/** A page rendered on white at `dpi`, as RGBA pixels for the OCR engine. */
export async function renderPage(
  page: PDFPageProxy,
  dpi: number,
): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const canvas = await drawPdfPage(page, dpi / 72);
  const { width, height } = canvas;
  return { rgba: canvas.getContext('2d').getImageData(0, 0, width, height).data, width, height };
}

/** A scanned page drawn from its images' pixels as stored: white where no image is. */
export interface ScannedPage {
  canvas: Canvas;
  width: number;
  height: number;
}

/**
 * A page is drawn from its images when it and each image take at most this many pixels on each side
 * and this many in all (a Letter page scanned at 600 dpi has 34 million); larger ones are rendered
 * at the service's DPI, which bounds memory.
 */
const maxScanSide = 10_000;
const maxScanPixels = 40_000_000;
/** A scale within this of 1 is taken as 1 (a page's size rounded to whole points), not resampled. */
const unitSlack = 0.01;

/**
 * A page that is nothing but images (a scan, as scanners and fax software write it: one image over
 * the page, strips, or a photo placed on a page), drawn at the resolution of its sharpest image with
 * each image placed, turned and stretched as the page shows it; an upright image that fills the page
 * comes back pixel for pixel. OCR then reads the pixels as scanned rather than a rendering at some
 * resolution (pdf.js enlarges an image over 1.33 times with no smoothing, which makes small print
 * blocky). Undefined for a page with anything else on it (text, paths, masks, annotations): it is
 * rendered.
 */
export async function scannedPage(page: PDFPageProxy): Promise<ScannedPage | undefined> {
  const { OPS, Util } = await pdfjs();
  const allowed = new Set<number>([
    OPS.save,
    OPS.restore,
    OPS.transform,
    OPS.dependency,
    OPS.paintImageXObject,
    OPS.beginMarkedContent,
    OPS.beginMarkedContentProps,
    OPS.endMarkedContent,
  ]);
  const { fnArray, argsArray } = await page.getOperatorList();
  if (fnArray.some((fn) => !allowed.has(fn))) return undefined;
  const viewport = page.getViewport({ scale: 1 });
  // Each image with the transform that shows it: through save/restore, then onto the page as shown.
  const placed: { id: string; matrix: number[] }[] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const saved: number[][] = [];
  for (const [i, fn] of fnArray.entries()) {
    const args = argsArray[i] as unknown[];
    if (fn === OPS.save) saved.push(ctm);
    else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = Util.transform(ctm, args) as number[];
    else if (fn === OPS.paintImageXObject) {
      placed.push({ id: args[0] as string, matrix: Util.transform(viewport.transform, ctm) as number[] });
    }
  }
  if (placed.length === 0) return undefined;
  const images: { image: PageImage; matrix: number[] }[] = [];
  for (const { id, matrix } of placed) {
    const objs = id.startsWith('g_') ? page.commonObjs : page.objs;
    // Resolved once decoded; with null when the image cannot be decoded.
    const stored = await new Promise<unknown>((resolve) => {
      objs.get(id, resolve);
    });
    const image = stored ? pixelsOf(stored as StoredImage) : undefined;
    if (!image) return undefined;
    images.push({ image, matrix });
  }
  // Pixels per point: the densest image's, along its denser side.
  const density = Math.max(
    ...images.map(({ image, matrix: [a = 0, b = 0, c = 0, d = 0] }) =>
      Math.max(image.width / Math.hypot(a, b), image.height / Math.hypot(c, d)),
    ),
  );
  const width = Math.round(viewport.width * density);
  const height = Math.round(viewport.height * density);
  const fits = width >= 1 && height >= 1 && width <= maxScanSide && height <= maxScanSide;
  if (!fits || width * height > maxScanPixels) return undefined;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  for (const { image, matrix } of images) {
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = matrix;
    const source = createCanvas(image.width, image.height);
    source.getContext('2d').putImageData(new ImageData(image.rgba, image.width, image.height), 0, 0);
    // Image pixel (u, v), v down from its first row, is at (u / w, 1 - v / h) on the unit square.
    const unit = (value: number) => (Math.abs(Math.abs(value) - 1) <= unitSlack ? Math.sign(value) : value);
    const [x, y] = [density / image.width, density / image.height];
    context.setTransform(
      unit(a * x),
      unit(b * x),
      unit(-c * y),
      unit(-d * y),
      Math.round((c + e) * density),
      Math.round((d + f) * density),
    );
    context.drawImage(source, 0, 0);
  }
  return { canvas, width, height };
}

/** A stored image's pixels. */
interface PageImage {
  /** RGBA, transparent where the image is. */
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

interface StoredImage {
  width: number;
  height: number;
  /** pdf.js's ImageKind: 1 one bit of grey per pixel (1 white), 2 RGB, 3 RGBA. */
  kind: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** The stored image as RGBA; undefined when it is too large or of a kind not known here. */
function pixelsOf({ width, height, kind, data }: StoredImage): PageImage | undefined {
  const fits = width >= 1 && height >= 1 && width <= maxScanSide && height <= maxScanSide;
  if (!data || !fits || width * height > maxScanPixels) return undefined;
  if (kind !== 1 && kind !== 2 && kind !== 3) return undefined;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const rowBytes = Math.ceil(width / 8);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const o = p * 4;
      if (kind === 1) {
        const grey = (data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
        rgba[o] = rgba[o + 1] = rgba[o + 2] = grey;
        rgba[o + 3] = 255;
      } else if (kind === 2) {
        rgba[o] = data[p * 3]!;
        rgba[o + 1] = data[p * 3 + 1]!;
        rgba[o + 2] = data[p * 3 + 2]!;
        rgba[o + 3] = 255;
      } else {
        rgba[o] = data[o]!;
        rgba[o + 1] = data[o + 1]!;
        rgba[o + 2] = data[o + 2]!;
        rgba[o + 3] = data[o + 3]!;
      }
    }
  }
  return { rgba, width, height };
}
