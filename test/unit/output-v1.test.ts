// The output activity reads the normalized parts (schema 2) and, until the streamed schema 2 writer
// replaces it, still writes the schema 1 document: the best value per name, logical tables as rows.
import type { S3Client } from '@aws-sdk/client-s3';
import { createOutputActivities, type WriteOutputInput } from '../../activities/output';
import type { OutputField, OutputPage, OutputTable } from '../../lib/document-model';
import type { S3Location } from '../../lib/contract';
import { partKey, type NormalizedPart } from '../../lib/extraction';
import type { OutputDocument } from '../../lib/output-document';
import { KmsEnvelope } from '../../lib/aws/kms';
import { fakeKms, fakeKmsKey } from '../support/fake-aws';
import { quietActivityEnvironment } from '../support/quiet-logs';

const box = { left: 0.1, top: 0.1, width: 0.2, height: 0.02 };
const prefix = 'documents/doc-1/textract/job-9';

function formField(id: string, name: string, value: string, confidence: number): OutputField {
  return {
    id,
    name,
    page: 1,
    key: { text: name, confidence: 99, box },
    value: { text: value, confidence, box },
  };
}

const page: OutputPage = {
  page: 1,
  lines: [{ text: 'Invoice INV-42', confidence: 97, box }],
  fields: [
    formField('p1-f1', 'total', '12.00', 55),
    formField('p1-f2', 'total', '12.10', 45),
    formField('p1-f3', '', 'no key', 99),
  ],
  queries: [
    { id: 'p1-q1', alias: 'invoice_number', question: 'Number?', text: 'INV-41', confidence: 60, page: 1 },
    { id: 'p1-q2', alias: 'invoice_number', question: 'Number?', text: 'INV-42', confidence: 91, page: 1 },
  ],
  signatures: [],
  layout: [],
};

const cell = (row: number, column: number, text: string, page: number, columnSpan = 1) => ({
  row,
  column,
  rowSpan: 1,
  columnSpan,
  text,
  confidence: 90,
  entityTypes: [],
  page,
  box,
});

const table: OutputTable = {
  id: 't1',
  rowCount: 3,
  columnCount: 2,
  headerRows: [],
  confidence: 88,
  parts: [
    { page: 1, box, firstRow: 1, rowCount: 2 },
    { page: 2, box, firstRow: 3, rowCount: 1 },
  ],
  cells: [
    cell(1, 2, 'price', 1),
    cell(1, 1, 'item', 1),
    cell(2, 1, 'merged', 1, 2),
    cell(3, 1, 'a', 2),
    cell(3, 2, 'b', 2),
  ],
};

test('schema 1 fields (best per name, corrections applied) and tables from schema 2 parts', async () => {
  const objects = new Map<string, unknown>();
  const parts: NormalizedPart[] = [
    { pages: [page], tables: [] },
    { pages: [], tables: [table] },
  ];
  parts.forEach((part, i) =>
    objects.set(`results/${partKey(prefix, 'normalized', i + 1)}`, JSON.stringify(part)),
  );
  const s3 = {
    send: async (command: {
      constructor: { name: string };
      input: { Bucket: string; Key: string; Body?: unknown };
    }) => {
      const id = `${command.input.Bucket}/${command.input.Key}`;
      if (command.constructor.name === 'PutObjectCommand') return void objects.set(id, command.input.Body);
      const body = objects.get(id) as string;
      return { Body: { transformToString: async () => body } };
    },
  } as unknown as S3Client;
  const kms = fakeKms();
  const input: WriteOutputInput = {
    kind: 'EXTRACTED',
    documentId: 'doc-1',
    checksum: 'ab'.repeat(32),
    source: { bucket: 'in', key: 'x.pdf' },
    output: { bucket: 'out', kmsKeyId: fakeKmsKey.alias },
    completedAt: '2026-01-01T00:00:00.000Z',
    textract: { jobId: 'job-9', status: 'SUCCEEDED', pages: 2, warnings: [] },
    results: { bucket: 'results', prefix, partsWritten: 2 },
    corrections: { total: '12.50' },
    review: { items: [], audit: [] },
  };

  const location: S3Location = await quietActivityEnvironment().run(
    createOutputActivities({ s3, kms: kms.client }).writeDocumentOutput,
    input,
  );
  const bytes = objects.get(`${location.bucket}/${location.key}`) as Uint8Array;
  const doc = await new KmsEnvelope({ kms: kms.client }).decryptJson<OutputDocument>(
    fakeKmsKey.alias,
    bytes,
    {
      documentId: 'doc-1',
    },
  );

  expect(doc.fields).toEqual({
    total: {
      value: '12.50',
      confidence: 55,
      page: 1,
      source: 'FORM',
      corrected: true,
      extractedValue: '12.00',
    },
    invoice_number: { value: 'INV-42', confidence: 91, page: 1, source: 'QUERY', corrected: false },
  });
  expect(doc.tables).toEqual([
    {
      page: 1,
      confidence: 88,
      rows: [['item', 'price'], ['merged'], ['a', 'b']],
    },
  ]);
});
