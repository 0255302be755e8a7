/*
 * Tables as CSV (RFC 4180): one file per logical table, for spreadsheets and scripts.
 *
 * Choices, since CSV has no way to say them:
 * - Rows and columns are the table's own, in order: header rows are wherever the table has them (at
 *   its top, as Textract reports them); a cross-page table's continuation rows follow its first part's,
 *   with any header rows the continuation repeats kept in place. Nothing is reordered or dropped.
 * - A merged cell's text is in its top-left position; the positions it covers are empty strings, so
 *   every row has the table's column count and the text appears once.
 * - A selection element in a cell is ☑ (selected) or ☐ (not), before the cell's words.
 * - UTF-8 without a byte-order mark, CRLF after every record (the last one too).
 * - Cell text is never altered: no trimming, and no guarding against spreadsheet formulas (prefixing
 *   "-171" with a quote would corrupt the numbers these tables mostly hold).
 */
import type { OutputDocument, OutputTable } from '../document-model';
import { cellText, tableGrid } from './table-grid';

/** One CSV field: quoted when it holds a comma, a double quote, CR or LF, with quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table as CSV: one record per row, one field per column, CRLF line ends. */
export function tableCsv(table: OutputTable): string {
  return tableGrid(table)
    .map(
      (row) =>
        row.map((slot) => csvField(slot.kind === 'cell' ? cellText(slot.cell) : '')).join(',') + '\r\n',
    )
    .join('');
}

/** The file name of the n-th table (1-based, document order): `table-<n>.csv`. */
export function tableCsvFileName(n: number): string {
  return `table-${n}.csv`;
}

/** Every table of the document as `[fileName, csv]`, in document order (`table-1.csv`, …). */
export function tablesCsv(doc: OutputDocument): [fileName: string, csv: string][] {
  return doc.tables.map((table, i) => [tableCsvFileName(i + 1), tableCsv(table)]);
}
