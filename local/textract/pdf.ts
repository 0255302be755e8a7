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
