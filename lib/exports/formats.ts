/*
 * The export formats as the CLI and the HTTP API offer them: names, content types, and one dispatch
 * that picks the renderer, so both front ends refuse the same requests with the same words.
 */
import { type OutputDocument, type OutputTable, outputSchemaVersion } from '../document-model';
import { isSchema2Output, UnsupportedOutputError } from '../output-document';
import { tableCsv } from './csv';
import { documentJson } from './json';
import { documentMarkdown } from './markdown';
import { documentText } from './text';

export { isSchema2Output, UnsupportedOutputError };

/** The formats an output can be exported as. */
export const exportFormats = ['json', 'markdown', 'csv', 'text'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The HTTP content type of each format (text is UTF-8 throughout). */
export const exportContentTypes: Readonly<Record<ExportFormat, string>> = {
  json: 'application/json',
  markdown: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

/** The request cannot be exported as asked (unknown format, a missing or wrong table number). */
export class ExportRequestError extends Error {
  override name = 'ExportRequestError';
}

/** An export request: the format and, for CSV, which table (1-based, document order). */
export interface ExportRequest {
  format: ExportFormat;
  table?: number;
}

/** Whether `value` names an export format. */
export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

/**
 * Checks what can be checked without the document: a table number belongs to CSV, is a whole number
 * from 1, and CSV needs one.
 */
export function checkExportRequest(request: ExportRequest): void {
  if (request.table !== undefined && request.format !== 'csv') {
    throw new ExportRequestError(`a table number only applies to the csv format, not ${request.format}`);
  }
  if (request.table !== undefined && (!Number.isInteger(request.table) || request.table < 1)) {
    throw new ExportRequestError(`the table number must be a whole number from 1, got ${request.table}`);
  }
  if (request.format === 'csv' && request.table === undefined) {
    throw new ExportRequestError(
      'the csv format exports one table: give its number (1-based, document order)',
    );
  }
}

/** The n-th table (1-based, document order); the error says how many tables there are. */
export function tableByNumber(doc: OutputDocument, n: number): OutputTable {
  const table = Number.isInteger(n) && n >= 1 ? doc.tables[n - 1] : undefined;
  if (!table) {
    const count = doc.tables.length;
    throw new ExportRequestError(
      `there is no table ${n}: document ${doc.documentId} has ${
        count === 0 ? 'no tables' : count === 1 ? '1 table' : `${count} tables (1-${count})`
      }`,
    );
  }
  return table;
}

/**
 * The stored output in the requested format. JSON works for any stored output; the others need
 * schema 2 and say so otherwise. CSV exports the one table `request.table` names.
 */
export function renderExport(doc: unknown, request: ExportRequest): string {
  checkExportRequest(request);
  if (request.format === 'json') return documentJson(doc as object);
  const document = schema2Output(doc, request.format);
  switch (request.format) {
    case 'markdown':
      return documentMarkdown(document);
    case 'text':
      return documentText(document);
    case 'csv':
      return tableCsv(tableByNumber(document, request.table ?? 0));
  }
}

/** The stored output as schema 2, or an error saying the `format` export cannot read it. */
export function schema2Output(doc: unknown, format: ExportFormat): OutputDocument {
  if (isSchema2Output(doc)) return doc;
  throw new UnsupportedOutputError(
    `this output has schema version ${schemaVersionOf(doc)}; the ${format} export reads schema ` +
      `${outputSchemaVersion} only (the json format returns it as it is)`,
  );
}

/** The version a stored output declares: `schemaVersion` since schema 2, `version` before. */
function schemaVersionOf(doc: unknown): string {
  if (typeof doc !== 'object' || doc === null) return 'unknown';
  const { schemaVersion, version } = doc as { schemaVersion?: unknown; version?: unknown };
  const declared = schemaVersion ?? version;
  return typeof declared === 'number' || typeof declared === 'string' ? String(declared) : 'unknown';
}
