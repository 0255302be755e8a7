/**
 * Unruled tables among blocks of text on generated pages: a list of keys and figures read apart from
 * the address beside it (a wide gutter), and key-value tables of two rows.
 */
import type { Block } from '@aws-sdk/client-textract';
import { buildPageBlocks, type RecognisedLine } from '@docket/local/textract/blocks';
import { findTables } from '@docket/local/textract/tables';
import { pixelWords } from '../support/generated-pages';

const W = 1000;
const H = 800;

/** A word at pixel (x, y), 14 px tall, 8 px a character, as OCR would report it. */
const word = pixelWords(W, H, 14);

/** One line of words from `x`, `space` px between words (one space by default). */
function words(text: string, x: number, y: number, space = 8): RecognisedLine {
  let at = x;
  return {
    words: text.split(' ').map((t) => {
      const w = word(t, at, y);
      at += t.length * 8 + space;
      return w;
    }),
  };
}

let ids = 0;
const newId = () => `id-${++ids}`;

/** Each table's cells as rows of texts. */
function tablesOf(lines: RecognisedLine[]): string[][][] {
  const [built] = buildPageBlocks([{ lines, aspect: H / W }], { withPage: false, newId });
  const byId = new Map(built!.lines.flatMap((l) => l.words).map((b) => [b.Id, b]));
  return findTables(built!, undefined, { newId }).map((t) => {
    const rows: string[][] = [];
    for (const c of t.blocks.filter((b: Block) => b.BlockType === 'CELL')) {
      const row = (rows[(c.RowIndex ?? 1) - 1] ??= []);
      row[(c.ColumnIndex ?? 1) - 1] = (c.Relationships?.[0]?.Ids ?? [])
        .map((id) => byId.get(id)?.Text)
        .join(' ');
    }
    return rows;
  });
}

test('a list of keys and figures beside an address, across a wide gutter, is a table without the address', () => {
  const lines: RecognisedLine[] = [];
  const address = ['Demo Supplies Ltd', 'Suite 5A North Wing', 'Springfield Road'];
  const keys: [string, string][] = [
    ['Invoice Number', 'INV-3337'],
    ['Order Number', '12345'],
    ['Due Date', 'January 31, 2016'],
  ];
  keys.forEach(([key, value], i) => {
    const y = 100 + i * 22;
    lines.push(words(address[i]!, 80, y), words(key, 560, y), words(value, 740, y));
  });
  expect(tablesOf(lines)).toEqual([
    [
      ['Invoice Number', 'INV-3337'],
      ['Order Number', '12345'],
      ['Due Date', 'January 31, 2016'],
    ],
  ]);
});

test('item names and prices far apart stay one table: figures beyond a gutter are a column', () => {
  const items: [string, string][] = [
    ['LG FLATSCREEN 65', '$899.99'],
    ['SONY VIAO I7', '$689.99'],
    ['APPLE TV V4', '$89.99'],
  ];
  const lines = items.flatMap(([name, price], i) => [
    words(name, 20, 100 + i * 22),
    words(price, 800, 100 + i * 22),
  ]);
  expect(tablesOf(lines)).toEqual([items]);
});

test('two rows of keys over keys and dates over dates are a table', () => {
  const lines = [
    words('Period ending:', 560, 100),
    words('7/18/2008', 740, 100),
    words('Pay date:', 560, 122),
    words('7/25/2008', 740, 122),
  ];
  expect(tablesOf(lines)).toEqual([
    [
      ['Period ending:', '7/18/2008'],
      ['Pay date:', '7/25/2008'],
    ],
  ]);
});
