/**
 * Figures in small print through the real Textract client: at 8-pixel print OCR often drops a
 * figure's decimal point ("1600" for "16.00"); the local Textract puts it back from the word's
 * pixels, so the amounts come back as printed, and integers stay integers.
 */
import { DetectDocumentTextCommand } from '@aws-sdk/client-textract';
import { GlobalFonts } from '@napi-rs/canvas';
import { blankPage } from '../support/generated-pages';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';

let h: Harness;

beforeAll(async () => {
  // Debian's fonts-dejavu-core: a sans face like a payslip's (the canvas's default is a serif).
  expect(
    GlobalFonts.registerFromPath('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'Docket Sans'),
  ).toBeTruthy();
  h = await harness('small-figures');
});
afterAll(() => h.destroy());

/** Rows of a pay statement: an item, its hours, rate and amount, and a reference number. */
const rows = Array.from({ length: 24 }, (_, i) => {
  const hours = ((i * 7) % 40) + 1;
  const rate = 8 + ((i * 13) % 30) + ((i * 37) % 100) / 100;
  return {
    item: ['Regular', 'Overtime', 'Holiday', 'Bonus'][i % 4] ?? '',
    hours: String(hours),
    rate: rate.toFixed(2),
    amount: (hours * rate).toFixed(2),
    reference: String(40213 + i * 1117),
  };
});

/** The statement printed at 8 px, as a payslip scanned at 100 dpi. */
function statement(): Promise<Buffer> {
  const { canvas, context } = blankPage(700, 560);
  context.font = '8px Docket Sans';
  rows.forEach((row, i) => {
    const y = 40 + i * 20;
    context.fillText(row.item, 40, y);
    context.fillText(row.hours, 160, y);
    context.fillText(row.rate, 240, y);
    context.fillText(row.amount, 340, y);
    context.fillText(row.reference, 460, y);
  });
  return canvas.encode('png');
}

test('amounts in small print come back with their decimal points, integers without', async () => {
  const key = await h.put('small-figures/statement.png', await statement());
  const res = await h.textract.send(
    new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: contractBucket, Name: key } } }),
  );
  const read = (res.Blocks ?? []).filter((b) => b.BlockType === 'WORD').map((b) => b.Text ?? '');
  const amounts = rows.flatMap((r) => [r.rate, r.amount]);
  // Measured: 46 of the 48 come back; OCR alone gives 34, and 12 without their point.
  expect(amounts.filter((a) => read.includes(a)).length).toBeGreaterThanOrEqual(44);
  expect(amounts.filter((a) => read.includes(a.replace('.', '')))).toEqual([]);
  // Hours and reference numbers gain no point.
  const integers = rows.flatMap((r) => [r.hours, r.reference]);
  expect(read.filter((w) => /[.,]/.test(w) && integers.includes(w.replace(/[.,]/g, '')))).toEqual([]);
});
