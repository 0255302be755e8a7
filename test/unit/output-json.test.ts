// activities/output-json.ts and activities/output-corrections.ts as pure functions of in-memory parts:
// the JSON the output activity encrypts, its pieces, the passes over the parts, and the corrections.
import { FailureType } from '../../lib/contract';
import type { OutputDocument, OutputPage } from '../../lib/document-model';
import type { NormalizedPart } from '../../lib/extraction';
import type { PartSource } from '../../activities/output-corrections';
import type { ReviewCorrection } from '../../lib/contract';
import { outputDocumentJson, type OutputHeader } from '../../activities/output-json';
import { syntheticPage, syntheticParts } from '../support/output-fixtures';
import { outputSchemaErrors } from '../support/output-schema';
import { applicationFailure } from '../support/failures';

const header: OutputHeader = {
  schemaVersion: 2,
  documentId: 'invoice-7',
  status: 'SUCCEEDED',
  profile: 'invoice',
  source: { bucket: 'docket-input', key: 'in/invoice-7.pdf' },
  checksum: 'ab'.repeat(32),
  completedAt: '2026-01-01T00:02:00.000Z',
  textract: { jobId: 'job-1', api: 'ANALYSIS', status: 'SUCCEEDED', pages: 7, warnings: [] },
  review: { items: [], audit: [] },
};
const at = '2026-01-01T00:01:00.000Z';

/** Parts in memory that record which part was read when. */
function memoryParts(parts: NormalizedPart[]): PartSource & { reads: number[] } {
  const reads: number[] = [];
  return {
    count: parts.length,
    reads,
    read: async (part) => {
      reads.push(part);
      // A copy, as a fresh read from S3 would be: nothing may rely on keeping the earlier one.
      return structuredClone(parts[part - 1]!);
    },
  };
}

async function generate(parts: PartSource, corrections: ReviewCorrection[] = [], head = header) {
  const pieces: string[] = [];
  for await (const piece of outputDocumentJson(head, parts, corrections)) pieces.push(piece);
  return { pieces, document: JSON.parse(pieces.join('')) as OutputDocument };
}

describe('outputDocumentJson', () => {
  test('the pages and tables of every part in order, one piece each, a valid schema-2 document', async () => {
    const all = [...syntheticParts(7, 3, { lines: 2, fields: 3, continueEvery: 2 })];
    const parts = memoryParts(all);
    const { pieces, document } = await generate(parts);
    expect(document).toEqual({
      ...header,
      pages: all.flatMap((p) => p.pages),
      tables: all.flatMap((p) => p.tables),
      corrections: [],
    });
    // Pages 2, 4 and 6 continue onto the next page: 4 logical tables, each once, in order.
    expect(document.tables.map((t) => [t.id, t.parts.map((p) => p.page)])).toEqual([
      ['t1', [1]],
      ['t2', [2, 3]],
      ['t3', [4, 5]],
      ['t4', [6, 7]],
    ]);
    expect(pieces).toHaveLength(1 + 7 + 1 + 4 + 1);
    // One pass for the pages, one for the tables; never two parts at once.
    expect(parts.reads).toEqual([1, 2, 3, 1, 2, 3]);
    expect(outputSchemaErrors(document)).toEqual([]);
  });

  test('a document without parts, and a duplicate, are headers with empty lists', async () => {
    const { document } = await generate(memoryParts([]));
    expect(document).toMatchObject({ pages: [], tables: [], corrections: [] });
    const duplicate: OutputHeader = {
      ...header,
      status: 'DUPLICATE',
      textract: undefined,
      duplicateOf: {
        documentId: 'invoice-6',
        output: { bucket: 'docket-output', key: 'documents/invoice-6/x' },
      },
    };
    const dup = await generate(memoryParts([]), [], duplicate);
    expect(dup.document).not.toHaveProperty('textract');
    expect(outputSchemaErrors(dup.document)).toEqual([]);
  });

  test('text that needs escaping survives', async () => {
    const page = syntheticPage(1, { lines: 1, fields: 1 });
    page.lines[0]!.text = 'quote " backslash \\ newline \n tab \t unicode € \u2028 emoji 🧾';
    const { document } = await generate(memoryParts([{ pages: [page], tables: [] }]));
    expect(document.pages[0]!.lines[0]!.text).toBe(page.lines[0]!.text);
  });
});

describe('corrections', () => {
  const parts = () =>
    memoryParts([
      { pages: [syntheticPage(1, { fields: 3 }), syntheticPage(2, { fields: 3 })], tables: [] },
      { pages: [syntheticPage(3, { fields: 3 })], tables: [] },
    ]);
  const fieldOf = (doc: OutputDocument, id: string) =>
    doc.pages.flatMap((p) => p.fields).find((f) => f.id === id);
  const answerOf = (doc: OutputDocument, id: string) =>
    doc.pages.flatMap((p) => p.queries).find((q) => q.id === id);

  test('by field id: the value text is replaced and the field says what Textract had', async () => {
    const source = parts();
    const { document } = await generate(source, [
      { fieldId: 'p2-f3', name: 'Field 3', text: 'corrected', reviewer: 'rita', at },
    ]);
    expect(fieldOf(document, 'p2-f3')).toMatchObject({
      value: { text: 'corrected', confidence: 63 },
      correction: { extractedText: 'VALUE-2-3', reviewer: 'rita', at },
    });
    // Fields with the same name on other pages are left alone.
    expect(fieldOf(document, 'p1-f3')).not.toHaveProperty('correction');
    expect(document.corrections).toEqual([
      {
        fieldId: 'p2-f3',
        name: 'Field 3',
        extractedText: 'VALUE-2-3',
        text: 'corrected',
        reviewer: 'rita',
        at,
      },
    ]);
    expect(source.reads).toEqual([1, 2, 1, 2]); // no extra pass: every correction has its id
    expect(outputSchemaErrors(document)).toEqual([]);
  });

  test('by the id of a query answer: the answer text is replaced', async () => {
    const { document } = await generate(parts(), [
      { fieldId: 'p1-q1', name: 'invoice_number', text: 'INV-1', reviewer: 'rita', at },
    ]);
    expect(answerOf(document, 'p1-q1')?.text).toBe('INV-1');
    expect(document.corrections[0]).toMatchObject({ fieldId: 'p1-q1', extractedText: 'VALUE-INV-1' });
  });

  test('by a query alias: its top answer, the highest confidence, the first on a tie', async () => {
    // syntheticPage gives page p's answer confidence 50 + p % 50: page 3 is the top one.
    const source = parts();
    const { document } = await generate(source, [
      { name: 'invoice_number', text: 'INV-9', reviewer: 'sam', at },
    ]);
    expect(answerOf(document, 'p3-q1')?.text).toBe('INV-9');
    expect(answerOf(document, 'p2-q1')?.text).toBe('VALUE-INV-2');
    expect(document.corrections).toEqual([
      {
        fieldId: 'p3-q1',
        name: 'invoice_number',
        extractedText: 'VALUE-INV-3',
        text: 'INV-9',
        reviewer: 'sam',
        at,
      },
    ]);
    expect(source.reads).toEqual([1, 2, 1, 2, 1, 2]); // one more pass, to find the top answer

    const tied = memoryParts([
      {
        pages: [1, 2].map((p) => {
          const page: OutputPage = syntheticPage(p, { fields: 0 });
          page.queries[0]!.confidence = 80;
          return page;
        }),
        tables: [],
      },
    ]);
    const { document: first } = await generate(tied, [
      { name: 'invoice_number', text: 'x', reviewer: 'sam', at },
    ]);
    expect(first.corrections[0]?.fieldId).toBe('p1-q1');
  });

  test('by a name the document does not have: a missing field, only in the corrections', async () => {
    // Form fields are not matched by name: "Field 1" is on every page, and ids say which one.
    const { document } = await generate(parts(), [
      { name: 'po_number', text: 'PO-7', reviewer: 'rita', at },
      { name: 'Field 1', text: 'by name', reviewer: 'rita', at },
    ]);
    expect(document.corrections).toEqual([
      { name: 'po_number', extractedText: null, text: 'PO-7', reviewer: 'rita', at },
      { name: 'Field 1', extractedText: null, text: 'by name', reviewer: 'rita', at },
    ]);
    expect(document.pages.flatMap((p) => p.fields).filter((f) => f.correction)).toEqual([]);
    expect(outputSchemaErrors(document)).toEqual([]);
  });

  test('the same target twice: the last value wins, at the first one’s place', async () => {
    const { document } = await generate(parts(), [
      { fieldId: 'p1-f1', name: 'Field 1', text: 'first', reviewer: 'rita', at },
      { name: 'po_number', text: 'PO-7', reviewer: 'rita', at },
      { fieldId: 'p1-f1', name: 'Field 1', text: 'second', reviewer: 'sam', at },
    ]);
    expect(document.corrections.map((c) => [c.fieldId, c.text, c.reviewer])).toEqual([
      ['p1-f1', 'second', 'sam'],
      [undefined, 'PO-7', 'rita'],
    ]);
    expect(fieldOf(document, 'p1-f1')).toMatchObject({
      value: { text: 'second' },
      correction: { extractedText: 'VALUE-1-1', reviewer: 'sam' },
    });
  });

  test('a field id the document does not have fails without retry, naming only the id', async () => {
    const err = await applicationFailure(
      generate(parts(), [{ fieldId: 'p9-f1', name: 'Field 1', text: 'SECRET', reviewer: 'rita', at }]),
    );
    expect(err).toMatchObject({ type: FailureType.INVALID_INPUT, nonRetryable: true });
    expect(err.message).toContain('p9-f1');
    expect(err.message).not.toContain('SECRET');
  });
});
