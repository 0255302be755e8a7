/**
 * Print the page's reading left out (uncovered.ts): ink that no recognised word covers, less ruling
 * lines and specks, is grouped into text-sized areas; each is cropped with the words already read
 * painted out and read again as a block, and only lines read with confidence are kept. The engine
 * here is a fake that records what it is given.
 */
import type { RecognisedLine, RecognisedPage } from '@docket/local/textract/blocks';
import type { GreyImage } from '@docket/local/textract/grey-image';
import type { OcrImage, RecogniseOptions } from '@docket/local/textract/ocr-pool';
import { readUncovered, uncoveredRegions } from '@docket/local/textract/uncovered';

const [width, height] = [600, 400];

/** A page of `paper` shade. */
function blank(paper = 255, w = width, h = height): GreyImage {
  return { pixels: new Uint8Array(w * h).fill(paper), width: w, height: h };
}

function fill(page: GreyImage, x0: number, y0: number, x1: number, y1: number, level = 40): void {
  for (let y = y0; y < y1; y++) page.pixels.fill(level, y * page.width + x0, y * page.width + x1);
}

/** A row of letter-sized marks (7 x 12 px, 3 px apart) from x0 to x1 with its top at y. */
function print(page: GreyImage, x0: number, x1: number, y: number): void {
  for (let x = x0; x + 7 <= x1; x += 10) fill(page, x, y, x + 7, y + 12);
}

/** A word whose box is x0..x1, y0..y1 in pixels of the page. */
function word(text: string, confidence: number, x0: number, y0: number, x1: number, y1: number) {
  return {
    text,
    confidence,
    box: { left: x0 / width, top: y0 / height, width: (x1 - x0) / width, height: (y1 - y0) / height },
  };
}

/** Three lines read by OCR (14 px boxes), their print on the page. */
function readPage(page: GreyImage): RecognisedLine[] {
  const lines = [
    { words: [word('Statement', 96, 40, 40, 140, 54), word('March', 95, 160, 40, 220, 54)] },
    { words: [word('Balance', 96, 40, 80, 120, 94), word('412.35', 95, 160, 80, 230, 94)] },
    { words: [word('Thank', 96, 40, 300, 100, 314), word('you', 95, 120, 300, 160, 314)] },
  ];
  for (const l of lines)
    for (const w of l.words)
      print(page, w.box.left * width, (w.box.left + w.box.width) * width, w.box.top * height + 1);
  return lines;
}

const boxes = (lines: readonly RecognisedLine[]) => lines.flatMap((l) => l.words.map((w) => w.box));

test('a row of print no word covers is one area to read; print under words is not', () => {
  const page = blank();
  const lines = readPage(page);
  print(page, 60, 300, 200);
  const regions = uncoveredRegions(page, boxes(lines));
  expect(regions).toHaveLength(1);
  const [r] = regions;
  // The row, with a margin of about half a word height each side and a quarter above and below.
  expect(r!.x0).toBeGreaterThanOrEqual(45);
  expect(r!.x0).toBeLessThanOrEqual(60);
  expect(r!.x1).toBeGreaterThanOrEqual(297);
  expect(r!.x1).toBeLessThanOrEqual(315);
  expect(r!.y0).toBeLessThanOrEqual(200);
  expect(r!.y0).toBeGreaterThan(190);
  expect(r!.y1).toBeGreaterThanOrEqual(212);
  expect(r!.y1).toBeLessThan(225);
});

test('ruling lines, boxes, lines a pixel off straight and specks are not print', () => {
  const page = blank();
  const lines = readPage(page);
  fill(page, 40, 150, 560, 152); // a rule under the heading
  fill(page, 300, 180, 302, 380); // a column rule
  // An empty box, 200 x 40 px.
  fill(page, 340, 200, 540, 202);
  fill(page, 340, 238, 540, 240);
  fill(page, 340, 200, 342, 240);
  fill(page, 538, 200, 540, 240);
  // A rule 2 px thick drawn askew: it steps down a pixel every 15 px.
  for (let i = 0; i < 24; i++) fill(page, 40 + i * 15, 260 + i, 55 + i * 15, 262 + i);
  fill(page, 100, 200, 103, 203); // a speck
  // Scanner noise: single dark pixels, about one in 25, over a patch of the page.
  for (let y = 320; y < 390; y++) {
    for (let x = 320 + ((y * 7) % 25); x < 580; x += 25) fill(page, x, y, x + 1, y + 1);
  }
  fill(page, 150, 200, 157, 212); // a single letter-sized mark
  expect(uncoveredRegions(page, boxes(lines))).toEqual([]);
});

test('print crossing a rule is still found, the rule left out of its area', () => {
  const page = blank();
  const lines = readPage(page);
  fill(page, 20, 211, 580, 213);
  print(page, 200, 400, 200);
  const regions = uncoveredRegions(page, boxes(lines));
  expect(regions).toHaveLength(1);
  expect(regions[0]!.x0).toBeGreaterThan(150);
  expect(regions[0]!.x1).toBeLessThan(450);
});

test('print beside a column rule is found, the rule left out of its area', () => {
  const page = blank();
  const lines = readPage(page);
  // A table's column rule a few pixels right of the print's last letter (x 390..397).
  fill(page, 409, 120, 411, 380);
  print(page, 200, 400, 200);
  const regions = uncoveredRegions(page, boxes(lines));
  expect(regions).toHaveLength(1);
  // The crop ends with the print and half a word height: it holds no "|" to read.
  expect(regions[0]!.x1).toBeLessThan(409);
  expect(regions[0]!.y0).toBeGreaterThan(180);
  expect(regions[0]!.y1).toBeLessThan(230);
});

test('a tinted band with a pattern is paper: print on it is found, the band is not', () => {
  const page = blank();
  const lines = readPage(page);
  // A cheque's tinted band from y=160 to y=280, with fine lines 3 px apart a little darker than it.
  fill(page, 0, 160, width, 280, 200);
  for (let y = 160; y < 280; y += 3) fill(page, 0, y, width, y + 1, 150);
  print(page, 60, 300, 200);
  const regions = uncoveredRegions(page, boxes(lines));
  expect(regions).toHaveLength(1);
  expect(regions[0]!.y0).toBeGreaterThan(180);
  expect(regions[0]!.y1).toBeLessThan(230);
});

test('a page with no words read has nothing to compare its ink with', () => {
  const page = blank();
  print(page, 60, 300, 200);
  expect(uncoveredRegions(page, [])).toEqual([]);
});

test('areas are read smallest first, up to a fifth of the page', () => {
  const page = blank();
  const lines = readPage(page);
  // A line of print, and a block of 9 rows as wide as the page (a quarter of the page with margins).
  print(page, 300, 500, 40);
  for (let row = 0; row < 9; row++) print(page, 20, 580, 120 + row * 14);
  const regions = uncoveredRegions(page, boxes(lines));
  expect(regions).toHaveLength(1);
  expect(regions[0]!.x0).toBeGreaterThan(250);
});

test('a page of scattered marks is read in at most 40 pieces', () => {
  // A page twice the size, one line of words read (14 px), and 60 short pieces of print apart from
  // each other (a form's handwritten entries), together well under a fifth of the page.
  const page = blank(255, 1200, 800);
  const read = { left: 40 / 1200, top: 40 / 800, width: 200 / 1200, height: 14 / 800 };
  print(page, 40, 240, 41);
  for (let x = 40; x < 1100; x += 110) for (let y = 120; y < 720; y += 100) print(page, x, x + 47, y);
  expect(uncoveredRegions(page, [read])).toHaveLength(40);
});

/** An engine that reads every crop as the given lines (boxes as fractions of the crop). */
function fakePool(read: RecognisedLine[]) {
  const calls: { image: OcrImage; options?: RecogniseOptions }[] = [];
  const pool = {
    recognise(image: OcrImage, options?: RecogniseOptions): Promise<RecognisedPage> {
      calls.push({ image, options });
      return Promise.resolve({ lines: read });
    },
  };
  return { pool, calls };
}

const texts = (out: RecognisedLine[]) => out.map((l) => l.words.map((w) => w.text).join(' '));
/** A word read in a crop, spanning most of it as print read right does (boxes as crop fractions). */
const cropWord = (text: string, confidence: number, left: number, top = 0.2, width = 0.8 - left) => ({
  text,
  confidence,
  box: { left, top, width, height: 0.3 },
});

test('an area is read as one block, and its confident lines join the page after the line above them', async () => {
  const page = blank();
  const lines = readPage(page);
  print(page, 60, 300, 200);
  const { pool, calls } = fakePool([
    { words: [cropWord('Pay', 95, 0.1), cropWord('Harriet', 90, 0.4)] },
    { words: [cropWord('EE', 30, 0.1, 0.6), cropWord('Fa', 40, 0.5, 0.6)] },
  ]);
  const out = await readUncovered(pool, page, lines);
  // A doubtful line, but the area is one row of print 17 word heights wide: it is not read again
  // (only print a few words long is enlarged; tested below).
  expect(calls).toHaveLength(1);
  expect(calls[0]!.options).toEqual({ psm: '6' });
  // The low-confidence line (a pattern's fragments) is left out.
  expect(texts(out)).toEqual(['Statement March', 'Balance 412.35', 'Pay Harriet', 'Thank you']);
  // Its boxes are back on the page, inside the area read.
  const pay = out[2]!.words[0]!;
  expect(pay.box.left * width).toBeGreaterThan(40);
  expect(pay.box.top * height).toBeGreaterThan(180);
  expect(pay.box.top * height).toBeLessThan(215);
});

test('the crop is the area on its paper, with words already read painted out', async () => {
  const page = blank(230);
  const lines = readPage(page);
  // Two rows of print no word covers, and between them a word already read: its ink is in the area.
  print(page, 60, 300, 200);
  print(page, 60, 300, 230);
  lines.push({ words: [word('Memo', 95, 200, 214, 260, 228)] });
  print(page, 200, 260, 215);
  const [region] = uncoveredRegions(page, boxes(lines));
  expect(region!.y0).toBeLessThan(200);
  expect(region!.y1).toBeGreaterThan(242);
  const { pool, calls } = fakePool([]);
  const out = await readUncovered(pool, page, lines);
  expect(texts(out)).toEqual(texts(lines));
  // The area first; reading nothing, it is read again by rows and larger (tested below).
  expect(calls.length).toBeGreaterThan(1);
  const { data, width: cw, height: ch } = calls[0]!.image;
  const pixels = data.subarray(data.length - cw * ch);
  // Crop pixels of a page point: the area less its corner, plus the margin (a word height, 14 px).
  const at = (x: number, y: number) => pixels[(y - region!.y0 + 14) * cw + (x - region!.x0 + 14)];
  expect(pixels[0]).toBe(230);
  expect(at(62, 205)).toBe(40);
  expect(at(202, 220)).toBe(230);
});

test("on a page of two columns, an area's lines go together after the lines above them in their column", async () => {
  const page = blank();
  const lines = readPage(page);
  // A second column, read after the first.
  lines.push(
    { words: [word('Notes', 95, 350, 40, 420, 54)] },
    { words: [word('Paid', 95, 350, 120, 400, 134)] },
  );
  for (const l of lines.slice(3))
    for (const w of l.words)
      print(page, w.box.left * width, (w.box.left + w.box.width) * width, w.box.top * height + 1);
  // Two rows of print in the first column, below its "Balance" line.
  print(page, 60, 200, 180);
  print(page, 60, 160, 200);
  const { pool } = fakePool([
    { words: [cropWord('Pay', 95, 0.1, 0.2)] },
    { words: [cropWord('Road', 94, 0.1, 0.55)] },
  ]);
  const out = await readUncovered(pool, page, lines);
  expect(texts(out)).toEqual([
    'Statement March',
    'Balance 412.35',
    'Pay',
    'Road',
    'Thank you',
    'Notes',
    'Paid',
  ]);
});

test('a word read over one already on the page is not added twice', async () => {
  const page = blank();
  const lines = readPage(page);
  print(page, 60, 300, 200);
  const { pool } = fakePool([{ words: [cropWord('Pay', 95, 0.1)] }, { words: [cropWord('Pay', 93, 0.1)] }]);
  const out = await readUncovered(pool, page, lines);
  expect(texts(out)).toEqual(['Statement March', 'Balance 412.35', 'Pay', 'Thank you']);
});

test('an area whose block reading is doubtful is read row by row, and larger; the best reading is kept', async () => {
  const page = blank();
  const lines = readPage(page);
  // Two rows of print, a descender of the first touching the second (Tesseract takes them for one).
  print(page, 60, 200, 180);
  print(page, 60, 200, 197);
  fill(page, 62, 192, 64, 197);
  const calls: OcrImage[] = [];
  // The block reads as one doubtful line; each row alone reads right; the enlarged rows doubtfully.
  const pool = {
    recognise(image: OcrImage): Promise<RecognisedPage> {
      calls.push(image);
      const n = calls.length;
      const enlarged = n > 1 && image.width > calls[0]!.width * 1.5;
      const read =
        n === 1 || enlarged ? cropWord('eran', 22, 0.1) : cropWord(n === 2 ? 'Pay' : 'order', 95, 0.1);
      return Promise.resolve({ lines: [{ words: [read] }] });
    },
  };
  const out = await readUncovered(pool, page, lines);
  // The area, its two rows, then its two rows twice as large.
  expect(calls).toHaveLength(5);
  const [area, first, second] = calls;
  expect(first!.width).toBe(area!.width);
  expect(first!.height + second!.height).toBeLessThan(area!.height + 2 * 14 + 4);
  expect(first!.height).toBeLessThan(area!.height);
  expect(calls[3]!.width).toBe(area!.width * 2);
  expect(texts(out)).toEqual(['Statement March', 'Balance 412.35', 'Pay', 'order', 'Thank you']);
  // Each row's word is back on the page in its own row.
  const [pay, order] = [out[2]!.words[0]!, out[3]!.words[0]!];
  expect(pay.box.top * height).toBeLessThan(192);
  expect(order.box.top * height).toBeGreaterThan(185);
});

test('a word box Tesseract grew over the next row leaves that row to be read', async () => {
  const page = blank();
  const lines = readPage(page);
  // "Balance 412.35" (80..94) has a box grown 12 px down, over the top of a row of print at 100..112.
  lines[1]!.words[1] = word('412.35', 95, 160, 80, 230, 106);
  print(page, 160, 230, 100);
  const { pool, calls } = fakePool([{ words: [cropWord('37.43', 93, 0.1)] }]);
  const out = await readUncovered(pool, page, lines);
  expect(calls).toHaveLength(1);
  expect(texts(out)).toEqual(['Statement March', 'Balance 412.35', '37.43', 'Thank you']);
});

test("a box's sides are painted out of the crop; the print inside stays", async () => {
  const page = blank();
  const lines = readPage(page);
  // A name in a box (as a cheque's payee), the box's left side 2 px from the first letter.
  print(page, 100, 250, 200);
  fill(page, 96, 190, 98, 224);
  fill(page, 96, 222, 300, 224);
  const { pool, calls } = fakePool([{ words: [cropWord('JOHN', 95, 0.1)] }]);
  await readUncovered(pool, page, lines);
  const { data, width: cw, height: ch } = calls[0]!.image;
  const pixels = data.subarray(data.length - cw * ch);
  const dark = (x: number) => [...Array(ch).keys()].some((y) => pixels[y * cw + x]! < 128);
  const inkColumns = [...Array(cw).keys()].filter(dark);
  // Letters are 7 px wide, 3 px apart, from x=100: no dark column but theirs is left.
  expect(inkColumns.length).toBeGreaterThan(0);
  expect(inkColumns.length % 7).toBe(0);
});

test("a line whose words span little of its row's ink is a fragment of a mark, not print", async () => {
  const page = blank();
  const lines = readPage(page);
  // A scribble across the row (a signature): ink from x=60 to x=300.
  print(page, 60, 300, 200);
  // Read as one short word at its left end (a fifth of the crop), or as a line across it.
  const fragment = fakePool([{ words: [cropWord('Lo', 80, 0.1, 0.2, 0.2)] }]);
  expect(texts(await readUncovered(fragment.pool, page, lines))).toEqual(texts(lines));
  const whole = fakePool([{ words: [cropWord('Authorized', 80, 0.05, 0.2, 0.9)] }]);
  expect(texts(await readUncovered(whole.pool, page, lines))).toContain('Authorized');
});
