/**
 * PDF pages through pdfjs-dist (Apache-2.0) drawn on @napi-rs/canvas, in memory: shared by the review
 * desk (page images) and the local Textract (OCR), which imports it from here. pdfjs-dist is ESM-only:
 * compiled to CommonJS the import below becomes `require`, which Node ≥ 22.12 loads natively; jest's
 * module system cannot, so the desk renders in a worker thread (render-worker.ts), a real Node context.
 */
import path from 'node:path';
import { type Canvas, createCanvas } from '@napi-rs/canvas';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

export type PdfJs = typeof PdfJsModule;
let loaded: Promise<PdfJs> | undefined;
/** pdfjs-dist, loaded once, when first needed. */
export const pdfjs = (): Promise<PdfJs> => (loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

/** Why a PDF cannot be opened: password-protected, or not parseable. */
export class PdfOpenError extends Error {
  constructor(readonly reason: 'password' | 'corrupt') {
    super(reason === 'password' ? 'the PDF is password-protected' : 'the PDF could not be parsed');
  }
}

/** Opens a PDF from bytes (copied: pdfjs detaches the buffer it is given). */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const { getDocument } = await pdfjs();
  const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
  try {
    return await getDocument({
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
      cMapUrl: path.join(root, 'cmaps') + path.sep,
      cMapPacked: true,
    }).promise;
  } catch (err) {
    throw new PdfOpenError((err as Error).name === 'PasswordException' ? 'password' : 'corrupt');
  }
}

/** Draws a page on white at `scale` (1 = 72 dpi) onto a new canvas. */
export async function drawPdfPage(page: PDFPageProxy, scale: number): Promise<Canvas> {
  const viewport = page.getViewport({ scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  // @napi-rs/canvas implements the DOM canvas API pdfjs draws with; the types differ only nominally.
  const params = { canvas, canvasContext: context, viewport } as unknown as Parameters<
    PDFPageProxy['render']
  >[0];
  await page.render(params).promise;
  return canvas;
}
