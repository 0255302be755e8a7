// The output activity against the in-memory S3 and KMS: the document streamed through the Encryption
// SDK into lib-storage's Upload (one PutObject, or a multipart upload past 8 MiB), and what happens
// when either side fails: the other stops, no object is written and no upload is left open.
import { CancelledFailure } from '@temporalio/common';
import { uploadPartSize } from '../../activities/encrypted-upload';
import { createOutputActivities, type WriteOutputInput } from '../../activities/output';
import { KmsEnvelope, newDataKeyCache } from '../../lib/aws/kms';
import { FailureType } from '../../lib/contract';
import type { OutputDocument } from '../../lib/document-model';
import { partKey } from '../../lib/extraction';
import { fakeKms, fakeKmsKey, fakeS3 } from '../support/fake-aws';
import { syntheticParts } from '../support/output-fixtures';
import { outputSchemaErrors } from '../support/output-schema';
import { quietActivityEnvironment } from '../support/quiet-logs';
import { applicationFailure } from '../support/failures';

const prefix = 'documents/invoice-7/textract/job-1';
const outputKey = 'docket-output/documents/invoice-7/document.json.encrypted';

function setup(pages: number, pagesPerPart: number) {
  const s3 = fakeS3();
  const kms = fakeKms();
  let parts = 0;
  for (const part of syntheticParts(pages, pagesPerPart, { marker: 'SECRET' })) {
    s3.objects.set(`docket-results/${partKey(prefix, 'normalized', ++parts)}`, JSON.stringify(part));
  }
  const input: WriteOutputInput = {
    kind: 'EXTRACTED',
    documentId: 'invoice-7',
    checksum: 'ab'.repeat(32),
    source: { bucket: 'docket-input', key: 'in/invoice-7.pdf' },
    profile: 'invoice',
    output: { bucket: 'docket-output', kmsKeyId: fakeKmsKey.alias },
    completedAt: '2026-01-01T00:02:00.000Z',
    textract: { jobId: 'job-1', api: 'ANALYSIS', status: 'SUCCEEDED', pages, warnings: [] },
    results: { bucket: 'docket-results', prefix, partsWritten: parts },
    review: { items: [], audit: [] },
    corrections: [
      {
        fieldId: 'p1-f2',
        name: 'Field 2',
        text: 'SECRET-CORRECTED',
        reviewer: 'rita',
        at: '2026-01-01T00:01:00.000Z',
      },
    ],
  };
  const { writeDocumentOutput } = createOutputActivities({ s3: s3.client, kms: kms.client });
  const write = (arg: WriteOutputInput = input) => quietActivityEnvironment().run(writeDocumentOutput, arg);
  const read = async () => {
    const bytes = s3.binary.get(outputKey);
    if (!bytes) throw new Error('no output object');
    // Another process: its own envelope and an empty data-key cache.
    const envelope = new KmsEnvelope({ kms: kms.client, cache: newDataKeyCache() });
    return envelope.decryptJson<OutputDocument>(fakeKmsKey.alias, bytes, { documentId: 'invoice-7' });
  };
  const partReads = () => s3.commands.filter((c) => c === 'GetObjectCommand').length;
  return { s3, kms, input, write, read, partReads };
}

test('a small document: one encrypted PutObject that decrypts to the whole valid document', async () => {
  const { s3, kms, write, read } = setup(3, 2);
  await expect(write()).resolves.toEqual({
    bucket: 'docket-output',
    key: 'documents/invoice-7/document.json.encrypted',
  });
  expect(s3.commands.filter((c) => !c.startsWith('Get'))).toEqual(['PutObjectCommand']);
  expect(s3.binary.get(outputKey)!.includes('SECRET')).toBe(false);
  expect(kms.calls('GenerateDataKey')).toBe(1);
  const doc = await read();
  expect(doc.pages.map((p) => p.page)).toEqual([1, 2, 3]);
  expect(doc.pages[0]!.fields[1]).toMatchObject({
    value: { text: 'SECRET-CORRECTED' },
    correction: { extractedText: 'SECRET-1-2' },
  });
  expect(doc.tables).toHaveLength(3);
  expect(outputSchemaErrors(doc)).toEqual([]);
});

test('rewriting with the same input writes the same key with the same document', async () => {
  const { s3, write, read } = setup(2, 1);
  await write();
  const first = await read();
  const firstBytes = s3.binary.get(outputKey);
  await write();
  expect(s3.writes.get(outputKey)).toBe(2);
  expect(await read()).toEqual(first);
  expect(s3.binary.get(outputKey)!.equals(firstBytes!)).toBe(false); // a fresh data key and IVs
});

test('past one part (8 MiB) a multipart upload, assembled in order', async () => {
  const { s3, write, read } = setup(500, 5);
  await write();
  const sent = s3.commands.filter((c) => !c.startsWith('Get'));
  expect(sent[0]).toBe('CreateMultipartUploadCommand');
  expect(sent.filter((c) => c === 'UploadPartCommand').length).toBeGreaterThan(1);
  expect(sent.at(-1)).toBe('CompleteMultipartUploadCommand');
  expect(s3.binary.get(outputKey)!.length).toBeGreaterThan(uploadPartSize);
  const doc = await read();
  expect(doc.pages).toHaveLength(500);
  expect(doc.pages.at(-1)!.page).toBe(500);
  expect(doc.tables.at(-1)!.parts.at(-1)!.page).toBe(500);
});

test('a part missing after parts were uploaded: the upload is aborted, no object, the S3 error', async () => {
  const { s3, write } = setup(800, 5);
  s3.objects.delete(`docket-results/${partKey(prefix, 'normalized', 150)}`);
  const err = await applicationFailure(write());
  expect(err).toMatchObject({ type: 'NoSuchKey', nonRetryable: true });
  expect(s3.commands).toContain('UploadPartCommand');
  expect(s3.commands).toContain('AbortMultipartUploadCommand');
  expect(s3.uploads.size).toBe(0);
  expect(s3.binary.has(outputKey)).toBe(false);
});

test('a part of the older layout fails without retry, saying so', async () => {
  const { s3, write } = setup(2, 1);
  const key = `docket-results/${partKey(prefix, 'normalized', 2)}`;
  s3.objects.set(key, JSON.stringify({ pages: [{ page: 2, lines: [], fields: [], tables: [] }] }));
  const err = await applicationFailure(write());
  expect(err).toMatchObject({ type: FailureType.INVALID_INPUT, nonRetryable: true });
  expect(err.message).toContain(`s3://${key} is not a normalized part of output schema 2`);
  expect(s3.binary.has(outputKey)).toBe(false);
});

test('a correction of a field the document lacks: nothing written', async () => {
  const { s3, input, write } = setup(3, 1);
  const wrong = {
    ...input,
    corrections: [{ fieldId: 'p7-f1', name: 'x', text: 'y', reviewer: 'r', at: 'a' }],
  };
  expect(await applicationFailure(write(wrong))).toMatchObject({
    type: FailureType.INVALID_INPUT,
    nonRetryable: true,
  });
  expect(s3.binary.has(outputKey)).toBe(false);
});

test('an upload that S3 refuses stops the generation: not every part is read', async () => {
  const { s3, write, partReads } = setup(500, 5);
  s3.failNext('UploadPartCommand', Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  const err = await applicationFailure(write());
  expect(err).toMatchObject({ type: 'AccessDenied', nonRetryable: true });
  expect(err.message).toContain('s3://docket-output/documents/invoice-7/document.json.encrypted');
  expect(partReads()).toBeLessThan(2 * 100);
  expect(s3.commands).toContain('AbortMultipartUploadCommand');
  expect(s3.binary.has(outputKey)).toBe(false);
});

test('cancelled mid-way: the upload is aborted and nothing is written', async () => {
  const { s3, input } = setup(800, 5);
  const env = quietActivityEnvironment();
  const send = s3.client.send.bind(s3.client);
  s3.client.send = (async (command: { constructor: { name: string } }) => {
    const result: unknown = await send(command as never);
    if (command.constructor.name === 'UploadPartCommand') env.cancel();
    return result;
  }) as typeof s3.client.send;
  const { writeDocumentOutput } = createOutputActivities({ s3: s3.client, kms: fakeKms().client });
  await expect(env.run(writeDocumentOutput, input)).rejects.toBeInstanceOf(CancelledFailure);
  expect(s3.commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(1);
  expect(s3.commands).toContain('AbortMultipartUploadCommand');
  expect(s3.uploads.size).toBe(0);
  expect(s3.binary.has(outputKey)).toBe(false);
});

test('KMS refusing the data key fails the write, classified, before anything is uploaded', async () => {
  const { s3, kms, write } = setup(2, 1);
  kms.failNext('GenerateDataKey', Object.assign(new Error('disabled'), { name: 'DisabledException' }));
  expect(await applicationFailure(write())).toMatchObject({ type: 'DisabledException', nonRetryable: true });
  expect(s3.commands.filter((c) => !c.startsWith('Get'))).toEqual([]);
});

test('a duplicate: the header and empty lists, no part read', async () => {
  const { s3, input, write, read } = setup(1, 1);
  const { textract: _t, results: _r, review: _v, corrections: _c, ...common } = input;
  const duplicateOf = {
    documentId: 'invoice-6',
    output: { bucket: 'docket-output', key: 'documents/invoice-6/x' },
  };
  await write({ ...common, kind: 'DUPLICATE', duplicateOf });
  expect(s3.commands).not.toContain('GetObjectCommand');
  const doc = await read();
  expect(doc).toEqual({
    schemaVersion: 2,
    documentId: 'invoice-7',
    status: 'DUPLICATE',
    profile: 'invoice',
    source: input.source,
    checksum: input.checksum,
    completedAt: input.completedAt,
    review: { items: [], audit: [] },
    duplicateOf,
    pages: [],
    tables: [],
    corrections: [],
  });
  expect(outputSchemaErrors(doc)).toEqual([]);
});
