/**
 * Unruled tables among blocks of text on generated pages: a list of keys and figures read apart from
 * the address beside it (a wide gutter), key-value tables of two rows and with values in a column,
 * a heading row over one row of values, and rows kept apart when OCR grows a word's box.
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

test('a key read in one line with its value is split when the values below start where it does', () => {
  // "Federal:" ends 16 px further right than "State:" and "Local:", yet the three values start at x 172.
  const federal = words('Federal: 3 Allowances', 100, 100);
  const lines = [
    federal,
    words('State:', 100, 122),
    words('2', 172, 122),
    { words: [word('Local:', 100, 144), word('2', 172, 144)] },
  ];
  expect(federal.words[1]!.box.left).toBeCloseTo(172 / W);
  expect(tablesOf(lines)).toEqual([
    [
      ['Federal:', '3 Allowances'],
      ['State:', '2'],
      ['Local:', '2'],
    ],
  ]);
  // Values that follow their keys, wherever those end, stay in their lines: no table.
  const following = [
    words('Name: Jane Doe', 100, 300),
    words('Date of birth: 01/02/80', 100, 322),
    words('Member no: 2231', 100, 344),
  ];
  expect(tablesOf(following)).toEqual([]);
});

test('a row whose word box OCR grew up into the row above keeps its own row', () => {
  const rows: [string, string, string][] = [
    ['Item', 'Qty', 'Price'],
    ['Paper', '2', '10.00'],
    ['Pens', '5', '4.50'],
  ];
  const lines: RecognisedLine[] = rows.flatMap(([a, b, c], i) => {
    const y = 100 + i * 22;
    return [words(a, 100, y), words(b, 400, y), words(c, 600, y)];
  });
  // The last row read as one line, "Ink" boxed from the top of the "Pens" row (y 144..158) down.
  const ink = {
    ...word('Ink', 100, 166),
    box: { ...word('Ink', 100, 166).box, top: 144 / H, height: 36 / H },
  };
  lines.push({ words: [ink, word('1', 400, 166), word('3.00', 600, 166)] });
  lines.push(words('Tape', 100, 188), words('4', 400, 188), words('2.00', 600, 188));
  const [table] = tablesOf(lines);
  expect(table?.[2]).toEqual(['Pens', '5', '4.50']);
  expect(table?.[3]).toEqual(['Ink', '1', '3.00']);
});

test('a heading row over one row of values, word for word, is a table of two rows', () => {
  const lines = [
    {
      words: [164, 212, 268, 324, 372].map((x, i) =>
        word(['CO.', 'FILE', 'DEPT.', 'CLOCK', 'NUMBER'][i]!, x, 100),
      ),
    },
    { words: [word('ABC', 164, 118), word('126543', 212, 118), word('123456', 268, 118)] },
    { words: [word('12345', 324, 118), word('00000000', 372, 118)] },
    // A stray mark after the values and a heading beside the table are not its.
    words('1', 470, 118),
    words('Earnings Statement', 600, 116),
  ];
  expect(tablesOf(lines)).toEqual([
    [
      ['CO.', 'FILE', 'DEPT.', 'CLOCK', 'NUMBER'],
      ['ABC', '126543', '123456', '12345', '00000000'],
    ],
  ]);
});

test("a statement's dates and an invoice's quantities before their descriptions are the table's first column", () => {
  // Date | Description | Amount | Balance: values, then words, then values, as every statement prints.
  const rows: [string, string, string, string][] = [
    ['Date', 'Description', 'Amount', 'Balance'],
    ['03/01', 'Opening balance', '', '4,312.55'],
    ['03/04', 'Grocery outlet purchase', '86.12', '4,226.43'],
    ['03/07', 'Payroll deposit', '1,475.00', '5,701.43'],
    ['03/11', 'Transfer to savings', '500.00', '5,201.43'],
  ];
  const lines = rows.flatMap(([a, b, c, d], i) => {
    const y = 100 + i * 24;
    return [words(a, 60, y), words(b, 160, y), ...(c ? [words(c, 560, y)] : []), words(d, 720, y)];
  });
  const [table] = tablesOf(lines);
  expect(table?.map((r) => r[0])).toEqual(['Date', '03/01', '03/04', '03/07', '03/11']);
  expect(table?.[2]).toEqual(['03/04', 'Grocery outlet purchase', '86.12', '4,226.43']);
});

test("a description's second line set close under it goes on in its cell; a row apart stays a row", () => {
  const lines: RecognisedLine[] = [
    words('Qty', 60, 100),
    words('Description', 160, 100),
    words('Total', 720, 100),
    words('25', 60, 130),
    words('Aluminium enclosure, anodised black,', 160, 130),
    words('460.00', 720, 130),
    // The same cell's next line, 4 px under the first (a paragraph's leading).
    words('IP65 rated', 160, 148),
    words('100', 60, 178),
    words('Cable gland M20', 160, 178),
    words('85.00', 720, 178),
    words('4', 60, 208),
    words('Mounting bracket kit', 160, 208),
    words('0.00', 720, 208),
    // A line a row's pitch under the last: a row of its own, not the cell's next line.
    words('Spare parts', 160, 238),
    words('2', 60, 268),
    words('Gasket set', 160, 268),
    words('12.00', 720, 268),
  ];
  const [table] = tablesOf(lines);
  expect(table?.[1]).toEqual(['25', 'Aluminium enclosure, anodised black, IP65 rated', '460.00']);
  expect(table?.[2]).toEqual(['100', 'Cable gland M20', '85.00']);
  expect(table?.[4]).toEqual(['', 'Spare parts', '']);
  expect(table?.length).toBe(6);
});

test('a line close under the last row stays out of the table; values alone across a wide gap are a table', () => {
  // A header over a row with an empty cell: the wrapped line under the first row must not cost it.
  const lines = [words('Description', 160, 100), words('Unit', 560, 100), words('Amount', 720, 100)];
  lines.push(words('Aluminium enclosure', 160, 130), words('12.00', 560, 130), words('24.00', 720, 130));
  lines.push(words('IP65 rated', 160, 148));
  lines.push(words('Setup fee', 160, 178), words('150.00', 720, 178));
  lines.push(words('Cable gland', 160, 208), words('8.00', 560, 208), words('16.00', 720, 208));
  // A note set as close under the last row as a wrapped line would be.
  lines.push(words('Thank you for your business', 160, 226));
  const [table] = tablesOf(lines);
  expect(table).toEqual([
    ['Description', 'Unit', 'Amount'],
    ['Aluminium enclosure IP65 rated', '12.00', '24.00'],
    ['Setup fee', '', '150.00'],
    ['Cable gland', '8.00', '16.00'],
  ]);
  // "Date | Amount" beside "Description | Amount" across a wide gutter: two tables.
  const side = [
    ['Date', 'Amount', 'Description', 'Amount'],
    ...[1, 2, 3].map((i) => [`03/0${i}`, `${i}0.00`, `Fee ${'abc'[i - 1]}`, `${i}.50`]),
  ];
  const sideLines = side.flatMap(([a, b, c, d], i) => {
    const y = 400 + i * 24;
    return [words(a!, 60, y), words(b!, 160, y), words(c!, 520, y), words(d!, 720, y)];
  });
  expect(tablesOf(sideLines).map((t) => t[0])).toEqual([
    ['Date', 'Amount'],
    ['Description', 'Amount'],
  ]);
});

test('two headings OCR read as one piece over two columns of figures are two columns, a cell each', () => {
  const lines = [
    words('Date', 60, 100),
    words('Description', 160, 100),
    // "Withdrawals" and "Deposits" read as one line: one word's space apart, right-aligned over their columns.
    words('Withdrawals Deposits', 470, 100),
    words('Balance', 720, 100),
  ];
  const rows: [string, string, string, string][] = [
    ['03/01', 'Grocery outlet', '86.12', ''],
    ['03/04', 'Payroll deposit', '', '1,475.00'],
    ['03/07', 'Transfer to savings', '500.00', ''],
    ['03/09', 'Refund', '', '23.10'],
  ];
  rows.forEach(([date, text, out, into], i) => {
    const y = 124 + i * 24;
    lines.push(words(date, 60, y), words(text, 160, y), words(`${4000 - i}.00`, 720, y));
    if (out) lines.push(words(out, 518 - out.length * 8, y));
    if (into) lines.push(words(into, 630 - into.length * 8, y));
  });
  const [table] = tablesOf(lines);
  expect(table?.[0]).toEqual(['Date', 'Description', 'Withdrawals', 'Deposits', 'Balance']);
  expect(table?.[2]).toEqual(['03/04', 'Payroll deposit', '', '1,475.00', '3999.00']);
  const [built] = buildPageBlocks([{ lines, aspect: H / W }], { withPage: false, newId });
  const [found] = findTables(built!, undefined, { newId });
  expect(found?.blocks.filter((b) => b.BlockType === 'MERGED_CELL')).toEqual([]);
});
