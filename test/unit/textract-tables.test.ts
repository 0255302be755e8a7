/**
 * The table finder on generated pages: a ruled table drawn with a merged cell (its rulings read from
 * the pixels), and an unruled price list whose columns come from how its words line up.
 */
import type { Block } from '@aws-sdk/client-textract';
import { buildPageBlocks, type RecognisedLine, type RecognisedPage } from '@docket/local/textract/blocks';
import { toGrey } from '@docket/local/textract/selection';
import { findTables } from '@docket/local/textract/tables';
import { pageInk } from '@docket/local/textract/tables/page-ink';
import { blankPage, pixelWords } from '../support/generated-pages';

const W = 1000;
const H = 800;

/** A word at pixel (x, y), 14 px tall, 8 px a character, as OCR would report it. */
const word = pixelWords(W, H, 14);

const line = (...words: ReturnType<typeof word>[]): RecognisedLine => ({ words });

let ids = 0;
const newId = () => `id-${++ids}`;

function cellTexts(blocks: Block[], page: { lines: { words: Block[] }[] }) {
  const byId = new Map([...blocks, ...page.lines.flatMap((l) => l.words)].map((b) => [b.Id, b]));
  return blocks
    .filter((b) => b.BlockType === 'CELL')
    .map((cell) => ({
      row: cell.RowIndex,
      column: cell.ColumnIndex,
      header: cell.EntityTypes?.includes('COLUMN_HEADER') ?? false,
      text: (cell.Relationships?.[0]?.Ids ?? []).map((id) => byId.get(id)?.Text).join(' '),
    }));
}

/**
 * A 3-column ruled table: header row, two item rows, and a last row whose first two cells are one
 * (no rule between them), drawn at x 100..700, y 100..300 (rows 50 px apart).
 */
function ruledTable() {
  const { context: ctx } = blankPage(W, H);
  for (const y of [100, 150, 200, 250, 300]) ctx.fillRect(100, y, 600, 2);
  ctx.fillRect(100, 100, 2, 200);
  ctx.fillRect(700, 100, 2, 202);
  ctx.fillRect(300, 100, 2, 150); // stops at the last row: its first two cells are merged
  ctx.fillRect(500, 100, 2, 200);
  const image = ctx.getImageData(0, 0, W, H);
  const page: RecognisedPage = {
    lines: [
      line(word('Description', 110, 118), word('Quantity', 310, 118), word('Amount', 510, 118)),
      line(word('Paper', 110, 168), word('2', 310, 168), word('10.00', 510, 168)),
      line(word('Pens', 110, 218), word('5', 310, 218), word('4.50', 510, 218)),
      line(word('Total', 110, 268), word('14.50', 510, 268)),
    ],
    aspect: H / W,
    ink: pageInk(toGrey(image.data, W, H)),
  };
  return page;
}

test('a ruled table: rows and columns from its rules, the header row, a merged cell over two cells', () => {
  const page = ruledTable();
  const [built] = buildPageBlocks([page], { withPage: false, newId });
  const tables = findTables(built!, page.ink, { newId });
  expect(tables).toHaveLength(1);
  const blocks = tables[0]!.blocks;
  const table = blocks[0]!;
  expect(table.BlockType).toBe('TABLE');
  expect(table.EntityTypes).toEqual(['STRUCTURED_TABLE']);
  const cells = cellTexts(blocks, built!);
  expect(cells).toHaveLength(12);
  expect(cells.filter((c) => c.header).map((c) => c.text)).toEqual(['Description', 'Quantity', 'Amount']);
  expect(cells.find((c) => c.row === 3 && c.column === 3)?.text).toBe('4.50');
  expect(cells.find((c) => c.row === 4 && c.column === 1)?.text).toBe('Total');
  const merged = blocks.filter((b) => b.BlockType === 'MERGED_CELL');
  expect(merged).toHaveLength(1);
  expect(merged[0]).toMatchObject({ RowIndex: 4, ColumnIndex: 1, RowSpan: 1, ColumnSpan: 2 });
  // The merged cell's CHILDren are the two cells it covers; the TABLE lists it under MERGED_CELL.
  const covered = merged[0]!.Relationships?.[0]?.Ids ?? [];
  expect(covered.map((id) => blocks.find((b) => b.Id === id)?.ColumnIndex)).toEqual([1, 2]);
  expect(table.Relationships?.find((r) => r.Type === 'MERGED_CELL')?.Ids).toEqual([merged[0]!.Id]);
  for (const b of blocks) expect(b.Geometry?.Polygon).toHaveLength(4);
});

test('an empty ruled frame and a page of plain prose give no table', () => {
  const { context: ctx } = blankPage(W, H);
  ctx.strokeRect(50, 50, 900, 700);
  const prose: RecognisedPage = {
    lines: [0, 1, 2, 3].map((i) =>
      line(word('The', 100, 100 + i * 20), word('quick', 140, 100 + i * 20), word('fox', 190, 100 + i * 20)),
    ),
    aspect: H / W,
    ink: pageInk(toGrey(ctx.getImageData(0, 0, W, H).data, W, H)),
  };
  const [built] = buildPageBlocks([prose], { withPage: false, newId });
  expect(findTables(built!, prose.ink, { newId })).toEqual([]);
});

test('an unruled price list: columns from alignment, a title above it, a spanning label', () => {
  const rows = [
    ['Item', 'Qty', 'Price'],
    ['Coffee beans', '2', '$18.00'],
    ['Filter papers', '1', '$4.20'],
    ['Milk', '3', '$3.30'],
  ];
  const lines: RecognisedLine[] = [line(word('Order', 100, 60), word('summary', 150, 60))];
  rows.forEach((cells, r) => {
    const y = 100 + r * 24;
    const [a, b, c] = cells as [string, string, string];
    lines.push(
      line(...a.split(' ').map((t, i) => word(t, 100 + i * 60, y))),
      line(word(b, 400, y)),
      line(word(c, 600, y)),
    );
  });
  // A label reaching across the first two columns.
  lines.push(
    line(
      word('Delivery', 100, 196),
      word('charge', 170, 196),
      word('for', 230, 196),
      word('region', 262, 196),
      word('north', 318, 196),
      word('east', 366, 196),
      word('zone', 406, 196),
    ),
    line(word('$5.00', 600, 196)),
  );
  lines.push(
    line(word('*', 100, 224), word('prices', 112, 224), word('include', 170, 224), word('tax', 234, 224)),
  );
  const page: RecognisedPage = { lines, aspect: H / W };
  const [built] = buildPageBlocks([page], { withPage: true, newId });
  const tables = findTables(built!, undefined, { newId });
  expect(tables).toHaveLength(1);
  const blocks = tables[0]!.blocks;
  const cells = cellTexts(blocks, built!);
  expect(Math.max(...cells.map((c) => c.row ?? 0))).toBe(5);
  expect(Math.max(...cells.map((c) => c.column ?? 0))).toBe(3);
  expect(cells.filter((c) => c.header).map((c) => c.text)).toEqual(['Item', 'Qty', 'Price']);
  expect(cells.find((c) => c.row === 2 && c.column === 1)?.text).toBe('Coffee beans');
  expect(cells.find((c) => c.row === 4 && c.column === 3)?.text).toBe('$3.30');
  expect(blocks.find((b) => b.BlockType === 'MERGED_CELL')).toMatchObject({
    RowIndex: 5,
    ColumnIndex: 1,
    ColumnSpan: 2,
  });
  const title = blocks.find((b) => b.BlockType === 'TABLE_TITLE');
  expect(title?.Relationships?.[0]?.Ids).toHaveLength(2);
  expect(blocks[0]?.Relationships?.find((r) => r.Type === 'TABLE_TITLE')?.Ids).toEqual([title?.Id]);
  const footer = blocks.find((b) => b.BlockType === 'TABLE_FOOTER');
  expect(footer?.Relationships?.[0]?.Ids).toHaveLength(4);
  expect(blocks[0]?.Relationships?.find((r) => r.Type === 'TABLE_FOOTER')?.Ids).toEqual([footer?.Id]);
  // Async results carry Page on every block.
  for (const b of blocks) expect(b.Page).toBe(1);
});

test('two columns of words side by side (an address block) are not a table', () => {
  const lines: RecognisedLine[] = [];
  ['Head office', 'North street', 'Springfield'].forEach((t, i) => {
    lines.push(line(...t.split(' ').map((w, j) => word(w, 100 + j * 70, 100 + i * 22))));
    lines.push(line(...t.split(' ').map((w, j) => word(w, 500 + j * 70, 100 + i * 22))));
  });
  const [built] = buildPageBlocks([{ lines, aspect: H / W }], { withPage: false, newId });
  expect(findTables(built!, undefined, { newId })).toEqual([]);
});
