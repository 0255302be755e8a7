/**
 * The shape of AnalyzeExpense documents built from recognised words: summary fields with their
 * label and value, line items from the rows, geometry on the page as stored.
 */
import type { RecognisedPage } from '@docket/local/textract/blocks';
import { expenseDocuments } from '@docket/local/textract/expense';
import { pixelLines } from '../support/generated-pages';

const W = 1000;
const H = 1300;

/** A line of words at pixel (x, y), `size` px tall. */
const line = pixelLines(W, H);

let ids = 0;
const newId = () => `id-${++ids}`;

test('AnalyzeExpense documents: summary fields with label and value, line items from the rows', () => {
  const page: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('BAKERY ROYALE', 300, 60, 30),
      line('Invoice No: 4471', 100, 160),
      line('Croissant', 100, 260),
      line('$2.40', 700, 260),
      line('Baguette', 100, 290),
      line('$3.10', 700, 290),
      line('Total', 100, 360),
      line('$5.50', 700, 360),
    ],
  };
  const [doc] = expenseDocuments([page], { withPage: false, newId });
  const field = (type: string) => doc?.SummaryFields?.find((f) => f.Type?.Text === type);
  expect(field('VENDOR_NAME')?.ValueDetection?.Text).toBe('BAKERY ROYALE');
  expect(field('INVOICE_RECEIPT_ID')).toMatchObject({
    LabelDetection: { Text: 'Invoice No:' },
    ValueDetection: { Text: '4471' },
    PageNumber: 1,
  });
  expect(field('TOTAL')?.ValueDetection).toMatchObject({ Text: '$5.50' });
  expect(field('TOTAL')?.Currency?.Code).toBe('USD');
  expect(field('TOTAL')?.ValueDetection?.Geometry?.Polygon).toHaveLength(4);
  const items = doc?.LineItemGroups?.[0]?.LineItems ?? [];
  expect(
    items.map((i) => i.LineItemExpenseFields?.map((f) => `${f.Type?.Text}=${f.ValueDetection?.Text}`)),
  ).toEqual([
    ['ITEM=Croissant', 'PRICE=$2.40', 'EXPENSE_ROW=Croissant $2.40'],
    ['ITEM=Baguette', 'PRICE=$3.10', 'EXPENSE_ROW=Baguette $3.10'],
  ]);
  expect(doc?.Blocks?.map((b) => b.BlockType)).toEqual(expect.arrayContaining(['PAGE', 'LINE', 'WORD']));
  expect(doc?.Blocks?.every((b) => b.Page === undefined)).toBe(true);
});

test('AnalyzeExpense geometry of a page read upside down is on the page as stored', () => {
  const lines = [line('Total', 100, 360), line('$5.50', 700, 360)];
  const box = (turns: 0 | 2) =>
    expenseDocuments([{ aspect: H / W, lines, turns }], { withPage: false, newId })[0]?.SummaryFields?.find(
      (f) => f.Type?.Text === 'TOTAL',
    )?.ValueDetection?.Geometry?.BoundingBox;
  const upright = box(0);
  const stored = box(2);
  expect(stored?.Left).toBeCloseTo(1 - (upright?.Left ?? 0) - (upright?.Width ?? 0), 6);
  expect(stored?.Top).toBeCloseTo(1 - (upright?.Top ?? 0) - (upright?.Height ?? 0), 6);
});
