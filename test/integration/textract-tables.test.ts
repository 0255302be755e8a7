/**
 * Contract: tables, layout and expenses read from the page by the local Textract, through the real
 * SDK, on generated documents (no recorded response for them), and read back by docket's normaliser
 * as it reads real responses.
 */
import {
  AnalyzeDocumentCommand,
  AnalyzeExpenseCommand,
  GetExpenseAnalysisCommand,
  StartExpenseAnalysisCommand,
  type ExpenseDocument,
  type GetExpenseAnalysisCommandOutput,
} from '@aws-sdk/client-textract';
import { normalizePage } from '../../activities/normalize-page';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';
import { blankPage } from '../support/generated-pages';

let h: Harness;

beforeAll(async () => {
  h = await harness('tables');
  await h.setFaults({ documents: [{ match: '*', jobMs: 0 }] });
});
afterAll(async () => {
  await h.clearFaults();
  h.destroy();
});

/** A white page with `draw` on it, as PNG bytes. */
async function page(width: number, height: number, draw: (ctx: CanvasDraw) => void): Promise<Buffer> {
  const { canvas, context: ctx } = blankPage(width, height);
  ctx.font = '26px sans-serif';
  draw(ctx);
  return canvas.encode('png');
}
type CanvasDraw = ReturnType<typeof blankPage>['context'];

const rows = [
  ['Product', 'Quantity', 'Amount'],
  ['Paper', '12', '30.00'],
  ['Ink', '4', '86.50'],
  ['Staples', '20', '7.25'],
];

/** A ruled table of `rows`, its last row's first two cells merged into one "Total" cell, with a title. */
function ruledInvoice(): Promise<Buffer> {
  return page(1200, 900, (ctx) => {
    ctx.fillText('Office supplies ordered', 100, 120);
    const top = 160;
    const rowHeight = 60;
    const all = [...rows, ['Total', '', '123.75']];
    for (let r = 0; r <= all.length; r++) ctx.fillRect(100, top + r * rowHeight, 900, 3);
    ctx.fillRect(100, top, 3, all.length * rowHeight + 3);
    ctx.fillRect(1000, top, 3, all.length * rowHeight + 3);
    ctx.fillRect(400, top, 3, (all.length - 1) * rowHeight); // not across the Total row
    ctx.fillRect(700, top, 3, all.length * rowHeight);
    all.forEach((cells, r) =>
      cells.forEach((text, c) => ctx.fillText(text, 120 + c * 300, top + r * rowHeight + 40)),
    );
  });
}

test('AnalyzeDocument with TABLES returns a table the normaliser reads with the page cell by cell', async () => {
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { Bytes: await ruledInvoice() },
      FeatureTypes: ['TABLES', 'LAYOUT'],
    }),
  );
  const blocks = res.Blocks ?? [];
  const pageBlock = blocks.find((b) => b.BlockType === 'PAGE');
  const table = blocks.find((b) => b.BlockType === 'TABLE');
  expect(pageBlock?.Relationships?.[0]?.Ids).toContain(table?.Id);
  expect(blocks.filter((b) => b.BlockType === 'MERGED_CELL')).toHaveLength(1);
  expect(blocks.some((b) => b.BlockType === 'LAYOUT_TABLE')).toBe(true);

  const read = normalizePage(1, blocks);
  expect(read.parserWarnings).toBe(0);
  const [found] = read.tables.tables;
  expect(read.tables.tables).toHaveLength(1);
  expect(found?.rowCount).toBe(5);
  expect(found?.columnCount).toBe(3);
  expect(found?.headerRows).toEqual([1]);
  expect(found?.title?.text).toBe('Office supplies ordered');
  const text = (row: number, column: number) =>
    found?.cells.find((c) => c.row === row && c.column === column)?.text;
  rows.forEach((cells, r) => cells.forEach((t, c) => expect(text(r + 1, c + 1)).toBe(t)));
  // The merged Total cell: once, at its first column, spanning two.
  expect(found?.cells.find((c) => c.row === 5 && c.column === 1)).toMatchObject({
    columnSpan: 2,
    text: 'Total',
  });
  expect(text(5, 3)).toBe('123.75');
  expect(read.page.layout.map((item) => item.kind)).toContain('TABLE');
});

/** A shop receipt: the shop's name large, items with prices, then subtotal, tax and total. */
function receipt(): Promise<Buffer> {
  return page(900, 1100, (ctx) => {
    ctx.font = 'bold 48px sans-serif';
    ctx.fillText('CORNER GROCERY', 200, 110);
    ctx.font = '26px sans-serif';
    const lines = [
      ['Apples', '$3.20'],
      ['Bread loaf', '$2.50'],
      ['Orange juice', '$4.10'],
      ['Subtotal', '$9.80'],
      ['Tax', '$0.78'],
      ['Total', '$10.58'],
    ];
    lines.forEach(([label, amount], i) => {
      const y = 260 + i * 50 + (i >= 3 ? 40 : 0);
      ctx.fillText(label ?? '', 100, y);
      ctx.fillText(amount ?? '', 640, y);
    });
  });
}

test('AnalyzeDocument with LAYOUT lays out a barcode as a figure and its digits as text', async () => {
  const withBarcode = await page(900, 1100, (ctx) => {
    ctx.fillText('Thank you for shopping', 200, 120);
    ctx.fillText('Total  $10.58', 200, 180);
    // Bars one to four pixels wide with gaps of one to three, the widths cycling as a code's do.
    let x = 250;
    for (let i = 0; i < 70; i++) {
      const bar = 1 + ((i * 7) % 4);
      ctx.fillRect(x, 400, bar, 80);
      x += bar + 1 + ((i * 5) % 3);
    }
    ctx.fillText('0123 4567 8901', 300, 530);
  });
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({ Document: { Bytes: withBarcode }, FeatureTypes: ['LAYOUT'] }),
  );
  const blocks = res.Blocks ?? [];
  const figures = blocks.filter((b) => b.BlockType === 'LAYOUT_FIGURE');
  expect(figures).toHaveLength(1);
  const box = figures[0]?.Geometry?.BoundingBox;
  expect((box?.Left ?? 0) * 900).toBeCloseTo(250, -1);
  expect((box?.Top ?? 0) * 1100).toBeCloseTo(400, -1);
  expect(((box?.Top ?? 0) + (box?.Height ?? 0)) * 1100).toBeCloseTo(480, -1);
  // The code's digits under the bars are text, not part of the figure.
  const texts = blocks.filter((b) => b.BlockType === 'LAYOUT_TEXT');
  const lineText = (id: string) => blocks.find((b) => b.Id === id)?.Text;
  expect(texts.flatMap((t) => t.Relationships?.[0]?.Ids ?? []).map(lineText)).toContain('0123 4567 8901');
  expect(normalizePage(1, blocks).page.layout.map((item) => item.kind)).toContain('FIGURE');
});

function expectReceipt(doc: ExpenseDocument | undefined) {
  const summary = (type: string) =>
    doc?.SummaryFields?.find((f) => f.Type?.Text === type)?.ValueDetection?.Text;
  expect(summary('TOTAL')).toBe('$10.58');
  expect(summary('SUBTOTAL')).toBe('$9.80');
  expect(summary('TAX')).toBe('$0.78');
  expect(summary('VENDOR_NAME')).toBe('CORNER GROCERY');
  const items = doc?.LineItemGroups?.flatMap((g) => g.LineItems ?? []) ?? [];
  const field = (i: number, type: string) =>
    items[i]?.LineItemExpenseFields?.find((f) => f.Type?.Text === type)?.ValueDetection?.Text;
  expect(items.map((_, i) => field(i, 'ITEM'))).toEqual(['Apples', 'Bread loaf', 'Orange juice']);
  expect(items.map((_, i) => field(i, 'PRICE'))).toEqual(['$3.20', '$2.50', '$4.10']);
  expect(field(0, 'EXPENSE_ROW')).toBe('Apples $3.20');
  expect(doc?.Blocks?.some((b) => b.BlockType === 'WORD')).toBe(true);
}

test('AnalyzeExpense reads a receipt into summary fields and line items', async () => {
  const res = await h.textract.send(new AnalyzeExpenseCommand({ Document: { Bytes: await receipt() } }));
  expect(res.DocumentMetadata?.Pages).toBe(1);
  expect(res.ExpenseDocuments).toHaveLength(1);
  expectReceipt(res.ExpenseDocuments?.[0]);
});

test('StartExpenseAnalysis and GetExpenseAnalysis read the same receipt asynchronously', async () => {
  const key = await h.put('expense/receipt.png', await receipt());
  const { JobId } = await h.textract.send(
    new StartExpenseAnalysisCommand({
      DocumentLocation: { S3Object: { Bucket: contractBucket, Name: key } },
    }),
  );
  let res: GetExpenseAnalysisCommandOutput;
  for (;;) {
    res = await h.textract.send(new GetExpenseAnalysisCommand({ JobId }));
    if (res.JobStatus !== 'IN_PROGRESS') break;
    await new Promise((r) => setTimeout(r, 150));
  }
  expect(res.JobStatus).toBe('SUCCEEDED');
  expectReceipt(res.ExpenseDocuments?.[0]);
  for (const b of res.ExpenseDocuments?.[0]?.Blocks ?? []) expect(b.Page).toBe(1);
});

test('a recorded expense response next to the document is served as it is', async () => {
  const recorded = {
    DocumentMetadata: { Pages: 1 },
    ExpenseDocuments: [
      {
        ExpenseIndex: 1,
        SummaryFields: [
          { Type: { Text: 'TOTAL', Confidence: 99 }, ValueDetection: { Text: '$1.00', Confidence: 99 } },
        ],
        LineItemGroups: [],
        Blocks: [],
      },
    ],
  };
  const key = await h.put('expense/recorded.png', await receipt());
  await h.put('expense/recorded.png.expense.json', JSON.stringify(recorded));
  const res = await h.textract.send(
    new AnalyzeExpenseCommand({ Document: { S3Object: { Bucket: contractBucket, Name: key } } }),
  );
  expect(res.ExpenseDocuments).toEqual(recorded.ExpenseDocuments);
});
