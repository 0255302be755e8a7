// Output schema 2 by hand: a document with every optional property set, and synthetic normalized
// parts (what the collect activity writes to normalized/NNNNN.json) of any size, for the output tests
// and scripts/bench-output.ts.
import type {
  BoundingBox,
  OutputCell,
  OutputDocument,
  OutputField,
  OutputLine,
  OutputPage,
  OutputTable,
} from '../../lib/document-model';
import type { NormalizedPart } from '../../lib/extraction';

export const box: BoundingBox = { left: 0.1, top: 0.2, width: 0.3, height: 0.04 };

/** A document that sets every property the model has, optional ones included. */
export function fullDocument(): OutputDocument {
  return {
    schemaVersion: 2,
    documentId: 'invoice-7',
    status: 'SUCCEEDED',
    profile: 'invoice',
    source: { bucket: 'docket-input', key: 'in/invoice-7.pdf', versionId: 'v3' },
    checksum: 'ab'.repeat(32),
    completedAt: '2026-01-01T00:02:00.000Z',
    textract: {
      jobId: 'job-1',
      api: 'ANALYSIS',
      status: 'PARTIAL_SUCCESS',
      pages: 2,
      warnings: [{ errorCode: 'UNABLE_TO_READ_PAGE', pages: [2] }],
    },
    review: {
      items: [
        { field: 'Total', reason: 'LOW_CONFIDENCE', confidence: 55, threshold: 80 },
        { field: 'po_number', reason: 'MISSING_REQUIRED', threshold: 80 },
      ],
      audit: [
        {
          action: 'correct',
          reviewer: 'rita',
          at: '2026-01-01T00:00:00.000Z',
          field: 'Total',
          oldValue: '12.00',
          newValue: '12.50',
        },
        { action: 'reject', reviewer: 'sam', at: '2026-01-01T00:00:30.000Z', reason: 'wrong vendor' },
        { action: 'approve', reviewer: 'rita', at: '2026-01-01T00:01:00.000Z', comment: 'checked' },
      ],
    },
    corrections: [
      {
        fieldId: 'p1-f1',
        name: 'Total',
        extractedText: '12.00',
        text: '12.50',
        reviewer: 'rita',
        at: '2026-01-01T00:00:00.000Z',
      },
    ],
    duplicateOf: {
      documentId: 'invoice-6',
      output: { bucket: 'docket-output', key: 'documents/invoice-6/x' },
    },
    pages: [
      {
        page: 1,
        lines: [{ text: 'Invoice 42', confidence: 99.5, textType: 'PRINTED', box }],
        fields: [
          {
            id: 'p1-f1',
            name: 'Total',
            page: 1,
            key: { text: 'Total:', confidence: 98, box },
            value: { text: '12.50', confidence: 55, box },
            selected: true,
            correction: { extractedText: '12.00', reviewer: 'rita', at: '2026-01-01T00:00:00.000Z' },
          },
        ],
        queries: [
          {
            id: 'p1-q1',
            alias: 'invoice_number',
            question: 'What is the invoice number?',
            text: '42',
            confidence: 91,
            page: 1,
            box,
          },
        ],
        signatures: [{ page: 1, confidence: 88, box }],
        layout: [{ kind: 'TITLE', text: 'Invoice 42', confidence: 97, page: 1, box }],
      },
    ],
    tables: [
      {
        id: 't1',
        type: 'STRUCTURED',
        title: { text: 'Items', page: 1, box },
        footer: { text: 'Thank you', page: 1, box },
        rowCount: 1,
        columnCount: 1,
        headerRows: [1],
        confidence: 90,
        parts: [{ page: 1, box, firstRow: 1, rowCount: 1 }],
        cells: [
          {
            row: 1,
            column: 1,
            rowSpan: 1,
            columnSpan: 1,
            text: 'Item',
            confidence: 90,
            entityTypes: ['COLUMN_HEADER'],
            page: 1,
            box,
            selected: false,
          },
        ],
      },
    ],
  };
}

export interface SyntheticOptions {
  /** Lines per page. @default 50 */
  lines?: number;
  /** Form fields per page. @default 20 */
  fields?: number;
  /** Every n-th page's table continues onto the next page. @default 10 */
  continueEvery?: number;
  /** Included in every field value, so a test can look for it in the stored bytes. @default 'VALUE' */
  marker?: string;
}

const tableRows = 10;
const tableColumns = 5;

function line(page: number, n: number): OutputLine {
  return {
    text: `Line ${n} of page ${page}: lorem ipsum dolor sit amet`,
    confidence: 98.25,
    textType: 'PRINTED',
    box,
  };
}

function field(page: number, n: number, marker: string): OutputField {
  return {
    id: `p${page}-f${n}`,
    name: `Field ${n}`,
    page,
    key: { text: `Field ${n}:`, confidence: 97.5, box },
    value: { text: `${marker}-${page}-${n}`, confidence: 60 + (n % 40), box },
  };
}

function cells(page: number, firstRow: number): OutputCell[] {
  const out: OutputCell[] = [];
  for (let r = 0; r < tableRows; r++) {
    for (let c = 1; c <= tableColumns; c++) {
      out.push({
        row: firstRow + r,
        column: c,
        rowSpan: 1,
        columnSpan: 1,
        text: r === 0 ? `Column ${c}` : `cell ${page}/${r}/${c}`,
        confidence: 95,
        entityTypes: r === 0 ? ['COLUMN_HEADER'] : [],
        page,
        box,
      });
    }
  }
  return out;
}

/** One synthetic page: lines, form fields and a query answer (its table comes from the part). */
export function syntheticPage(page: number, options: SyntheticOptions = {}): OutputPage {
  const { lines = 50, fields = 20, marker = 'VALUE' } = options;
  return {
    page,
    lines: Array.from({ length: lines }, (_, i) => line(page, i + 1)),
    fields: Array.from({ length: fields }, (_, i) => field(page, i + 1, marker)),
    queries: [
      {
        id: `p${page}-q1`,
        alias: 'invoice_number',
        question: 'What is the invoice number?',
        text: `${marker}-INV-${page}`,
        confidence: 50 + (page % 50),
        page,
        box,
      },
    ],
    signatures: [],
    layout: [],
  };
}

/**
 * Parts of `pages` synthetic pages, `pagesPerPart` each, generated one at a time: every page has a
 * 10×5 table; every `continueEvery`-th page's continues onto the next, and a table is listed in the
 * part of the page it ends on, as the collect activity writes them.
 */
export function* syntheticParts(
  pages: number,
  pagesPerPart: number,
  options: SyntheticOptions = {},
): Generator<NormalizedPart> {
  const continueEvery = options.continueEvery ?? 10;
  let tableId = 0;
  let open: OutputTable | undefined;
  for (let first = 1; first <= pages; first += pagesPerPart) {
    const part: NormalizedPart = { pages: [], tables: [] };
    for (let page = first; page < first + pagesPerPart && page <= pages; page++) {
      part.pages.push(syntheticPage(page, options));
      const firstRow = open ? open.rowCount + 1 : 1;
      const table: OutputTable = open ?? {
        id: `t${++tableId}`,
        rowCount: 0,
        columnCount: tableColumns,
        headerRows: [],
        confidence: 95,
        parts: [],
        cells: [],
      };
      table.parts.push({ page, box, firstRow, rowCount: tableRows });
      table.cells.push(...cells(page, firstRow));
      table.headerRows.push(firstRow);
      table.rowCount += tableRows;
      open = page % continueEvery === 0 && page < pages ? table : undefined;
      if (!open) part.tables.push(table);
    }
    yield part;
  }
}
