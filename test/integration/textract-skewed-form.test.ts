/**
 * A form scanned a few degrees askew, through the real Textract client: the local Textract
 * straightens it before reading, so its fields still pair and its ticked boxes still read as ticked,
 * and it reports the boxes where they are on the page as stored.
 */
import { AnalyzeDocumentCommand, type Block } from '@aws-sdk/client-textract';
import { turnedPage } from '../support/generated-pages';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';
import { formPairs } from '../support/form-blocks';

let h: Harness;

beforeAll(async () => {
  h = await harness('skewed-form');
});
afterAll(() => h.destroy());

const ticks = [
  { label: 'Apartment', ticked: false },
  { label: 'House', ticked: true },
  { label: 'Mobile Home', ticked: false },
  { label: 'Duplex', ticked: true },
];

/** A generated letter-size form at 120 dpi, turned `degrees` clockwise as a crooked scan would be. */
function form(degrees: number): Promise<Buffer> {
  const [w, h] = [1020, 1320];
  const { canvas, context } = turnedPage(w, h, degrees);
  context.strokeStyle = '#000';
  context.font = 'bold 30px sans-serif';
  context.fillText('HOUSING APPLICATION', 300, 120);
  context.font = '20px sans-serif';
  context.fillText('Applicant Name: Maria Jones', 90, 220);
  context.fillText('Telephone: 555-0142', 90, 270);
  context.fillText('Date of Birth: 04/12/1981', 560, 270);
  context.fillText('Monthly Rent: $1,250.00', 90, 320);
  context.fillText('Dwelling type (tick one or more):', 90, 400);
  ticks.forEach(({ label, ticked }, i) => {
    const [x, y] = [110 + (i % 2) * 420, 440 + Math.floor(i / 2) * 60];
    context.lineWidth = 2;
    context.strokeRect(x, y, 22, 22);
    if (ticked) {
      context.lineWidth = 3;
      context.beginPath();
      context.moveTo(x + 4, y + 12);
      context.lineTo(x + 10, y + 18);
      context.lineTo(x + 19, y + 4);
      context.stroke();
    }
    context.fillText(label, x + 36, y + 19);
  });
  for (let line = 0; line < 8; line++)
    context.fillText(
      'I declare that the information in this application is true and complete.',
      90,
      640 + line * 34,
    );
  return canvas.encode('png');
}

/** Form pairs by key, without a key's trailing colon. */
function pairs(blocks: Block[]): Map<string, string> {
  return new Map(formPairs(blocks).map(([key, value]) => [key.replace(/:$/, ''), value]));
}

test('a form scanned 3° askew still yields its pairs and its ticked boxes', async () => {
  const key = await h.put('skewed/application.png', await form(3));
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { S3Object: { Bucket: contractBucket, Name: key } },
      FeatureTypes: ['FORMS'],
    }),
  );
  const blocks = res.Blocks ?? [];
  const found = pairs(blocks);
  expect(found.get('Applicant Name')).toBe('Maria Jones');
  expect(found.get('Telephone')).toBe('555-0142');
  expect(found.get('Date of Birth')).toBe('04/12/1981');
  expect(found.get('Monthly Rent')).toBe('$1,250.00');
  for (const { label, ticked } of ticks) expect(found.get(label)).toBe(ticked ? 'SELECTED' : 'NOT_SELECTED');
  // Geometry on the page as stored: a line of text runs down to the right, as the scan shows it.
  const line = blocks.find((b) => b.BlockType === 'LINE' && b.Text?.startsWith('I declare'));
  const [topLeft, topRight] = line?.Geometry?.Polygon ?? [];
  const slope =
    (((topRight?.Y ?? 0) - (topLeft?.Y ?? 0)) * (1320 / 1020)) / ((topRight?.X ?? 0) - (topLeft?.X ?? 1));
  expect(Math.atan(slope) * (180 / Math.PI)).toBeCloseTo(3, 0);
});

test('the same form upright reads the same pairs: straightening changes nothing there', async () => {
  const key = await h.put('skewed/application-upright.png', await form(0));
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { S3Object: { Bucket: contractBucket, Name: key } },
      FeatureTypes: ['FORMS'],
    }),
  );
  const found = pairs(res.Blocks ?? []);
  expect(found.get('Applicant Name')).toBe('Maria Jones');
  for (const { label, ticked } of ticks) expect(found.get(label)).toBe(ticked ? 'SELECTED' : 'NOT_SELECTED');
});
