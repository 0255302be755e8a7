/**
 * Through the real Textract client, on generated pages read by OCR: labels at the top of empty ruled
 * boxes are KEYs with empty VALUEs (a filled box's label keeps its value), light print on a dark bar
 * is read, a "$" just before an amount is one word with it, and page after page is read by the
 * service's long-lived tesseract processes.
 */
import { AnalyzeDocumentCommand, DetectDocumentTextCommand, type Block } from '@aws-sdk/client-textract';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';
import { blankPage } from '../support/generated-pages';
import { formPairs } from '../support/form-blocks';

let h: Harness;

beforeAll(async () => {
  h = await harness('blank-fields');
});
afterAll(() => h.destroy());

const [W, H] = [1020, 1320];

/** Two rows of ruled boxes (the first filled in, the second blank), a payee on a black bar, a total. */
function page(payee: string): Promise<Buffer> {
  const { canvas, context: c } = blankPage(W, H);
  c.font = '20px serif';
  c.fillText('Application for assistance', 90, 120);
  // Rules at y 200, 280, 360 from x 90 to 930; sides at 90, 520, 760, 930.
  for (const y of [200, 280, 360]) c.fillRect(90, y, 840, 2);
  for (const x of [90, 520, 760, 930]) c.fillRect(x, 200, 2, 162);
  const labels = [
    ['Home Address', 'City', 'State'],
    ['Mailing Address', 'Town', 'Zip'],
  ];
  labels.forEach((row, r) =>
    row.forEach((label, k) => c.fillText(label, [98, 528, 768][k] ?? 0, 200 + r * 80 + 28)),
  );
  c.font = '22px sans-serif';
  c.fillText('123 Sample Street', 110, 262);
  c.fillText('Springfield', 540, 262);
  c.fillText('Nevada', 780, 262);
  // The payee, white on a black bar.
  c.font = '20px serif';
  c.fillText('Pay to the order of', 90, 470);
  c.fillRect(300, 445, 320, 36);
  c.fillStyle = '#fff';
  c.font = 'bold 22px sans-serif';
  c.fillText(payee, 320, 472);
  c.fillStyle = '#000';
  c.font = '20px serif';
  c.fillText('Net pay this period', 90, 560);
  c.fillText('$', 400, 560);
  c.fillText('291.90', 416, 560);
  return canvas.encode('png');
}

function pairs(blocks: Block[]): Map<string, string> {
  return new Map(formPairs(blocks));
}

test('labels of empty ruled boxes are keys with empty values; filled boxes keep theirs', async () => {
  const key = await h.put('blank/application.png', await page('JANE ROE'));
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { S3Object: { Bucket: contractBucket, Name: key } },
      FeatureTypes: ['FORMS'],
    }),
  );
  const blocks = res.Blocks ?? [];
  const found = pairs(blocks);
  expect(found.get('Mailing Address')).toBe('');
  expect(found.get('Town')).toBe('');
  expect(found.get('Zip')).toBe('');
  // Filled boxes: their labels are no blank keys.
  expect(found.get('Home Address')).toBe('123 Sample Street');
  expect(found.get('City')).not.toBe('');
  expect(found.get('State')).not.toBe('');
  // The blank value's box is the empty space under its label, inside its box's rules.
  const index = new Map(blocks.map((b) => [b.Id, b]));
  const text = (b: Block) =>
    (b.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? []).map((id) => index.get(id)?.Text).join(' ');
  const zip = blocks.find((b) => b.EntityTypes?.includes('KEY') && text(b) === 'Zip');
  const value = index.get(zip?.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0]);
  const box = value?.Geometry?.BoundingBox ?? {};
  expect(box.Left).toBeCloseTo(760 / W, 1);
  expect((box.Top ?? 0) + (box.Height ?? 0)).toBeCloseTo(360 / H, 1);
});

test('light print on a dark bar and "$ 291.90" are read, document after document', async () => {
  for (const payee of ['JANE ROE', 'JOHN STILES']) {
    const key = await h.put(`blank/${payee.replace(' ', '-')}.png`, await page(payee));
    const res = await h.textract.send(
      new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: contractBucket, Name: key } } }),
    );
    const words = (res.Blocks ?? []).filter((b) => b.BlockType === 'WORD').map((b) => b.Text);
    expect(words).toEqual(expect.arrayContaining([...payee.split(' '), 'Pay', 'order']));
    expect(words.filter((w) => /291\.90/.test(w ?? ''))).toEqual([expect.stringMatching(/^\$ ?291\.90$/)]);
    expect(words).not.toContain('$');
  }
});
