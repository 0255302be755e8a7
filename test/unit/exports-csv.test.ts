// CSV of one table (RFC 4180) and the grid both table exports stand on: quoting, CRLF, merged
// cells, header rows, cross-page tables, selection elements, inconsistent tables.
import type { OutputTable } from '../../lib/document-model';
import { csvField, tableCsv, tablesCsv } from '../../lib/exports/csv';
import { tableGrid } from '../../lib/exports/table-grid';
import { box, cellsOn, header, table } from '../fixtures/output-documents/build';
import { intakeFormDocument } from '../fixtures/output-documents/intake-form';
import { paystubDocument } from '../fixtures/output-documents/paystub';
import { statementDocument } from '../fixtures/output-documents/statement';

const at = box(0.1, 0.1, 0.2, 0.02);
const c = cellsOn(1);

function grid(rowCount: number, columnCount: number, cells: OutputTable['cells'], headerRows: number[] = []) {
  return table({
    id: 't1',
    rowCount,
    columnCount,
    headerRows,
    parts: [{ page: 1, box: at, firstRow: 1, rowCount }],
    cells,
  });
}

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['1,946.80', '"1,946.80"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [' spaces kept ', ' spaces kept '],
    ['-171', '-171'],
  ])('%j becomes %j', (text, field) => expect(csvField(text)).toBe(field));
});

describe('tableCsv', () => {
  it('ends every record with CRLF, the last one too', () => {
    expect(tableCsv(grid(2, 2, [c(1, 1, 'a', 90, at), c(1, 2, 'b', 90, at), c(2, 1, 'c', 90, at)]))).toBe(
      'a,b\r\nc,\r\n',
    );
  });

  it('puts a merged cell’s text in its top-left position and empty strings where it spans', () => {
    const csv = tableCsv(
      grid(3, 3, [
        c(1, 1, 'big', 90, at, { rowSpan: 2, columnSpan: 2 }),
        c(1, 3, 'x', 90, at),
        c(3, 2, 'y', 90, at),
      ]),
    );
    expect(csv).toBe('big,,x\r\n,,\r\n,y,\r\n');
  });

  it('keeps rows in order, header rows where the table has them', () => {
    const rows = tableCsv(intakeFormDocument.tables[1]!).split('\r\n');
    expect(rows.slice(0, 3)).toEqual([
      'Previous Employment History,,,,',
      'Start Date,End Date,Employer Name,Position Held,Reason for leaving',
      '1/15/2009,6/30/2011,Any Company,Assistant baker,relocated',
    ]);
    expect(tableCsv(paystubDocument.tables[1]!).split('\r\n')[0]).toBe(
      'Earnings,rate,hours,this period,year to date',
    );
  });

  it('follows a cross-page table through its parts', () => {
    const rows = tableCsv(statementDocument.tables[1]!).trimEnd().split('\r\n');
    expect(rows).toHaveLength(12);
    expect(rows[6]).toBe('7/6/2020,Transport - Lyft - 2039726014,-249');
    expect(rows[7]).toBe('2/13/2020,Food Purchase - McDonalds - 2130609679,-127');
    expect(rows[11]).toBe('8/1/2020,Service Charge - Bank - 6556484014,-5');
  });

  it('writes a selection element as ☑ or ☐ before the cell’s words', () => {
    const csv = tableCsv(
      grid(1, 2, [c(1, 1, 'Yes', 90, at, { selected: true }), c(1, 2, '', 90, at, { selected: false })]),
    );
    expect(csv).toBe('☑ Yes,☐\r\n');
  });

  it('quotes cells with commas, quotes and newlines so the row keeps its columns', () => {
    const csv = tableCsv(
      grid(1, 3, [c(1, 1, 'a,b', 90, at, header), c(1, 2, 'say "x"', 90, at), c(1, 3, 'l1\nl2', 90, at)]),
    );
    expect(csv).toBe('"a,b","say ""x""","l1\nl2"\r\n');
  });

  it('gives an empty table no records', () => {
    expect(tableCsv(grid(0, 0, []))).toBe('');
  });
});

describe('tablesCsv', () => {
  it('names the tables table-1.csv … in document order', () => {
    expect(tablesCsv(paystubDocument).map(([name]) => name)).toEqual([
      'table-1.csv',
      'table-2.csv',
      'table-3.csv',
      'table-4.csv',
    ]);
    expect(tablesCsv({ ...paystubDocument, tables: [] })).toEqual([]);
  });
});

describe('tableGrid', () => {
  it('says which way a covered position’s text is', () => {
    const slots = tableGrid(grid(2, 2, [c(1, 1, 'big', 90, at, { rowSpan: 2, columnSpan: 2 })]));
    expect(slots.map((row) => row.map((s) => (s.kind === 'covered' ? s.from : s.kind)))).toEqual([
      ['cell', 'left'],
      ['above', 'above'],
    ]);
  });

  it('grows to hold a cell beyond the declared size instead of dropping its text', () => {
    const slots = tableGrid(grid(1, 1, [c(1, 1, 'a', 90, at), c(2, 3, 'stray', 90, at)]));
    expect(slots).toHaveLength(2);
    expect(slots[1]?.[2]).toMatchObject({ kind: 'cell', cell: { text: 'stray' } });
    expect(slots[1]?.[0]).toEqual({ kind: 'none' });
  });

  it('lets the first cell win a position two cells claim, and treats a span below 1 as 1', () => {
    const slots = tableGrid(
      grid(1, 2, [
        c(1, 1, 'wide', 90, at, { columnSpan: 2 }),
        c(1, 2, 'late', 90, at),
        c(1, 1, 'x', 90, at, { rowSpan: 0 }),
      ]),
    );
    expect(slots[0]?.map((s) => s.kind)).toEqual(['cell', 'covered']);
    expect(slots[0]?.[0]).toMatchObject({ cell: { text: 'wide' } });
  });
});
