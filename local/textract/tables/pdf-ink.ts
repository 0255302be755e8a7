/**
 * What a PDF page read from its text layer needs from its image: the text needs none, but ruled
 * tables, signatures and checkboxes do, so the page is rendered once at a modest resolution when they
 * are asked for. Checkboxes are found as on a scanned page, and erased before the table ink is read
 * (a box is no table cell), as a scanned page's are before OCR.
 */
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Box } from '../blocks';
import { rotateGrey, uprightBox, type QuarterTurns } from '../orientation';
import { renderPage } from '../pdf';
import { eraseBoxes, findSelections, type GreyImage, type RecognisedSelection, toGrey } from '../selection';
import { pageInk, type PageInk } from './page-ink';

/** 10-point print is ~14 px tall at this resolution: as thick as OCR'd pages are scaled to. */
const inkDpi = 100;

/**
 * Whatever the page draws, as black on white: a rendered page has no scanner noise, so any pixel
 * clearly off white is ink, whatever its colour. Otsu's threshold, set between black print and paper,
 * would drop boxes ruled in a colour or a grey lighter than the text (green rules at luminance 143
 * under a threshold of 136-146, their antialiased edges lighter still).
 */
function drawn(grey: GreyImage): GreyImage {
  return { ...grey, pixels: grey.pixels.map((p) => (p < offWhite ? 0 : 255)) };
}
/** Lighter than this is paper (or the faint edge of an antialiased stroke). */
const offWhite = 224;

/** Share of a box's area a word may cover: a thickened letter can look ruled; a checkbox holds no word. */
const maxWordCover = 0.3;

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The page's ink and its checkboxes, both on the upright page (`turns` brought its text upright).
 * `words` are the text layer's words on the upright page: no box is where they are.
 */
export async function textLayerInk(
  page: PDFPageProxy,
  turns: QuarterTurns,
  words: readonly { box: Box }[],
): Promise<{ ink: PageInk; selections: RecognisedSelection[] }> {
  const { rgba, width, height } = await renderPage(page, inkDpi);
  const grey = toGrey(rgba, width, height);
  const found = findSelections(drawn(grey)).filter((s) => {
    const box = uprightBox(s.box, turns);
    const area = box.width * box.height;
    return !words.some((w) => overlap(box, w.box) > area * maxWordCover);
  });
  eraseBoxes(
    grey,
    found.map((s) => s.box),
  );
  return {
    ink: pageInk(rotateGrey(grey, turns)),
    selections: found.map((s) => ({ ...s, box: uprightBox(s.box, turns) })),
  };
}
