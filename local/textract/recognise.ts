/**
 * Turns document bytes into recognised pages: a PDF page's own text layer when it has one, otherwise
 * the page rendered and OCR'd; images are normalised (scaled, flattened) before OCR.
 */
import { createCanvas, ImageData, loadImage, type Canvas, type Image } from '@napi-rs/canvas';
import { splitAtGaps, type RecognisedLine, type RecognisedPage } from './blocks';
import { DocumentFormat, imageSize, limits } from './documents';
import { TextractError, TextractErrorName } from './errors';
import type { OcrPool } from './ocr-pool';
import { openPdf, renderPage, textLayer } from './pdf';
import { scannedPage } from './pdf-scan';
import { groupIntoLines } from './blocks';
import {
  analyseInk,
  eraseBoxes,
  toGrey,
  type GreyImage,
  type InkAnalysis,
  type RecognisedSelection,
} from './selection';
import { readTiffInfo, TiffDocument, TiffPageError } from './tiff';
import { estimateSkew, minSkewDegrees, sharpen, straighten } from './deskew';
import { blurredEdgeWidth, edgeWidth } from './edge-width';
import { rotateGrey, turnsToTry, uprightBox, type QuarterTurns } from './orientation';
import { pageInk } from './tables/page-ink';
import { withReversePrint } from './reverse-print';
import { joinSigns } from './sign-words';
import { restorePoints } from './number-points';
import { withoutNoise } from './ocr-noise';
import { rereadDoubtful, toPgm } from './reread';
import { readUncovered } from './uncovered';
import { textLayerInk } from './tables/pdf-ink';

export interface RecogniseOptions {
  pool: OcrPool;
  /** Resolution PDF pages are rendered at for OCR. @default 200 */
  dpi?: number;
  /** Use a PDF page's text layer instead of OCR when it has one. @default true */
  useTextLayer?: boolean;
  /**
   * Images are scaled so their typical character (median ink component) is this many pixels tall.
   * @default 13
   */
  charHeight?: number;
  /** Keep each OCR'd page's rulings and ink map (tables, layout, signatures need them). @default false */
  pageInk?: boolean;
}

/** On the corpus (scripts/textract-fidelity.ts), 13 px read best of 11-20 px on all three images. */
const defaultCharHeight = 13;

// A page with fewer characters than this in its text layer is treated as scanned.
const minTextLayerChars = 16;

/**
 * Limits on scaling an image to its print size. Shrinking goes down to a tenth: the corpus receipt
 * enlarged to 25 megapixels (characters ~90 px tall, as from a phone camera) scored word F1 0.91 when
 * shrinking stopped at half size, and 0.95 shrunk to 13 px characters.
 */
const minScale = 0.1;
const maxScale = 3;
const analysisPixels = 12_000_000;
/** Shrinking a skewed page further than this draws it at its print size before turning it. */
const minOnePassScale = 0.5;

// Pages decoded or rendered at once: enough to keep the OCR pool busy, few enough to bound memory.
const pagesInFlight = 3;

/** Page count, failing with BadDocumentException or DocumentTooLargeException as Textract would. */
export async function countPages(bytes: Uint8Array, format: DocumentFormat): Promise<number> {
  let pages = 1;
  if (format === DocumentFormat.PDF) {
    const doc = await openPdf(bytes);
    pages = doc.numPages;
    await doc.destroy();
  } else if (format === DocumentFormat.TIFF) {
    const info = readTiffInfo(bytes);
    if (!info)
      throw new TextractError(TextractErrorName.BadDocument, 'Unable to process the document: corrupt TIFF');
    pages = info.pages;
  }
  if (pages > limits.asyncPages) {
    throw new TextractError(
      TextractErrorName.DocumentTooLarge,
      `The document has ${pages} pages, more than the maximum of ${limits.asyncPages}`,
    );
  }
  return pages;
}

/** Recognises every page, a few (`pagesInFlight`) at a time so memory stays bounded. */
export async function recogniseDocument(
  bytes: Uint8Array,
  format: DocumentFormat,
  options: RecogniseOptions,
): Promise<RecognisedPage[]> {
  if (format === DocumentFormat.PDF) return recognisePdf(bytes, options);
  if (format === DocumentFormat.TIFF) return recogniseTiff(bytes, options);
  return [
    await recogniseImage(
      options.pool,
      await prepareImage(bytes, format, options.charHeight ?? defaultCharHeight),
      options.pageInk,
    ),
  ];
}

/** A page image ready for OCR, with the checkboxes found on it (and erased from it). */
interface PreparedPage {
  grey: GreyImage;
  selections: RecognisedSelection[];
  /** Quarter turns clockwise that the ink suggests will bring the text upright: tried first. */
  turns: QuarterTurns;
  /** The ink holds text; a blank page is read once, not every way up. */
  text: boolean;
  /** The page was straightened by this much before analysis (see deskew.ts). */
  skew?: { degrees: number; aspect: number };
}

/**
 * Below this mean confidence (per character) a reading is taken as the wrong way up. On the corpus
 * images upright pages read at 86-93 and pages turned 90, 180 or 270 degrees at 0-53.
 */
const uprightConfidence = 70;

/**
 * Reads the page as stored and, when that reading is not confident, turned upside down and sideways,
 * keeping the most confident reading. Lines and checkboxes come back on the upright page; `turns`
 * says how to turn their geometry back.
 */
async function recogniseImage(
  pool: OcrPool,
  { grey, selections, turns: guess, text, skew }: PreparedPage,
  withInk = false,
): Promise<RecognisedPage> {
  const read = async (turns: QuarterTurns) => {
    const upright = rotateGrey(grey, turns);
    // Light print on dark bars inverted on the copy OCR reads; checkboxes and rulings use the page.
    const image = withReversePrint(upright);
    const page = await pool.recognise(toPgm(image));
    return { page, image, turns, aspect: upright.height / upright.width, ...readingScore(page) };
  };
  const order = turnsToTry(guess);
  let latest = await read(guess);
  let best = latest;
  for (const turns of order.slice(1)) {
    if (latest.meanConfidence >= uprightConfidence || !text) break;
    latest = await read(turns);
    if (latest.weight > best.weight) best = latest;
  }
  const { page, image, turns, aspect } = best;
  const upright = selections.map((s) => ({ ...s, box: uprightBox(s.box, turns) }));
  // Noise out before doubtful regions are chosen, and out of their second readings.
  const clean = (lines: readonly RecognisedLine[]) =>
    lines.map(withoutNoise).filter((line) => line.words.length > 0);
  // Print the page's layout left out (uncovered.ts) is read after the doubtful lines are settled.
  const reread = clean(await rereadDoubtful(pool, image, clean(page.lines), aspect));
  const lines = restorePoints(image, await readUncovered(pool, image, reread));
  return {
    lines: clean(lines).flatMap((line) => splitAtGaps(joinSigns(line, aspect), aspect)),
    ...(upright.length > 0 ? { selections: upright } : {}),
    ...(turns !== 0 ? { turns } : {}),
    ...(skew ? { skew } : {}),
    aspect,
    ...(withInk ? { ink: pageInk(rotateGrey(grey, turns)) } : {}),
  };
}

/** Mean confidence per character, and characters weighted by the square of their confidence. */
function readingScore(page: RecognisedPage): { meanConfidence: number; weight: number } {
  let chars = 0;
  let sum = 0;
  let weight = 0;
  for (const line of page.lines) {
    for (const word of line.words) {
      chars += word.text.length;
      sum += word.confidence * word.text.length;
      weight += word.text.length * (word.confidence / 100) ** 2;
    }
  }
  return { meanConfidence: chars > 0 ? sum / chars : 0, weight };
}

/** The page with its checkboxes erased. */
function prepared(
  grey: GreyImage,
  { selections, turns, text }: InkAnalysis,
  skew?: PreparedPage['skew'],
): PreparedPage {
  eraseBoxes(
    grey,
    selections.map((s) => s.box),
  );
  return { grey, selections, turns, text, ...(skew ? { skew } : {}) };
}

/**
 * The page straightened when its ink says it is skewed, with the ink analysed on the straight page
 * (checkboxes are found by their straight rules). `skew` is undefined for a straight page.
 */
function deskewed(grey: GreyImage): { grey: GreyImage; ink: InkAnalysis; skew?: PreparedPage['skew'] } {
  const ink = analyseInk(grey);
  if (!ink.text) return { grey, ink };
  const degrees = estimateSkew(grey, ink.sideways);
  if (Math.abs(degrees) < minSkewDegrees) return { grey, ink };
  const straight = straighten(grey, degrees);
  return { grey: straight, ink: analyseInk(straight), skew: { degrees, aspect: grey.height / grey.width } };
}

/**
 * Decodes an image and scales it so its typical character is `charHeight` pixels tall: what the
 * page's own ink says, not its pixel count, since a photo of a receipt and a scan of a payslip
 * with 5-pixel print need opposite treatment. Checkboxes are found before scaling.
 */
async function prepareImage(
  bytes: Uint8Array,
  format: DocumentFormat,
  charHeight: number,
): Promise<PreparedPage> {
  const size = imageSize(bytes, format);
  if (size && (size.width > limits.imageSide || size.height > limits.imageSide)) {
    throw new TextractError(
      TextractErrorName.DocumentTooLarge,
      `The image is ${size.width}x${size.height} pixels, more than ${limits.imageSide} on a side`,
    );
  }
  let image;
  try {
    image = await loadImage(Buffer.from(bytes));
  } catch {
    throw new TextractError(
      TextractErrorName.BadDocument,
      'Unable to process the document: the image could not be decoded',
    );
  }
  return preparePixels(image, image.width, image.height, 1, charHeight);
}

/** `source` drawn with square pixels (stretched by `yStretch`) and scaled to the print size. */
function preparePixels(
  source: Image | Canvas,
  width: number,
  height: number,
  yStretch: number,
  charHeight: number,
): PreparedPage {
  const draw = (w: number, h: number) => {
    const canvas = createCanvas(w, h);
    const context = canvas.getContext('2d');
    // White under transparent pixels: tesseract reads transparent black text on black otherwise.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, w, h);
    // Shrinking a photo several times over: mipmapped sampling, not bilinear, which aliases thin strokes.
    if (w < width * 0.5) context.imageSmoothingQuality = 'medium';
    context.drawImage(source, 0, 0, w, h);
    // The canvas's own pixels, not a copy: drawn over white they are opaque, so premultiplied alpha
    // changes nothing, and getImageData's unpremultiplying copy took 18 ms of each 2-megapixel draw.
    return toGrey(canvas.data(), w, h);
  };
  const shownHeight = Math.round(height * yStretch);
  // Print size and checkboxes are measured on at most `analysisPixels`: a 48-megapixel phone photo
  // would otherwise need several hundred megabytes of pixel buffers at full size.
  const pre = Math.min(1, Math.sqrt(analysisPixels / (width * shownHeight)));
  const stored = draw(Math.round(width * pre), Math.round(shownHeight * pre));
  const { grey: measured, ink, skew } = deskewed(stored);
  const scale =
    ink.charHeight > 0 ? Math.min(maxScale, Math.max(minScale, (charHeight * pre) / ink.charHeight)) : pre;
  // A straight page whose print is blurred gets the mask a straightened page gets (and is scaled the
  // same way); a crisp one is left as it is, where the mask costs a little.
  const blurred = !skew && ink.text && (edgeWidth(stored) ?? 0) >= blurredEdgeWidth;
  const scaled = () => {
    // A skewed page is turned and scaled in one resampling from the pixels as stored (small print
    // loses to each resampling); a photo analysed below its full size, or shrunk past what the
    // cubic samples without aliasing, is drawn at its print size first and turned there.
    if ((skew || blurred) && pre === 1 && scale >= minOnePassScale)
      return straighten(stored, skew?.degrees ?? 0, scale);
    const grey = draw(Math.round(width * scale), Math.round(shownHeight * scale));
    return skew ? straighten(grey, skew.degrees) : blurred ? sharpen(grey) : grey;
  };
  const same = () => (blurred ? sharpen(measured) : measured);
  return prepared(Math.abs(scale / pre - 1) < 0.05 ? same() : scaled(), ink, skew);
}

/**
 * Every page of a TIFF decoded and prepared like any image. Decoding and preparing a page run without
 * a pause, so only one page is held at full size at a time; the prepared pages wait for OCR.
 */
async function recogniseTiff(bytes: Uint8Array, options: RecogniseOptions): Promise<RecognisedPage[]> {
  const info = readTiffInfo(bytes);
  if (!info) {
    throw new TextractError(TextractErrorName.BadDocument, 'Unable to process the document: corrupt TIFF');
  }
  const tiff = tiffOrThrow(() => new TiffDocument(bytes));
  return inPageOrder(info.pages, async (index) => {
    const page = tiffOrThrow(() => tiff.page(index));
    const canvas = createCanvas(page.width, page.height);
    const pixels = new Uint8ClampedArray(
      page.rgba.buffer,
      page.rgba.byteOffset,
      page.width * page.height * 4,
    );
    canvas.getContext('2d').putImageData(new ImageData(pixels, page.width, page.height), 0, 0);
    const charHeight = options.charHeight ?? defaultCharHeight;
    return recogniseImage(
      options.pool,
      preparePixels(canvas, page.width, page.height, page.yStretch, charHeight),
      options.pageInk,
    );
  });
}

const tiffErrors = {
  corrupt: TextractErrorName.BadDocument,
  unsupported: TextractErrorName.UnsupportedDocument,
  tooLarge: TextractErrorName.DocumentTooLarge,
} as const;

/** Runs a TIFF step, turning its errors into the Textract errors they are. */
function tiffOrThrow<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (!(err instanceof TiffPageError)) throw err;
    throw new TextractError(tiffErrors[err.reason], `Unable to process the document: TIFF ${err.message}`);
  }
}

/**
 * Runs `recognise` for pages 0..count-1 with a few in flight, keeping the results in page order.
 * Once a page fails no further page is started: the document has failed.
 */
async function inPageOrder(
  count: number,
  recognise: (index: number) => Promise<RecognisedPage>,
): Promise<RecognisedPage[]> {
  const results: RecognisedPage[] = new Array<RecognisedPage>(count);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < count && !failed) {
      const index = next++;
      try {
        results[index] = await recognise(index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, pagesInFlight) }, worker));
  return results;
}

async function recognisePdf(bytes: Uint8Array, options: RecogniseOptions): Promise<RecognisedPage[]> {
  const doc = await openPdf(bytes);
  try {
    return await inPageOrder(doc.numPages, async (index) => {
      const page = await doc.getPage(index + 1);
      try {
        const layer = options.useTextLayer === false ? undefined : await textLayer(page);
        const chars = layer?.words.reduce((n, w) => n + w.text.length, 0) ?? 0;
        if (layer && chars >= minTextLayerChars) {
          const lines = groupIntoLines(layer.words, layer.aspect);
          const image = options.pageInk ? await textLayerInk(page, layer.turns, layer.words) : undefined;
          return {
            lines,
            aspect: layer.aspect,
            ...(layer.turns !== 0 ? { turns: layer.turns } : {}),
            ...(image ? { ink: image.ink } : {}),
            ...(image && image.selections.length > 0 ? { selections: image.selections } : {}),
          };
        }
        const charHeight = options.charHeight ?? defaultCharHeight;
        const scan = await scannedPage(page);
        if (scan) {
          const stored = preparePixels(scan.canvas, scan.width, scan.height, 1, charHeight);
          return await recogniseImage(options.pool, stored, options.pageInk);
        }
        const { rgba, width, height } = await renderPage(page, options.dpi ?? 200);
        const { grey, ink, skew } = deskewed(toGrey(rgba, width, height));
        return await recogniseImage(options.pool, prepared(grey, ink, skew), options.pageInk);
      } finally {
        page.cleanup();
      }
    });
  } finally {
    await doc.destroy();
  }
}
