// The one dispatch both front ends use: formats, content types, and the requests it refuses.
import { documentMarkdown } from '../../lib/exports/markdown';
import {
  checkExportRequest,
  exportContentTypes,
  exportFormats,
  ExportRequestError,
  isExportFormat,
  renderExport,
  tableByNumber,
  UnsupportedOutputError,
} from '../../lib/exports/formats';
import { documentText } from '../../lib/exports/text';
import { paystubDocument } from '../fixtures/output-documents/paystub';

it('offers four formats, each with its content type', () => {
  expect(exportFormats).toEqual(['json', 'markdown', 'csv', 'text']);
  expect(exportContentTypes).toEqual({
    json: 'application/json',
    markdown: 'text/markdown; charset=utf-8',
    csv: 'text/csv; charset=utf-8',
    text: 'text/plain; charset=utf-8',
  });
  expect(isExportFormat('markdown')).toBe(true);
  expect(isExportFormat('pdf')).toBe(false);
});

it('renders with the format’s renderer', () => {
  expect(renderExport(paystubDocument, { format: 'markdown' })).toBe(documentMarkdown(paystubDocument));
  expect(renderExport(paystubDocument, { format: 'text' })).toBe(documentText(paystubDocument));
  expect(renderExport(paystubDocument, { format: 'csv', table: 1 })).toBe(
    'CO.,FILE,DEPT.,CLOCK,NUMBER\r\nABC,126543,123456,12345,00000000\r\n',
  );
  expect(JSON.parse(renderExport(paystubDocument, { format: 'json' }))).toEqual(paystubDocument);
});

it.each([
  [{ format: 'csv' as const }, 'the csv format exports one table: give its number (1-based, document order)'],
  [{ format: 'markdown' as const, table: 1 }, 'a table number only applies to the csv format, not markdown'],
  [{ format: 'csv' as const, table: 0 }, 'the table number must be a whole number from 1, got 0'],
  [{ format: 'csv' as const, table: 1.5 }, 'the table number must be a whole number from 1, got 1.5'],
])('refuses %j', (request, message) => {
  expect(() => checkExportRequest(request)).toThrow(new ExportRequestError(message));
  expect(() => renderExport(paystubDocument, request)).toThrow(message);
});

it('names how many tables there are when a number is out of range', () => {
  expect(tableByNumber(paystubDocument, 4).id).toBe('t4');
  expect(() => tableByNumber(paystubDocument, 5)).toThrow(
    'there is no table 5: document paystub.jpg-c9dccc403169 has 4 tables (1-4)',
  );
  const one = { ...paystubDocument, tables: paystubDocument.tables.slice(0, 1) };
  expect(() => tableByNumber(one, 2)).toThrow('has 1 table');
});

it('exports an output written before schema 2 as JSON only', () => {
  const legacy = { version: 1, documentId: 'old-1', status: 'SUCCEEDED', fields: {} };
  expect(renderExport(legacy, { format: 'json' })).toBe(`${JSON.stringify(legacy, null, 2)}\n`);
  for (const format of ['markdown', 'text'] as const) {
    expect(() => renderExport(legacy, { format })).toThrow(
      new UnsupportedOutputError(
        `this output has schema version 1; the ${format} export reads schema 2 only (the json format returns it as it is)`,
      ),
    );
  }
});
