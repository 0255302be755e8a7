/**
 * PDF access through pdfjs-dist (Apache-2.0) with @napi-rs/canvas: page count, the page's own text
 * layer as positioned words, and rendering for OCR. Opening and drawing are the product's
 * (lib/pages/pdf.ts, which the review desk renders page images with); the text layer is the service's.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
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

/** A scanned page's one image as stored, and how it is shown. */
export interface PageImage {
  /** The image's pixels, RGBA (transparent where the image is). */
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  /** Shown height over stored height, relative to width: 2 for a fax's half-height rows. */
  yStretch: number;
}

/** A scan's own pixels are read when it has at most this many on each side, as an image may. */
const maxImageSide = 10_000;
/** How far (a fraction of the page's side) the image's edges may miss the page's edges. */
const coverSlack = 0.01;

/**
 * The image a page consists of, when the page is nothing but one image over the whole page, upright
 * and unflipped: a scan as scanners write it. OCR then reads the pixels as scanned rather than a
 * rendering at some resolution (pdf.js enlarges an image over 1.33 times with no smoothing, which
 * makes small print blocky). Undefined for any other page: it is rendered.
 */
export async function pageImage(page: PDFPageProxy): Promise<PageImage | undefined> {
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
  if (fnArray.filter((fn) => fn === OPS.paintImageXObject).length !== 1) return undefined;
  // The image's placement: the current transform where it is painted, through save/restore.
  let ctm = [1, 0, 0, 1, 0, 0];
  const saved: number[][] = [];
  let id: string | undefined;
  for (const [i, fn] of fnArray.entries()) {
    const args = argsArray[i] as unknown[];
    if (fn === OPS.save) saved.push(ctm);
    else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = Util.transform(ctm, args) as number[];
    else if (fn === OPS.paintImageXObject) {
      id = args[0] as string;
      break;
    }
  }
  const viewport = page.getViewport({ scale: 1 });
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = Util.transform(viewport.transform, ctm) as number[];
  // Device space runs down the page, image space up it: an upright image has a > 0 and d < 0.
  const { width: pageWidth, height: pageHeight } = viewport;
  const near = (value: number, target: number, side: number) => Math.abs(value - target) <= side * coverSlack;
  if (id === undefined || b !== 0 || c !== 0 || a <= 0 || d >= 0) return undefined;
  const covers =
    near(e, 0, pageWidth) &&
    near(e + a, pageWidth, pageWidth) &&
    near(f + d, 0, pageHeight) &&
    near(f, pageHeight, pageHeight);
  if (!covers) return undefined;
  const objs = id.startsWith('g_') ? page.commonObjs : page.objs;
  // Resolved once decoded; with null when the image cannot be decoded.
  const image = await new Promise<unknown>((resolve) => {
    objs.get(id, resolve);
  });
  return image ? pixelsOf(image as StoredImage, -d / a) : undefined;
}

interface StoredImage {
  width: number;
  height: number;
  /** pdf.js's ImageKind: 1 one bit of grey per pixel (1 white), 2 RGB, 3 RGBA. */
  kind: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** The stored image as RGBA, and its stretch when shown `aspect` (height over width) high. */
function pixelsOf({ width, height, kind, data }: StoredImage, aspect: number): PageImage | undefined {
  if (!data || width < 1 || height < 1 || width > maxImageSide || height > maxImageSide) return undefined;
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
      } else if (kind === 3) {
        rgba[o] = data[o]!;
        rgba[o + 1] = data[o + 1]!;
        rgba[o + 2] = data[o + 2]!;
        rgba[o + 3] = data[o + 3]!;
      } else return undefined;
    }
  }
  // Square pixels shown a point of rounding off their proportions are read unstretched, not resampled.
  const yStretch = (aspect * width) / height;
  return { rgba, width, height, yStretch: Math.abs(yStretch - 1) <= coverSlack ? 1 : yStretch };
}
