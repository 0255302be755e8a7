/**
 * LAYOUT classification from geometry, SIGNATURE from loose ink on a signature line, and the shape
 * of AnalyzeExpense documents built from recognised words.
 */
import type { Block } from '@aws-sdk/client-textract';
import { buildPageBlocks, type RecognisedLine, type RecognisedPage } from '@docket/local/textract/blocks';
import { expenseDocuments } from '@docket/local/textract/expense';
import { pageLayout } from '@docket/local/textract/layout';
import { toGrey } from '@docket/local/textract/selection';
import { pageInk } from '@docket/local/textract/tables/page-ink';
import { blankPage } from '../support/generated-pages';

const W = 1000;
const H = 1300;

/** A line of words at pixel (x, y), `size` px tall. */
function line(text: string, x: number, y: number, size = 14): RecognisedLine {
  let left = x;
  return {
    words: text.split(' ').map((t) => {
      const box = { left: left / W, top: y / H, width: (t.length * size * 0.55) / W, height: size / H };
      left += t.length * size * 0.55 + size * 0.4;
      return { text: t, confidence: 95, box };
    }),
  };
}

let ids = 0;
const newId = () => `id-${++ids}`;

function layoutOf(page: RecognisedPage, signatures = false): { blocks: Block[]; text: (b: Block) => string } {
  const [built] = buildPageBlocks([page], { withPage: false, newId });
  const { blocks } = pageLayout(built!, page.ink, { layout: true, signatures, tables: [], newId });
  const byId = new Map([...built!.lines.map((l) => l.block), ...blocks].map((b) => [b.Id, b]));
  const text = (b: Block): string =>
    (b.Relationships?.[0]?.Ids ?? [])
      .map((id) => byId.get(id))
      .map((c) => (c?.BlockType === 'LINE' ? (c.Text ?? '') : c ? text(c) : ''))
      .join(' / ');
  return { blocks, text };
}

test('LAYOUT: title, section header, text, list, key-value lines, running header, footer, page number', () => {
  const page: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Acme Quarterly Report', 100, 30),
      line('Annual Review', 100, 140, 36),
      line('SUMMARY', 100, 260),
      line('Sales grew in every region this quarter and the', 100, 300),
      line('board expects the same for the next one as well', 100, 320),
      line('1. Open two new stores', 100, 400),
      line('2. Hire ten engineers', 100, 420),
      line('3. Close the old warehouse', 100, 440),
      line('Prepared by: Jane Doe', 100, 520),
      line('Approved on: 3 March', 100, 540),
      line('Confidential', 100, 1250),
      line('Page 2 of 5', 800, 1250),
    ],
  };
  const { blocks, text } = layoutOf(page);
  const kinds = blocks.map((b) => `${b.BlockType}: ${text(b)}`);
  expect(kinds).toEqual(
    expect.arrayContaining([
      'LAYOUT_HEADER: Acme Quarterly Report',
      'LAYOUT_TITLE: Annual Review',
      'LAYOUT_SECTION_HEADER: SUMMARY',
      'LAYOUT_TEXT: Sales grew in every region this quarter and the / board expects the same for the next one as well',
      'LAYOUT_LIST: 1. Open two new stores / 2. Hire ten engineers / 3. Close the old warehouse',
      'LAYOUT_KEY_VALUE: Prepared by: Jane Doe / Approved on: 3 March',
      'LAYOUT_FOOTER: Confidential',
      'LAYOUT_PAGE_NUMBER: Page 2 of 5',
    ]),
  );
  // A list's items are LAYOUT_TEXT blocks under it.
  const list = blocks.find((b) => b.BlockType === 'LAYOUT_LIST');
  const items = (list?.Relationships?.[0]?.Ids ?? []).map((id) => blocks.find((b) => b.Id === id)?.BlockType);
  expect(items).toEqual(['LAYOUT_TEXT', 'LAYOUT_TEXT', 'LAYOUT_TEXT']);
});

test('LAYOUT: a footer is the block standing apart at the foot, all its lines; a form running on to the edge has none', () => {
  const footed: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Thank you for your business and see you again next month', 100, 300),
      // Two lines set apart at the foot, the first above the bottom margin.
      line('Payment is due within 30 days of the invoice date', 100, 1200),
      line('Questions: billing@example.com', 100, 1222),
    ],
  };
  const { blocks, text } = layoutOf(footed);
  expect(blocks.filter((b) => b.BlockType === 'LAYOUT_FOOTER').map(text)).toEqual([
    'Payment is due within 30 days of the invoice date / Questions: billing@example.com',
  ]);
  // A form's last rows of boxes' labels, in two columns, running into the bottom margin close under
  // the row before them.
  const form: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('How did you hear about us?', 100, 300),
      ...[1194, 1224, 1246, 1268].flatMap((y, i) => [
        line(`Option ${i + 1}`, 100, y),
        line(`Choice ${i + 1}`, 300, y),
      ]),
    ],
  };
  expect(layoutOf(form).blocks.some((b) => b.BlockType === 'LAYOUT_FOOTER')).toBe(false);
  // Two columns: the right one's prose runs to the foot of the page, the left one's footer stands apart.
  const columns: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Terms of the agreement', 100, 500),
      ...Array.from({ length: 16 }, (_, i) =>
        line('the parties agree to the terms set out', 560, 920 + i * 22),
      ),
      line('Acme Corp confidential', 100, 1250),
    ],
  };
  const laid = layoutOf(columns);
  expect(laid.blocks.filter((b) => b.BlockType === 'LAYOUT_FOOTER').map(laid.text)).toEqual([
    'Acme Corp confidential',
  ]);
});

/** A page with a scribble standing on a rule beside "Signature", and a rule with nothing on it. */
function signedPage(): RecognisedPage {
  const { context: ctx } = blankPage(W, H);
  ctx.fillRect(300, 1000, 400, 2);
  ctx.fillRect(300, 1150, 400, 2);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(320, 990);
  for (let i = 0; i < 20; i++) ctx.lineTo(320 + i * 12, 960 + (i % 2 === 0 ? -18 : 22));
  ctx.stroke();
  return {
    aspect: H / W,
    lines: [line('Signature', 100, 985), line('Date', 100, 1135)],
    ink: pageInk(toGrey(ctx.getImageData(0, 0, W, H).data, W, H)),
  };
}

test('SIGNATURE: ink on the signature line, none on the empty date line', () => {
  const { blocks } = layoutOf(signedPage(), true);
  const signatures = blocks.filter((b) => b.BlockType === 'SIGNATURE');
  expect(signatures).toHaveLength(1);
  const box = signatures[0]?.Geometry?.BoundingBox;
  expect(box?.Left).toBeGreaterThan(0.3);
  expect((box?.Left ?? 0) + (box?.Width ?? 0)).toBeLessThan(0.6);
  expect(box?.Top).toBeGreaterThan(900 / H);
  expect((box?.Top ?? 0) + (box?.Height ?? 0)).toBeLessThan(1005 / H);
});

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
