/**
 * How pages reach the OCR engine: how many readings a page costs, and that a document which has
 * failed stops using the engine. The engine here is a fake that counts what it is given.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { RecognisedPage } from '@docket/local/textract/blocks';
import { DocumentFormat } from '@docket/local/textract/documents';
import { TextractError } from '@docket/local/textract/errors';
import type { OcrImage, OcrPool } from '@docket/local/textract/ocr-pool';
import { recogniseDocument } from '@docket/local/textract/recognise';
import { writeTiff } from '../fixtures/textract/tiff-writer';
import { blankPage } from '../support/generated-pages';

/** An engine that reads one word at `confidence`, slowly enough for pages to overlap. */
function fakePool(confidence: number) {
  const images: OcrImage[] = [];
  const pool = {
    async recognise(image: OcrImage): Promise<RecognisedPage> {
      images.push(image);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const box = { left: 0.1, top: 0.1, width: 0.2, height: 0.02 };
      return { lines: [{ words: [{ text: 'Total', confidence, box }] }] };
    },
  };
  return { pool: pool as unknown as OcrPool, images };
}

/** A white 400 x 500 PNG with `lines` of 14 px text on it. */
function pagePng(lines: number) {
  const { canvas, context } = blankPage(400, 500);
  context.font = '14px sans-serif';
  for (let line = 0; line < lines; line++)
    context.fillText('Invoice total due within thirty days', 20, 40 + line * 30);
  return canvas.encode('png');
}

test('a blank page is read once, not turned every way in search of text', async () => {
  const { pool, images } = fakePool(0);
  const [page] = await recogniseDocument(await pagePng(0), DocumentFormat.PNG, { pool });
  expect(images).toHaveLength(1);
  expect(page?.turns).toBeUndefined();
});

test('a page of text read without confidence is read again every other way up, and kept as stored', async () => {
  const { pool, images } = fakePool(40);
  const [page] = await recogniseDocument(await pagePng(10), DocumentFormat.PNG, { pool });
  // The whole page four times (turned sideways it is as many pixels); the crops of print its one word
  // leaves uncovered (uncovered.ts) are read besides.
  const size = (image: OcrImage) => image.width * image.height;
  expect(images.filter((image) => size(image) === size(images[0]!))).toHaveLength(4);
  // All four readings were equally unsure; the first, as stored, is kept.
  expect(page?.turns).toBeUndefined();
});

test('once a page of a TIFF fails, no further page goes to OCR', async () => {
  const page = { grey: new Uint8Array(64 * 64).fill(255), width: 64, height: 64 };
  const pages = Array.from({ length: 30 }, (_, i) => (i === 1 ? { ...page, bits: 4 as const } : page));
  const { pool, images } = fakePool(95);
  const error = await recogniseDocument(writeTiff(pages), DocumentFormat.TIFF, { pool }).catch(
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TextractError);
  expect((error as TextractError).name).toBe('UnsupportedDocumentException');
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Pages 1 and 3 were already on their way; none after them.
  expect(images.length).toBeLessThanOrEqual(2);
});

test('an image declaring more than 10,000 pixels on a side is refused before it is decoded', async () => {
  const jpeg = Buffer.from(await createCanvas(64, 48).encode('jpeg'));
  // Rewrite the frame header's size: 48 x 64 becomes 48 x 12,000.
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(12_000, sof + 7);
  const { pool, images } = fakePool(95);
  const error = await recogniseDocument(jpeg, DocumentFormat.JPEG, { pool }).catch((err: unknown) => err);
  expect((error as TextractError).name).toBe('DocumentTooLargeException');
  expect((error as TextractError).message).toBe('The image is 12000x48 pixels, more than 10000 on a side');
  expect(images).toHaveLength(0);
});
