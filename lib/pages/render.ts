/**
 * One page of a document as a PNG, in memory: PDF pages drawn by pdfjs, TIFF pages decoded by utif2,
 * both scaled to fit `maxSide`. Nothing is written to disk. Runs inside the renderer's worker thread
 * (renderer.ts); pure enough to call directly where ESM loads natively (scripts, the worker itself).
 */
import { type Canvas, createCanvas, ImageData } from '@napi-rs/canvas';
import { openPdf, PdfOpenError, drawPdfPage } from './pdf';
import { readTiffInfo, TiffDocument, TiffPageError } from './tiff';

/** The content types a page can be rendered from (what the workflow's checksum step sniffed). */
export const renderableTypes = ['application/pdf', 'image/tiff'] as const;
export type RenderableType = (typeof renderableTypes)[number];

export interface RenderRequest {
  bytes: Uint8Array;
  contentType: RenderableType;
  /** 1-based. */
  page: number;
  /** The PNG's longest side at most, in pixels. */
  maxSide: number;
  /** Resolution PDF pages are drawn at before the `maxSide` cap. @default 144 */
  dpi?: number;
}

export interface RenderedPage {
  png: Uint8Array;
  width: number;
  height: number;
  /** Pages in the document. */
  pages: number;
}

/** Why a page cannot be rendered; carries no document content. */
export class PageRenderError extends Error {
  constructor(
    message: string,
    /** `timedOut`: the renderer gave up on the page (and was restarted); asking again may work. */
    readonly reason: 'noSuchPage' | 'unreadable' | 'tooLarge' | 'timedOut',
  ) {
    super(message);
  }
}

/** Decoded TIFF pages larger than this on a side are refused: the decode alone would need GBs. */
const tiffDecodeMaxSide = 10_000;

export async function renderPage(request: RenderRequest): Promise<RenderedPage> {
  const { canvas, pages } =
    request.contentType === 'application/pdf' ? await pdfCanvas(request) : tiffCanvas(request);
  return { png: await canvas.encode('png'), width: canvas.width, height: canvas.height, pages };
}

async function pdfCanvas(request: RenderRequest): Promise<{ canvas: Canvas; pages: number }> {
  let pdf;
  try {
    pdf = await openPdf(request.bytes);
  } catch (err) {
    if (err instanceof PdfOpenError) throw new PageRenderError(err.message, 'unreadable');
    throw err;
  }
  try {
    const pages = pdf.numPages;
    if (request.page < 1 || request.page > pages) {
      throw new PageRenderError(
        `page ${request.page} does not exist: the document has ${pages}`,
        'noSuchPage',
      );
    }
    const page = await pdf.getPage(request.page);
    const { width, height } = page.getViewport({ scale: 1 });
    const scale = Math.min((request.dpi ?? 144) / 72, request.maxSide / Math.max(width, height, 1));
    return { canvas: await drawPdfPage(page, scale), pages };
  } finally {
    await pdf.destroy();
  }
}

function tiffCanvas(request: RenderRequest): { canvas: Canvas; pages: number } {
  const info = readTiffInfo(request.bytes);
  if (!info) throw new PageRenderError('the TIFF could not be read', 'unreadable');
  if (request.page < 1 || request.page > info.pages) {
    throw new PageRenderError(
      `page ${request.page} does not exist: the document has ${info.pages}`,
      'noSuchPage',
    );
  }
  let decoded;
  try {
    decoded = new TiffDocument(request.bytes, tiffDecodeMaxSide).page(request.page - 1);
  } catch (err) {
    if (!(err instanceof TiffPageError)) throw err;
    throw new PageRenderError(err.message, err.reason === 'tooLarge' ? 'tooLarge' : 'unreadable');
  }
  const { rgba, width, height, yStretch } = decoded;
  const full = createCanvas(width, height);
  const pixels = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, width * height * 4);
  full.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
  // Square pixels (fax modes are stretched), then fit within maxSide.
  const scale = Math.min(1, request.maxSide / Math.max(width, height * yStretch));
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * yStretch * scale));
  if (outWidth === width && outHeight === height) return { canvas: full, pages: info.pages };
  const canvas = createCanvas(outWidth, outHeight);
  canvas.getContext('2d').drawImage(full, 0, 0, outWidth, outHeight);
  return { canvas, pages: info.pages };
}
