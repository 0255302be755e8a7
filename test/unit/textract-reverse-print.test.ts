/**
 * Reverse print (reverse-print.ts) on generated pages: light text on a dark bar is found and inverted
 * for OCR, and read; a bold dark logo or heavy dark lettering is not a bar.
 */
import path from 'node:path';
import { repoRoot } from '@docket/local/stack/tools';
import { DocumentFormat } from '@docket/local/textract/documents';
import { findTesseract } from '@docket/local/textract/native-ocr';
import { OcrPool } from '@docket/local/textract/ocr-pool';
import { recogniseDocument } from '@docket/local/textract/recognise';
import { reverseBars, withReversePrint } from '@docket/local/textract/reverse-print';
import { toGrey } from '@docket/local/textract/selection';
import { blankPage } from '../support/generated-pages';

const [W, H] = [800, 400];

/** A page with dark print, a black bar holding white print at (100, 200, 300 x 36), and a dark disc. */
function page() {
  const { canvas, context: ctx } = blankPage(W, H);
  ctx.font = '20px sans-serif';
  ctx.fillText('Pay to the order of', 100, 120);
  ctx.fillRect(100, 200, 300, 36);
  ctx.beginPath();
  ctx.arc(650, 100, 40, 0, Math.PI * 2);
  ctx.fill();
  ctx.font = 'bold 44px sans-serif';
  ctx.fillText('MEGA', 500, 330);
  ctx.fillStyle = '#fff';
  ctx.font = 'bold 20px sans-serif';
  ctx.fillText('JANE ROE', 120, 226);
  ctx.fillText('m', 640, 108);
  return canvas;
}

test('the dark bar holding light print is found; a logo and heavy lettering are not', () => {
  const canvas = page();
  const grey = toGrey(canvas.getContext('2d').getImageData(0, 0, W, H).data, W, H);
  const bars = reverseBars(grey, 13);
  expect(bars).toHaveLength(1);
  const [bar] = bars;
  expect(bar?.x0).toBeGreaterThanOrEqual(96);
  expect(bar?.x1).toBeLessThanOrEqual(404);
  expect(bar?.y0).toBeGreaterThanOrEqual(196);
  expect(bar?.y1).toBeLessThanOrEqual(240);
  // Inverted on a copy: the bar's background turns light there, the page itself is untouched.
  const inverted = withReversePrint(grey, 13);
  expect(inverted.pixels[205 * W + 110]).toBeGreaterThan(200);
  expect(grey.pixels[205 * W + 110]).toBeLessThan(50);
  // A page without bars is passed on as it is.
  const plain = { ...grey, pixels: new Uint8Array(W * H).fill(255) };
  expect(withReversePrint(plain, 13)).toBe(plain);
});

const bin = findTesseract(undefined, process.env.DOCKET_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
(bin ? test : test.skip)('the light print on the bar is read with the page', async () => {
  const pool = new OcrPool({ size: 1, tesseractBin: bin ?? '' });
  try {
    const [read] = await recogniseDocument(await page().encode('png'), DocumentFormat.PNG, { pool });
    const words = (read?.lines ?? []).flatMap((l) => l.words.map((w) => w.text));
    expect(words).toEqual(expect.arrayContaining(['JANE', 'ROE', 'Pay', 'order']));
  } finally {
    await pool.terminate();
  }
});
