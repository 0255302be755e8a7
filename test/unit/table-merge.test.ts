// The cross-page table merge on its own: which tables continue which, how rows, parts and header rows
// come out, and when tables close.
import type { BoundingBox, OutputCell } from '../../lib/document-model';
import {
  TableMerger,
  continues,
  tableEdges,
  type PageTables,
  type TableCandidate,
} from '../../activities/table-merge';

const box = (top: number, height: number, left = 0.1, width = 0.8): BoundingBox => ({
  left,
  top,
  width,
  height,
});

/** A table of `rows` × `columns` cells reading `<page>.<row>.<column>`, or `header` texts in row 1. */
function table(
  page: number,
  rows: number,
  options: { columns?: number; at?: BoundingBox; header?: string[]; tagged?: boolean; title?: string } = {},
): TableCandidate {
  const columns = options.columns ?? 3;
  const cells: OutputCell[] = [];
  for (let row = 1; row <= rows; row++) {
    for (let column = 1; column <= columns; column++) {
      const header = row === 1 && options.header;
      cells.push({
        row,
        column,
        rowSpan: 1,
        columnSpan: 1,
        text: header ? (options.header![column - 1] ?? '') : `${page}.${row}.${column}`,
        confidence: 90,
        entityTypes: header && options.tagged !== false ? ['COLUMN_HEADER'] : [],
        page,
        box: box(0.1, 0.01),
      });
    }
  }
  const at = options.at ?? box(0.1, 0.8);
  return {
    ...(options.title ? { title: { text: options.title, page } } : {}),
    rowCount: rows,
    columnCount: columns,
    headerRows: options.header && options.tagged !== false ? [1] : [],
    confidence: 90,
    parts: [{ page, box: at, firstRow: 1, rowCount: rows }],
    cells,
  };
}

const page = (n: number, tables: TableCandidate[], clear = { before: true, after: true }): PageTables => ({
  page: n,
  tables,
  clearBeforeFirst: clear.before,
  clearAfterLast: clear.after,
});

function mergeAll(pages: PageTables[]) {
  const merger = new TableMerger();
  return [...pages.flatMap((p) => merger.add(p)), ...merger.finish()];
}

test('a table continued over three pages is one logical table, rows renumbered, each part kept', () => {
  const [merged, ...rest] = mergeAll([
    page(1, [table(1, 4, { header: ['Date', 'Item', 'Amount'], at: box(0.5, 0.45) })]),
    page(2, [table(2, 10, { at: box(0.05, 0.9, 0.105, 0.795) })]),
    page(3, [table(3, 3, { at: box(0.05, 0.2) })]),
  ]);
  expect(rest).toEqual([]);
  expect(merged).toMatchObject({ id: 't1', rowCount: 17, columnCount: 3, headerRows: [1] });
  expect(merged!.parts.map((p) => [p.page, p.firstRow, p.rowCount])).toEqual([
    [1, 1, 4],
    [2, 5, 10],
    [3, 15, 3],
  ]);
  expect(merged!.cells).toHaveLength(17 * 3);
  expect(merged!.cells.find((c) => c.row === 5 && c.column === 1)).toMatchObject({ text: '2.1.1', page: 2 });
  expect(merged!.cells.find((c) => c.row === 17 && c.column === 3)).toMatchObject({ text: '3.3.3', page: 3 });
});

test('a repeated header on the continuation is a header row, its cells kept', () => {
  const header = ['Date', 'Item', 'Amount'];
  const tagged = mergeAll([page(1, [table(1, 4, { header })]), page(2, [table(2, 5, { header })])]);
  expect(tagged[0]!.headerRows).toEqual([1, 5]);
  // Textract did not tag the repeat: the same texts as the first header row make it one.
  const untagged = mergeAll([
    page(1, [table(1, 4, { header })]),
    page(2, [table(2, 5, { header, tagged: false })]),
  ]);
  expect(untagged[0]!.headerRows).toEqual([1, 5]);
  expect(untagged[0]!.cells.filter((c) => c.row === 5).map((c) => c.text)).toEqual(header);
});

describe('tables that do not continue', () => {
  const first = () => page(1, [table(1, 4)]);
  test.each([
    ['a different column count', page(2, [table(2, 4, { columns: 4 })])],
    ['a left edge moved by more than 2 % of the width', page(2, [table(2, 4, { at: box(0.1, 0.8, 0.125) })])],
    ['a width off by more than 2 %', page(2, [table(2, 4, { at: box(0.1, 0.8, 0.1, 0.77) })])],
    ['a title of its own', page(2, [table(2, 4, { title: 'Summary' })])],
    ['content above it', page(2, [table(2, 4)], { before: false, after: true })],
  ])('%s', (_, second) => {
    expect(mergeAll([first(), second]).map((t) => t.parts.length)).toEqual([1, 1]);
  });

  test('content below the first', () => {
    const tables = mergeAll([page(1, [table(1, 4)], { before: true, after: false }), page(2, [table(2, 4)])]);
    expect(tables).toHaveLength(2);
  });

  test('a page in between', () => {
    expect(mergeAll([first(), page(2, []), page(3, [table(3, 4)])])).toHaveLength(2);
    expect(mergeAll([first(), page(3, [table(3, 4)])])).toHaveLength(2);
  });
});

test('only the last table of a page continues, into the first of the next; ids follow where tables start', () => {
  const merger = new TableMerger();
  const closed = [
    merger.add(page(1, [table(1, 2, { at: box(0.1, 0.2) }), table(1, 3, { at: box(0.5, 0.45) })])),
    merger.add(
      page(2, [table(2, 3, { at: box(0.05, 0.3) }), table(2, 2, { at: box(0.6, 0.3), columns: 2 })]),
    ),
    merger.finish(),
  ];
  expect(closed.map((tables) => tables.map((t) => [t.id, t.parts.map((p) => p.page)]))).toEqual([
    [['t1', [1]]],
    [['t2', [1, 2]]],
    [['t3', [2]]],
  ]);
});

test('a table that may continue stays open until the next page; finish closes it', () => {
  const merger = new TableMerger();
  expect(merger.add(page(1, [table(1, 2)]))).toEqual([]);
  expect(merger.add(page(2, [table(2, 2)]))).toEqual([]);
  expect(merger.finish().map((t) => t.rowCount)).toEqual([4]);
  expect(merger.finish()).toEqual([]);
});

test('merging leaves the candidates it was given as they were', () => {
  const a = table(1, 2);
  const b = table(2, 2);
  const before = JSON.stringify([a, b]);
  mergeAll([page(1, [a]), page(2, [b]), page(3, [table(3, 1)])]);
  expect(JSON.stringify([a, b])).toBe(before);
});

test('continues: the tolerance is 2 % of the width', () => {
  const a = table(1, 2, { at: box(0.1, 0.5, 0.1, 0.8) });
  expect(continues(a, table(2, 2, { at: box(0.1, 0.5, 0.115, 0.79) }))).toBe(true);
  expect(continues(a, table(2, 2, { at: box(0.1, 0.5, 0.117, 0.8) }))).toBe(false);
});

test('tableEdges: a line counts above or below a table by its middle', () => {
  const tables = [table(1, 2, { at: box(0.3, 0.2) }), table(1, 2, { at: box(0.6, 0.2) })];
  const line = (top: number) => box(top, 0.02);
  expect(tableEdges(tables, [line(0.4), line(0.79)])).toEqual({
    clearBeforeFirst: true,
    clearAfterLast: true,
  });
  expect(tableEdges(tables, [line(0.27)])).toEqual({ clearBeforeFirst: false, clearAfterLast: true });
  expect(tableEdges(tables, [line(0.8)])).toEqual({ clearBeforeFirst: true, clearAfterLast: false });
  expect(tableEdges([], [])).toEqual({ clearBeforeFirst: false, clearAfterLast: false });
});
