/**
 * Print on a cheque's security pattern, through the real Textract client. Tesseract's page layout
 * takes the patterned band for a picture and reads none of the print on it; the local Textract finds
 * the ink no word covers, reads it again on its own, and returns its words with the page's others.
 */
import { DetectDocumentTextCommand } from '@aws-sdk/client-textract';
import { blankPage, statementLines, wordRecall } from '../support/generated-pages';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';

let h: Harness;

beforeAll(async () => {
  h = await harness('patterned-print');
});
afterAll(() => h.destroy());

const [w, ht] = [1020, 1320];
const statement = statementLines(14);
const cheque = [
  'Pay to the order of',
  'Harriet Quarry Meadow',
  'Amount: four hundred twelve and 35/100',
  'Station Harbour Bank 1137 Road',
];

/**
 * A statement above a cheque: a band of grey wavy lines 3 px apart (a security pattern, lighter than
 * print), with four lines of print on it.
 */
function page(): Promise<Buffer> {
  const { canvas, context } = blankPage(w, ht);
  context.font = '16px sans-serif';
  statement.forEach((words, i) => context.fillText(words.join(' '), 80, 100 + i * 36));
  context.strokeStyle = '#b0b0b0';
  context.lineWidth = 1;
  for (let y = 700; y < 1000; y += 3) {
    context.beginPath();
    for (let x = 40; x <= w - 40; x += 2) context.lineTo(x, y + Math.sin(x / 6) * 3);
    context.stroke();
  }
  cheque.forEach((text, i) => context.fillText(text, 80 + (i === 1 ? 220 : 0), 780 + i * 40));
  return canvas.encode('png');
}

test('print on a security pattern is read with the rest of the page', async () => {
  const key = await h.put('cheque.png', await page());
  const res = await h.textract.send(
    new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: contractBucket, Name: key } } }),
  );
  const blocks = res.Blocks ?? [];
  // Words read on the statement (above y=700) and on the cheque's band (y=700..1000), apart: the two
  // share words ("to", "Road", "Station"), so each is scored only on what was read where it is printed.
  const readIn = (y0: number, y1: number) =>
    blocks
      .filter((b) => b.BlockType === 'WORD')
      .filter((b) => {
        const top = (b.Geometry?.BoundingBox?.Top ?? 0) * ht;
        return top >= y0 && top < y1;
      })
      .map((b) => b.Text ?? '');
  const words = (lines: readonly string[]) => lines.flatMap((l) => l.split(' '));
  const printedStatement = words(statement.map((l) => l.join(' ')));
  expect(wordRecall(printedStatement, readIn(0, 700))).toBeGreaterThanOrEqual(0.95);
  const onCheque = readIn(700, 1000);
  expect(wordRecall(words(cheque), onCheque)).toBeGreaterThanOrEqual(0.9);
  // The pattern itself reads as nothing: on the band, no word that was not printed there.
  const printed = new Set(words(cheque));
  expect(onCheque.filter((word) => !printed.has(word)).length).toBeLessThanOrEqual(2);
  // The cheque's lines come back as lines where they are printed, after every line of the statement.
  const lines = blocks.filter((b) => b.BlockType === 'LINE');
  const amount = lines.findIndex((b) => b.Text?.startsWith('Amount'));
  const top = lines[amount]?.Geometry?.BoundingBox?.Top ?? 0;
  expect(top * ht).toBeGreaterThan(835);
  expect(top * ht).toBeLessThan(865);
  const lastStatement = lines
    .map((b) => b.Text ?? '')
    .reduce((at, text, i) => (text.startsWith('Invoice') ? i : at), -1);
  expect(lastStatement).toBeGreaterThanOrEqual(0);
  expect(amount).toBeGreaterThan(lastStatement);
});
