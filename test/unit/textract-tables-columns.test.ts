/**
 * Column rules of the unruled-table finder on generated pages: headings standing close together head
 * two columns when figures stand under each of them apart, tables side by side split at a wide
 * empty gutter, and a heading of a table beside another wrapped onto the line above is one cell.
 */
import type { Block } from '@aws-sdk/client-textract';
import { buildPageBlocks, type RecognisedLine } from '@docket/local/textract/blocks';
import { findTables } from '@docket/local/textract/tables';
import { pixelWords } from '../support/generated-pages';

const W = 1000;
const H = 800;

/** A word at pixel (x, y), 14 px tall, 8 px a character, as OCR would report it. */
const word = pixelWords(W, H, 14);

/** One line of words from `x`, one space (8 px) between words. */
function words(text: string, x: number, y: number): RecognisedLine {
  let at = x;
  return {
    words: text.split(' ').map((t) => {
      const w = word(t, at, y);
      at += (t.length + 1) * 8;
      return w;
    }),
  };
}

let ids = 0;
const newId = () => `id-${++ids}`;

function tablesOf(lines: RecognisedLine[]) {
  const [built] = buildPageBlocks([{ lines, aspect: H / W }], { withPage: false, newId });
  const byId = new Map(built!.lines.flatMap((l) => l.words).map((b) => [b.Id, b]));
  return findTables(built!, undefined, { newId }).map((t) =>
    t.blocks
      .filter((b: Block) => b.BlockType === 'CELL')
      .map((c: Block) => ({
        row: c.RowIndex,
        column: c.ColumnIndex,
        text: (c.Relationships?.[0]?.Ids ?? []).map((id) => byId.get(id)?.Text).join(' '),
      })),
  );
}

test('headings closer than a column gap head two columns when figures stand under each apart', () => {
  const rows: [string, string, string][] = [
    ['Life insurance', '0.51', '27.00'],
    ['Loan paid', '', '840.00'],
    ['Vacation hours', '', '40.00'],
  ];
  // One row fills every column; the others leave "this period" empty, as a payslip's do.
  // "this period" ends at x 488, "total to date" starts at 510: 22 px apart, under 2.5 line heights.
  const lines = [
    words('Benefits', 100, 100),
    words('this period', 400, 100),
    words('total to date', 510, 100),
  ];
  rows.forEach(([label, a, b], i) => {
    const y = 124 + i * 22;
    lines.push(words(label, 100, y), ...(a ? [words(a, 450, y)] : []), words(b, 560, y));
  });
  const [cells] = tablesOf(lines);
  expect(Math.max(...(cells ?? []).map((c) => c.column ?? 0))).toBe(3);
  expect(cells?.filter((c) => c.row === 1).map((c) => c.text)).toEqual([
    'Benefits',
    'this period',
    'total to date',
  ]);
  expect(cells?.find((c) => c.row === 2 && c.column === 2)?.text).toBe('0.51');
  expect(cells?.find((c) => c.row === 2 && c.column === 3)?.text).toBe('27.00');
});

test('words split by OCR with no figures apart under them stay one cell', () => {
  const lines = [words('Item', 100, 100), words('Qty', 400, 100), words('Price', 600, 100)];
  [
    ['Coffee', 'beans', '2', '$18.00'],
    ['Filter', 'papers', '1', '$4.20'],
    ['Oat', 'milk', '3', '$3.30'],
  ].forEach(([a, b, qty, price], i) => {
    const y = 124 + i * 22;
    // The item's two words 24 px apart: OCR made them two pieces of the row, the second where the
    // first ends, so not at one place down the rows as a column's edge would be.
    lines.push(
      words(a ?? '', 100, y),
      words(b ?? '', 100 + (a ?? '').length * 8 + 24, y),
      words(qty ?? '', 400, y),
      words(price ?? '', 600, y),
    );
  });
  const [cells] = tablesOf(lines);
  expect(Math.max(...(cells ?? []).map((c) => c.column ?? 0))).toBe(3);
  expect(cells?.find((c) => c.row === 3 && c.column === 1)?.text).toBe('Filter papers');
});

test('a table goes on under a table beside it that has ended, its rows keeping its columns', () => {
  const lines = [
    words('Earnings', 100, 100),
    words('hours', 300, 100),
    words('amount', 400, 100),
    words('Benefits', 550, 100),
    words('total', 750, 100),
  ];
  [
    ['Regular', '32.00', '320.00', 'Life', '27.00'],
    ['Overtime', '1.00', '15.00', 'Loan', '840.00'],
    ['Holiday', '8.00', '80.00', '', ''],
    ['Tuition', '', '37.43', '', ''],
  ].forEach(([label, hours, amount, benefit, total], i) => {
    const y = 124 + i * 22;
    lines.push(words(label ?? '', 100, y), words(amount ?? '', 400, y));
    if (hours) lines.push(words(hours, 300, y));
    if (benefit) lines.push(words(benefit, 550, y), words(total ?? '', 750, y));
  });
  const tables = tablesOf(lines);
  const earnings = tables.find((cells) => cells.some((c) => c.text === 'Earnings'));
  expect(Math.max(...(earnings ?? []).map((c) => c.row ?? 0))).toBe(5);
  expect(earnings?.filter((c) => c.row === 5 && c.text).map((c) => c.text)).toEqual(['Tuition', '37.43']);
});

test('a row of words alone under rows of figures heads the next table', () => {
  const lines = [
    words('Earnings', 100, 100),
    words('this period', 400, 100),
    words('year to date', 600, 100),
  ];
  const rows = [
    ['Regular', '320.00', '16,640.00'],
    ['Overtime', '15.00', '780.00'],
    ['Deductions', 'this period', 'year to date'],
    ['Federal', '-40.60', '2,111.20'],
    ['Medicare', '-6.56', '341.12'],
  ];
  rows.forEach(([label, a, b], i) => {
    const y = 124 + i * 22;
    lines.push(words(label ?? '', 100, y), words(a ?? '', 400, y), words(b ?? '', 600, y));
  });
  const tables = tablesOf(lines);
  expect(tables).toHaveLength(2);
  expect(tables[1]?.filter((c) => c.row === 1).map((c) => c.text)).toEqual([
    'Deductions',
    'this period',
    'year to date',
  ]);
});

test('a heading wrapped onto the line above, beside a table sharing that line, is one cell', () => {
  const lines = [words('Earnings', 100, 100), words('hours', 300, 100), words('amount', 400, 100)];
  // "Other Benefits and / Information" set in two tight lines beside the earnings table's first rows.
  lines.push(words('Other Benefits and', 550, 100), words('Information', 550, 118));
  lines.push(words('this period', 720, 118), words('total', 840, 118));
  [
    ['Regular', '32.00', '320.00', '', '', ''],
    ['Overtime', '1.00', '15.00', 'Life', '0.51', '27.00'],
    ['Holiday', '8.00', '80.00', 'Loan', '2.00', '840.00'],
    ['Tuition', '4.00', '37.43', 'Vacation', '3.00', '40.00'],
  ].forEach(([label, hours, amount, benefit, period, total], i) => {
    const y = 122 + i * 22;
    lines.push(words(label!, 100, y), words(hours!, 300, y), words(amount!, 400, y));
    if (benefit) lines.push(words(benefit, 550, y), words(period!, 720, y), words(total!, 840, y));
  });
  const benefits = tablesOf(lines).find((cells) => cells.some((c) => c.text.includes('Information')));
  expect(benefits?.filter((c) => c.row === 1).map((c) => c.text)).toEqual([
    'Other Benefits and Information',
    'this period',
    'total',
  ]);
});

test('columns of words set closer than the column gap stay apart where every row breaks at the same place', () => {
  // An application's employment history: dates, then three columns of words, 16 px (about a line)
  // between columns, each row of the same five pieces.
  const xs = [100, 196, 292, 440, 588];
  const rows = [
    ['Start Date', 'End Date', 'Employer Name', 'Position Held', 'Reason for leaving'],
    ['1/15/2009', '6/30/2011', 'Any Company', 'Assistant Baker', 'Family relocated'],
    ['7/1/2011', '8/10/2013', 'Best Corp.', 'Baker', 'Better opportunity'],
    ['8/15/2013', 'present', 'Example Corp.', 'Head Baker', 'N/A, current'],
  ];
  const lines = rows.flatMap((row, r) => row.map((text, c) => words(text, xs[c] ?? 0, 100 + r * 30)));
  const tables = tablesOf(lines);
  // One table: its columns of words after the dates are its own, not a second table beside it.
  expect(tables).toHaveLength(1);
  const [cells] = tables;
  expect(Math.max(...(cells ?? []).map((c) => c.column ?? 0))).toBe(5);
  expect(cells?.filter((c) => c.row === 3).map((c) => c.text)).toEqual([
    '7/1/2011',
    '8/10/2013',
    'Best Corp.',
    'Baker',
    'Better opportunity',
  ]);
});

test('columns of words beside a table of figures, past a wider gap than its columns have, are not its columns', () => {
  const lines: RecognisedLine[] = [];
  const xs = [100, 200, 300, 448, 548];
  const rows = [
    ['Earnings', 'Hours', 'Amount', 'Leave', 'Status'],
    ['Regular', '40.00', '400.00', 'Annual', 'Approved'],
    ['Overtime', '5.00', '75.00', 'Sick', 'Pending'],
    ['Holiday', '8.00', '80.00', 'Unpaid', 'Refused'],
  ];
  rows.forEach((row, r) => row.forEach((text, c) => lines.push(words(text, xs[c] ?? 0, 100 + r * 24))));
  const [earnings, ...others] = tablesOf(lines);
  expect(earnings?.filter((c) => c.row === 1).map((c) => c.text)).toEqual(['Earnings', 'Hours', 'Amount']);
  expect(earnings?.some((c) => c.text === 'Approved')).toBe(false);
  // The words beside it are no table of two columns of words (as an address beside a list is not).
  expect(others).toEqual([]);
});
