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
import { otsuThreshold } from '../grey-image';
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

/** The darkest pixel inside `box` (page fractions). */
function darkestIn({ pixels, width, height }: GreyImage, box: Box): number {
  let darkest = 255;
  const [x0, x1] = [Math.floor(box.left * width), Math.ceil((box.left + box.width) * width)];
  const [y0, y1] = [Math.floor(box.top * height), Math.ceil((box.top + box.height) * height)];
  for (let y = Math.max(0, y0); y < Math.min(height, y1); y++)
    for (let x = Math.max(0, x0); x < Math.min(width, x1); x++)
      darkest = Math.min(darkest, pixels[y * width + x] ?? 255);
  return darkest;
}

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
  const threshold = otsuThreshold(grey.pixels);
  const found = findSelections(drawn(grey)).filter((s) => {
    const box = uprightBox(s.box, turns);
    const area = box.width * box.height;
    if (words.some((w) => overlap(box, w.box) > area * maxWordCover)) return false;
    // A ticked box holds a mark as dark as print; a square only shaded light (a table cell's fill) is
    // no box, though it reads as a filled one once every drawn pixel is ink.
    return !s.selected || darkestIn(grey, s.box) <= threshold;
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
