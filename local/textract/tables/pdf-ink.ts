/**
 * Rulings and ink of a PDF page read from its text layer: the text needs no image, but ruled tables
 * and signatures do, so the page is rendered once at a modest resolution when they are asked for.
 */
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { rotateGrey, type QuarterTurns } from '../orientation';
import { renderPage } from '../pdf';
import { toGrey } from '../selection';
import { pageInk, type PageInk } from './page-ink';

/** 10-point print is ~14 px tall at this resolution: as thick as OCR'd pages are scaled to. */
const inkDpi = 100;

export async function textLayerInk(page: PDFPageProxy, turns: QuarterTurns): Promise<PageInk> {
  const { rgba, width, height } = await renderPage(page, inkDpi);
  return pageInk(rotateGrey(toGrey(rgba, width, height), turns));
}
