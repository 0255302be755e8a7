/**
 * Doubtful print read again on its own (reread.ts): a run of words read with little confidence in a
 * line box grown over the rows around it is cropped, less the edges of those rows, onto a page of
 * its own paper shade and read again as one block; the second reading is kept only when it is worth
 * more. The engine here is a fake that records what it is given.
 */
import type { RecognisedLine, RecognisedPage } from '@docket/local/textract/blocks';
import type { GreyImage } from '@docket/local/textract/grey-image';
import type { OcrImage, RecogniseOptions } from '@docket/local/textract/ocr-pool';
import { cropRegion, doubtfulRegions, inkBand, rereadDoubtful } from '@docket/local/textract/reread';

const [width, height] = [400, 200];

/** A page of `paper` shade with dark bars where print is (x0, y0, x1, y1 in pixels). */
function page(bars: [number, number, number, number][], paper = 255): GreyImage {
  const pixels = new Uint8Array(width * height).fill(paper);
  for (const [x0, y0, x1, y1] of bars)
    for (let y = y0; y < y1; y++) pixels.fill(40, y * width + x0, y * width + x1);
  return { pixels, width, height };
}

/** A word whose box is x0..x1, y0..y1 in pixels of the page. */
function word(text: string, confidence: number, x0: number, y0: number, x1: number, y1: number) {
  return {
    text,
    confidence,
    box: { left: x0 / width, top: y0 / height, width: (x1 - x0) / width, height: (y1 - y0) / height },
  };
}

/** Rows of 14 px print: three confident lines and one doubtful line whose box grew to 30 px. */
function lines(doubtful = 70, tall = 30): RecognisedLine[] {
  return [
    { words: [word('Regular', 96, 20, 20, 90, 34), word('320.00', 95, 200, 20, 260, 34)] },
    { words: [word('Overtime', 96, 20, 50, 100, 64), word('15.00', 95, 200, 50, 250, 64)] },
    { words: [word('Federal', 95, 20, 80, 90, 94), word('40.80', doubtful, 200, 80 - (tall - 14), 250, 94)] },
    { words: [word('Medicare', 96, 20, 110, 100, 124), word('6.56', 95, 200, 110, 240, 124)] },
  ];
}
const ink = page([
  [20, 20, 90, 34],
  [200, 20, 260, 34],
  [20, 50, 100, 64],
  [200, 50, 250, 64],
  [20, 80, 90, 94],
  [200, 80, 250, 94],
  [20, 110, 100, 124],
  [200, 110, 240, 124],
]);

test('a doubtful word in an overgrown box is read again, cropped to its own row', () => {
  const regions = doubtfulRegions(lines(), ink);
  expect(regions).toHaveLength(1);
  const [r] = regions;
  // Its run only (the figure, not "Federal" across the column gap), its own row's print only.
  expect(r!.x0).toBeGreaterThan(150);
  expect(r!.y0).toBeGreaterThan(64);
  expect(r!.y1).toBeLessThan(110);
});

test('doubtful words in boxes of the print size, and confident ones in any box, are not read again', () => {
  expect(doubtfulRegions(lines(70, 14), ink)).toEqual([]);
  expect(doubtfulRegions(lines(95, 30), ink)).toEqual([]);
});

test('the edges of the rows above and below are left out of the band of print', () => {
  // A box from y=60 to y=98 takes in the last 4 rows of the line above (50..64).
  expect(inkBand(ink, { x0: 200, y0: 60, x1: 260, y1: 98 }, 8)).toEqual({ y0: 80, y1: 94 });
});

test('a crop of a tinted region sits on a page of the same tint', () => {
  const tinted = page([[200, 80, 250, 94]], 220);
  const crop = cropRegion(tinted, { x0: 190, y0: 76, x1: 260, y1: 98 }, 10);
  expect(crop.width).toBe(90);
  expect(crop.pixels[0]).toBe(220);
  expect(crop.pixels[(10 + 8) * crop.width + 10 + 15]).toBe(40);
});

/** An engine that reads every crop as one word at `confidence`, filling the crop. */
function fakePool(text: string, confidence: number) {
  const calls: { image: OcrImage; options?: RecogniseOptions }[] = [];
  const pool = {
    recognise(image: OcrImage, options?: RecogniseOptions): Promise<RecognisedPage> {
      calls.push({ image, options });
      const box = { left: 0.3, top: 0.3, width: 0.4, height: 0.4 };
      return Promise.resolve({ lines: [{ words: [{ text, confidence, box }] }] });
    },
  };
  return { pool, calls };
}

const texts = (out: RecognisedLine[]) => out.map((l) => l.words.map((w) => w.text).join(' '));

test('the second reading, read as one block, replaces the first where it is worth more', async () => {
  const { pool, calls } = fakePool('40.60', 93);
  const out = await rereadDoubtful(pool, ink, lines());
  expect(calls).toHaveLength(1);
  expect(calls[0]!.options).toEqual({ psm: '6' });
  expect(texts(out)).toEqual(['Regular 320.00', 'Overtime 15.00', 'Federal', '40.60', 'Medicare 6.56']);
  const [figure] = out[3]!.words;
  // Its box is back on the page, inside the region read.
  expect(figure!.box.left * width).toBeGreaterThan(190);
  expect(figure!.box.top * height).toBeGreaterThan(64);
});

test('a second reading worth less leaves the first alone', async () => {
  const { pool } = fakePool('4', 50);
  const out = await rereadDoubtful(pool, ink, lines());
  expect(texts(out)).toEqual(texts(lines()));
});
