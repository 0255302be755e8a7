/**
 * Scanned PDFs through the real Textract client: a page that is nothing but images is read from the
 * images' own pixels, as the same image sent alone is read, whatever resolution it was scanned at,
 * however it is stored (grey, one bit, fax rows) and placed (turned by /Rotate, on part of the page);
 * any other page without a text layer is rendered.
 */
import { AnalyzeDocumentCommand, DetectDocumentTextCommand, type Block } from '@aws-sdk/client-textract';
import { createCanvas } from '@napi-rs/canvas';
import { toGrey } from '@docket/local/textract/grey-image';
import { blankPage, statementLines, wordRecall } from '../support/generated-pages';
import { writePdf, type PdfImage } from '../fixtures/textract/pdf-writer';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';

let h: Harness;

beforeAll(async () => {
  h = await harness('scanned-pdf');
});
afterAll(() => h.destroy());

/** Lines of a statement: words a reader must get back, figures among them. */
const lines = statementLines(30);
const printed = lines.flatMap((words) => words.join(' ').split(' '));

/** The statement printed on a `width` x `height` page in `font` px print, as grey pixels. */
function statement(width: number, height: number, font: number) {
  const { canvas, context } = blankPage(width, height);
  context.font = `${font}px sans-serif`;
  lines.forEach((words, i) => context.fillText(words.join(' '), width * 0.1, height * (0.08 + i * 0.025)));
  return { canvas, grey: toGrey(context.getImageData(0, 0, width, height).data, width, height).pixels };
}

async function words(name: string, bytes: Buffer): Promise<Block[]> {
  const key = await h.put(`scanned-pdf/${name}`, bytes);
  const res = await h.textract.send(
    new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: contractBucket, Name: key } } }),
  );
  return (res.Blocks ?? []).filter((b) => b.BlockType === 'WORD');
}

/** Share of the printed words read back exactly (each word counted once). */
const recall = (read: Block[]): number =>
  wordRecall(
    printed,
    read.map((w) => w.Text ?? ''),
  );

const box = (word: Block) => word.Geometry?.BoundingBox ?? {};
/** The bottom of a word's box (its baseline, for figures), as a fraction of the page from the top. */
const baseline = (word: Block) => (box(word).Top ?? 0) + (box(word).Height ?? 0);

const scan = (image: PdfImage, size: [number, number] = [612, 792]) => writePdf([{ lines: [], size, image }]);

test('a page scanned at 72 dpi reads from its pixels as the image itself does: same words, same places', async () => {
  // 9 px print on a Letter page scanned at 72 dpi. Rendered at 200 dpi, pdf.js enlarges the image
  // without smoothing and 0.91 of the words came back (measured); read as stored, all of them.
  const { canvas, grey } = statement(612, 792, 9);
  const asImage = await words('statement.png', await canvas.encode('png'));
  const asPdf = await words('statement.pdf', scan({ width: 612, height: 792, grey }));
  expect(recall(asPdf)).toBeGreaterThanOrEqual(0.97);
  expect(asPdf.map((w) => w.Text)).toEqual(asImage.map((w) => w.Text));
  asPdf.forEach((word, i) => {
    const other = asImage[i]!;
    expect(box(word).Left).toBeCloseTo(box(other).Left ?? 0, 3);
    expect(box(word).Top).toBeCloseTo(box(other).Top ?? 0, 3);
  });
});

test('a JPEG scan in a PDF reads as the JPEG itself does', async () => {
  const { canvas, grey } = statement(612, 792, 9);
  const jpeg = await canvas.encode('jpeg', 85);
  const asImage = await words('statement.jpg', jpeg);
  const asPdf = await words('jpeg.pdf', scan({ width: 612, height: 792, grey, jpeg }));
  expect(recall(asPdf)).toBeGreaterThanOrEqual(0.97);
  expect(recall(asPdf)).toBeGreaterThanOrEqual(recall(asImage) - 0.02);
  const invoices = asPdf.filter((w) => w.Text === 'Invoice');
  expect(invoices.length).toBeGreaterThanOrEqual(28);
  for (const word of invoices) expect(box(word).Left).toBeCloseTo(0.1, 2);
});

test('a one-bit fax page with half-height rows reads upright, its words where they were printed', async () => {
  // Printed at 200 dpi, then stored as fax's standard resolution does: every other row, one bit.
  const { canvas } = statement(1700, 2200, 24);
  const half = createCanvas(1700, 1100);
  half.getContext('2d').drawImage(canvas, 0, 0, 1700, 1100);
  const grey = toGrey(half.getContext('2d').getImageData(0, 0, 1700, 1100).data, 1700, 1100).pixels;
  const read = await words('fax.pdf', scan({ width: 1700, height: 1100, grey, bits: 1 }));
  // 0.89 came back (measured; 0.83 rendered at 200 dpi), the rest lost to the one-bit half rows.
  expect(recall(read)).toBeGreaterThanOrEqual(0.85);
  // Each line's invoice number comes back on its line of the page (baselines 2.5% of the page apart).
  const offsets = lines.flatMap((line, i) => {
    const number = read.find((w) => w.Text === line[0]!.split(' ')[1]);
    return number ? [Math.abs(baseline(number) - (0.08 + i * 0.025))] : [];
  });
  expect(offsets.length).toBeGreaterThanOrEqual(20);
  expect(Math.max(...offsets)).toBeLessThan(0.005);
  const invoices = read.filter((w) => w.Text === 'Invoice');
  expect(invoices.length).toBeGreaterThanOrEqual(20);
  for (const word of invoices) {
    expect(box(word).Left).toBeCloseTo(0.1, 2);
    expect(box(word).Height ?? 0).toBeLessThan(0.02);
  }
});

test('a landscape scan stored upright and shown turned (/Rotate 90) reads as the page is shown', async () => {
  // The statement printed across a landscape page at 72 dpi; the scanner stored it turned a quarter
  // anticlockwise, and the page's /Rotate turns it back for display. Rendered at 200 dpi, 0.91 of
  // its words came back (measured).
  const { canvas, grey: landscape } = statement(792, 612, 9);
  const stored = new Uint8Array(612 * 792);
  for (let v = 0; v < 792; v++) {
    for (let u = 0; u < 612; u++) stored[v * 612 + u] = landscape[u * 792 + (791 - v)]!;
  }
  const asImage = await words('landscape.png', await canvas.encode('png'));
  const pdf = writePdf([{ lines: [], rotate: 90, image: { width: 612, height: 792, grey: stored } }]);
  const asPdf = await words('landscape.pdf', pdf);
  expect(recall(asPdf)).toBeGreaterThanOrEqual(0.97);
  expect(asPdf.map((w) => w.Text)).toEqual(asImage.map((w) => w.Text));
  asPdf.forEach((word, i) => {
    expect(box(word).Left).toBeCloseTo(box(asImage[i]!).Left ?? 0, 3);
    expect(box(word).Top).toBeCloseTo(box(asImage[i]!).Top ?? 0, 3);
  });
});

test('a scan stored upside down (/Rotate 180) or bottom-up (a flipped placement) reads as shown', async () => {
  const { canvas, grey } = statement(612, 792, 9);
  const asImage = await words('upright.png', await canvas.encode('png'));
  const rows = (order: (y: number) => number, flipRow: boolean) => {
    const out = new Uint8Array(612 * 792);
    for (let y = 0; y < 792; y++) {
      const row = grey.subarray(order(y) * 612, order(y) * 612 + 612);
      out.set(flipRow ? row.slice().reverse() : row, y * 612);
    }
    return out;
  };
  const upsideDown = writePdf([
    { lines: [], rotate: 180, image: { width: 612, height: 792, grey: rows((y) => 791 - y, true) } },
  ]);
  const bottomUp = scan({
    width: 612,
    height: 792,
    grey: rows((y) => 791 - y, false),
    at: [0, 792, 612, -792],
  });
  for (const [name, pdf] of [
    ['upside-down.pdf', upsideDown],
    ['bottom-up.pdf', bottomUp],
  ] as const) {
    const asPdf = await words(name, pdf);
    expect(asPdf.map((w) => w.Text)).toEqual(asImage.map((w) => w.Text));
    asPdf.forEach((word, i) => expect(box(word).Left).toBeCloseTo(box(asImage[i]!).Left ?? 0, 3));
  }
});

test('a scan with anything drawn over it is rendered, the drawing included', async () => {
  // A ticked box ruled over the scan: read from the image alone, the page would have no box.
  const { grey } = statement(612, 792, 12);
  const tick = 'q 0 0 0 RG 1.5 w 480 80 20 20 re S 480 80 m 500 100 l S 480 100 m 500 80 l S Q';
  const pdf = writePdf([{ lines: [], image: { width: 612, height: 792, grey }, drawing: [tick] }]);
  const key = await h.put('scanned-pdf/ticked.pdf', pdf);
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { S3Object: { Bucket: contractBucket, Name: key } },
      FeatureTypes: ['FORMS'],
    }),
  );
  const boxes = (res.Blocks ?? []).filter((b) => b.BlockType === 'SELECTION_ELEMENT');
  expect(boxes.map((b) => b.SelectionStatus)).toEqual(['SELECTED']);
  expect(box(boxes[0]!).Left).toBeCloseTo(480 / 612, 2);
  expect(box(boxes[0]!).Top).toBeCloseTo((792 - 100) / 792, 2);
  expect(recall((res.Blocks ?? []).filter((b) => b.BlockType === 'WORD'))).toBeGreaterThanOrEqual(0.97);
});

test('a photo placed on part of a page is read at its own resolution, its words where the page shows them', async () => {
  // The statement shown in the page's lower right quarter, its 9 px print shown at 4.5 points.
  // Rendered at 200 dpi (enlarged 1.39 times without smoothing), 0.91 of its words came back.
  const { grey } = statement(612, 792, 9);
  const read = await words('quarter.pdf', scan({ width: 612, height: 792, grey, at: [306, 0, 306, 396] }));
  expect(recall(read)).toBeGreaterThanOrEqual(0.97);
  const invoices = read.filter((w) => w.Text === 'Invoice');
  expect(invoices.length).toBeGreaterThanOrEqual(28);
  for (const word of invoices) {
    expect(box(word).Left).toBeCloseTo(0.5 + 0.1 / 2, 2);
    expect(box(word).Top ?? 0).toBeGreaterThan(0.5);
  }
});

test('a page with text too short for its text layer to be taken is rendered and read', async () => {
  const pdf = writePdf([{ lines: [{ text: 'INVOICE 4417', x: 72, y: 700, size: 28 }] }]);
  const read = await words('short-text.pdf', pdf);
  expect(read.map((w) => w.Text)).toEqual(['INVOICE', '4417']);
  expect(box(read[0]!).Left).toBeCloseTo(72 / 612, 2);
  expect(baseline(read[1]!)).toBeCloseTo((792 - 700) / 792, 2);
});
