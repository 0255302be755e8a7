// The lifecycle's S3/KMS activities and the payload codec against the real local stack (moto).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HeadObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { defaultPayloadConverter } from '@temporalio/common';
import { putJson } from '../../lib/aws/s3';
import { partKey, type NormalizedPart } from '../../lib/extraction';
import { readDocumentOutput } from '../../lib/output-document';
import { newDataKeyCache } from '../../lib/aws/kms';
import { FailureType } from '../../lib/contract';
import { encryptedEncoding, KmsPayloadCodec } from '../../lib/payload-codec';
import { box, syntheticParts } from '../support/output-fixtures';
import { outputSchemaErrors } from '../support/output-schema';
import { localActivities, runActivity as run } from '../support/local-activities';
import { applicationFailure } from '../support/failures';

/** `running`: documents whose workflows these tests treat as running (no workflows run here). */
const { stack, s3, kms, running, acts } = localActivities();
const { inputBucket, resultsBucket, outputBucket, kmsAlias } = stack.resources;

async function upload(body: Uint8Array | string): Promise<{ bucket: string; key: string }> {
  const key = `lifecycle/${randomUUID()}`;
  await s3.send(new PutObjectCommand({ Bucket: inputBucket, Key: key, Body: body }));
  return { bucket: inputBucket, key };
}

describe('checksum', () => {
  test('streams the object: SHA-256, size and the type from its bytes', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3 * 1024 * 1024)]);
    const source = await upload(bytes);
    await expect(run(acts.computeChecksum, { source })).resolves.toEqual({
      checksum: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      contentType: 'application/pdf',
    });
  });

  test('missing, empty and non-document objects fail without retry, saying why', async () => {
    const missing = await applicationFailure(
      run(acts.computeChecksum, { source: { bucket: inputBucket, key: 'no/such.pdf' } }),
    );
    expect(missing).toMatchObject({ type: 'DocumentNotFound', nonRetryable: true });
    expect(missing.message).toContain(`the source object in bucket ${inputBucket} does not exist`);
    // The history, status and logs carry this message in the clear: never the key.
    expect(missing.message).not.toContain('no/such.pdf');

    const empty = await applicationFailure(run(acts.computeChecksum, { source: await upload('') }));
    expect(empty).toMatchObject({ type: 'DocumentEmpty', nonRetryable: true });

    const text = await applicationFailure(
      run(acts.computeChecksum, { source: await upload('just some notes') }),
    );
    expect(text).toMatchObject({ type: 'DocumentUnsupported', nonRetryable: true });
    expect(text.message).toContain('not a PDF, TIFF, JPEG or PNG');
  });
});

describe('dedup claim', () => {
  test('of many documents racing for the same bytes exactly one claims them', async () => {
    const checksum = createHash('sha256').update(randomUUID()).digest('hex');
    const ids = Array.from({ length: 8 }, (_, i) => `race-${randomUUID()}-${i}`);
    for (const id of ids) running.add(id);
    const results = await Promise.all(
      ids.map((documentId) => run(acts.claimDocument, { documentId, checksum })),
    );
    const winners = ids.filter((_, i) => results[i]?.outcome === 'CLAIMED');
    expect(winners).toHaveLength(1);
    const winner = winners[0] as string;
    for (const r of results) if (r.outcome === 'HELD') expect(r.original.documentId).toBe(winner);

    // Claiming again as the winner (a retry) keeps the claim; a loser keeps waiting.
    await expect(run(acts.claimDocument, { documentId: winner, checksum })).resolves.toEqual({
      outcome: 'CLAIMED',
    });
    const loser = ids.find((id) => id !== winner) as string;
    expect(await applicationFailure(run(acts.awaitOriginal, { documentId: loser, checksum }))).toMatchObject({
      type: FailureType.ORIGINAL_STILL_PROCESSING,
      nonRetryable: false,
    });

    const output = { bucket: outputBucket, key: `documents/${winner}/document.json.encrypted` };
    await run(acts.completeClaim, { documentId: winner, checksum, output });
    await expect(run(acts.awaitOriginal, { documentId: loser, checksum })).resolves.toEqual({
      outcome: 'COMPLETED',
      original: { documentId: winner, output },
    });
  });

  test('a released claim lets the next document with the same bytes process them', async () => {
    const checksum = createHash('sha256').update(randomUUID()).digest('hex');
    running.add('first').add('second');
    await run(acts.claimDocument, { documentId: 'first', checksum });
    await run(acts.releaseClaim, { documentId: 'second', checksum }); // not the owner: no effect
    expect((await run(acts.claimDocument, { documentId: 'second', checksum })).outcome).toBe('HELD');
    await run(acts.releaseClaim, { documentId: 'first', checksum });
    await expect(run(acts.awaitOriginal, { documentId: 'second', checksum })).resolves.toEqual({
      outcome: 'CLAIMED',
    });
  });
});

describe('stale claims', () => {
  test('a claim whose holder no longer runs is taken over by exactly one of the documents racing for it', async () => {
    const checksum = createHash('sha256').update(randomUUID()).digest('hex');
    const gone = `terminated-${randomUUID()}`;
    running.add(gone);
    await run(acts.claimDocument, { documentId: gone, checksum });
    running.delete(gone); // its workflow was terminated: no release, no completion
    const ids = Array.from({ length: 6 }, (_, i) => `takeover-${randomUUID()}-${i}`);
    for (const id of ids) running.add(id);
    const results = await Promise.all(
      ids.map((documentId) => run(acts.claimDocument, { documentId, checksum })),
    );
    const winners = ids.filter((_, i) => results[i]?.outcome === 'CLAIMED');
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.outcome === 'HELD') expect(r.original.documentId).toBe(winners[0]);
  });
});

describe('encrypted output', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const common = (documentId: string) => ({
    documentId,
    checksum: createHash('sha256').update(documentId).digest('hex'),
    source: { bucket: inputBucket, key: 'in/x.pdf' },
    profile: 'invoice',
    output: { bucket: outputBucket, kmsKeyId: kmsAlias },
    completedAt: '2026-01-01T00:02:00.000Z',
  });
  const textractOf = (pages: number) => ({
    jobId: 'job-9',
    api: 'ANALYSIS' as const,
    status: 'SUCCEEDED' as const,
    pages,
    warnings: [],
  });
  async function putParts(prefix: string, parts: Iterable<NormalizedPart>): Promise<number> {
    let n = 0;
    for (const part of parts) await putJson(s3, resultsBucket, partKey(prefix, 'normalized', ++n), part);
    return n;
  }

  test('round trip of schema 2: pages, tables, corrections by id and for a missing field; nothing readable stored', async () => {
    const { documentId, checksum, ...rest } = common(`out-${randomUUID()}`);
    const prefix = `documents/${documentId}/textract/job-9`;
    // Two parts of two pages; the table of page 2 continues onto page 3, across the parts, so it is
    // written once, with the second part.
    const parts = [...syntheticParts(4, 2, { lines: 3, fields: 2, continueEvery: 2, marker: 'SECRET' })];
    const page1 = parts[0]!.pages[0]!;
    page1.fields[1] = {
      ...page1.fields[1]!,
      name: 'Total',
      value: { text: 'SECRET-12.00', confidence: 55, box },
    };
    expect(parts.map((p) => p.tables.map((t) => [t.id, t.parts.map((tp) => tp.page)]))).toEqual([
      [['t1', [1]]],
      [
        ['t2', [2, 3]],
        ['t3', [4]],
      ],
    ]);
    await putParts(prefix, parts);
    const audit = [
      {
        action: 'correct' as const,
        reviewer: 'rita',
        at,
        field: 'Total',
        oldValue: 'SECRET-12.00',
        newValue: 'SECRET-12.50',
      },
      {
        action: 'correct' as const,
        reviewer: 'rita',
        at,
        field: 'po_number',
        oldValue: null,
        newValue: 'SECRET-PO-7',
      },
      { action: 'approve' as const, reviewer: 'rita', at: '2026-01-01T00:01:00.000Z' },
    ];
    const review = {
      items: [
        { field: 'Total', reason: 'LOW_CONFIDENCE' as const, confidence: 55, threshold: 80 },
        { field: 'po_number', reason: 'MISSING_REQUIRED' as const, threshold: 80 },
      ],
      audit,
    };
    const location = await run(acts.writeDocumentOutput, {
      kind: 'EXTRACTED',
      documentId,
      checksum,
      ...rest,
      textract: textractOf(4),
      results: { bucket: resultsBucket, prefix, partsWritten: 2 },
      corrections: [
        { fieldId: 'p1-f2', name: 'Total', text: 'SECRET-12.50', reviewer: 'rita', at },
        { name: 'po_number', text: 'SECRET-PO-7', reviewer: 'rita', at },
      ],
      review,
    });
    expect(location).toEqual({
      bucket: outputBucket,
      key: `documents/${documentId}/document.json.encrypted`,
    });

    const stored = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    for (const secret of ['SECRET', 'Total', 'po_number', 'Line 1 of page'])
      expect(bytes.includes(secret)).toBe(false);
    const head = await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', ContentType: 'application/octet-stream' });

    const doc = await readDocumentOutput({ s3, kms, location, kmsKeyId: kmsAlias, documentId, checksum });
    expect(outputSchemaErrors(doc)).toEqual([]);
    const corrected = {
      ...page1,
      fields: [
        page1.fields[0],
        {
          ...page1.fields[1],
          value: { text: 'SECRET-12.50', confidence: 55, box },
          correction: { extractedText: 'SECRET-12.00', reviewer: 'rita', at },
        },
      ],
    };
    const { output: _output, ...recorded } = rest;
    expect(doc).toEqual({
      schemaVersion: 2,
      documentId,
      status: 'SUCCEEDED',
      checksum,
      ...recorded,
      textract: textractOf(4),
      review,
      pages: [corrected, ...parts.flatMap((p) => p.pages).slice(1)],
      tables: parts.flatMap((p) => p.tables),
      corrections: [
        {
          fieldId: 'p1-f2',
          name: 'Total',
          extractedText: 'SECRET-12.00',
          text: 'SECRET-12.50',
          reviewer: 'rita',
          at,
        },
        { name: 'po_number', extractedText: null, text: 'SECRET-PO-7', reviewer: 'rita', at },
      ],
    });

    for (const wrong of [{ documentId: 'someone-else' }, { documentId, checksum: 'ff'.repeat(32) }]) {
      const read = readDocumentOutput({ s3, kms, location, kmsKeyId: kmsAlias, ...wrong });
      expect(await applicationFailure(read)).toMatchObject({
        type: FailureType.ENCRYPTION_CONTEXT_MISMATCH,
        nonRetryable: true,
      });
    }

    // Writing the output leaves the claim to the workflow, which completes it next; from then on a
    // later document with the same bytes is a duplicate of this one.
    await run(acts.completeClaim, { documentId, checksum, output: location });
    await expect(run(acts.claimDocument, { documentId: 'later', checksum })).resolves.toEqual({
      outcome: 'COMPLETED',
      original: { documentId, output: location },
    });
  });

  test('a document larger than one upload part goes up in several and reads back whole', async () => {
    const { documentId, checksum, ...rest } = common(`out-large-${randomUUID()}`);
    const prefix = `documents/${documentId}/textract/job-9`;
    const pages = 450; // about 10 MB of JSON: two 8 MiB parts
    const partsWritten = await putParts(prefix, syntheticParts(pages, 10));
    const location = await run(acts.writeDocumentOutput, {
      kind: 'EXTRACTED',
      documentId,
      checksum,
      ...rest,
      textract: textractOf(pages),
      results: { bucket: resultsBucket, prefix, partsWritten },
      corrections: [{ fieldId: `p${pages}-f20`, name: 'Field 20', text: 'last', reviewer: 'rita', at }],
      review: { items: [], audit: [] },
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    // A multipart object's ETag ends with its number of parts.
    expect(head.ETag).toMatch(/-([2-9]|\d\d+)"$/);
    expect(head.ContentLength).toBeGreaterThan(8 * 1024 * 1024);
    expect(head.ServerSideEncryption).toBe('aws:kms');

    const doc = await readDocumentOutput({ s3, kms, location, kmsKeyId: kmsAlias, documentId, checksum });
    expect(doc.pages.map((p) => p.page)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    const expectedTables = [...syntheticParts(pages, 10)].flatMap((p) => p.tables);
    expect(doc.tables).toEqual(expectedTables);
    expect(doc.pages.at(-1)!.fields.at(-1)).toMatchObject({
      value: { text: 'last' },
      correction: { reviewer: 'rita' },
    });
    expect(doc.corrections).toHaveLength(1);
    expect(outputSchemaErrors(doc)).toEqual([]);
  });
});

describe('payload codec', () => {
  test('encrypts payloads with one cached KMS data key; another process decrypts them', async () => {
    const sent: string[] = [];
    const counting = {
      send: (...args: Parameters<typeof kms.send>) => (
        sent.push(args[0].constructor.name),
        kms.send(...args)
      ),
    } as typeof kms;
    const worker = new KmsPayloadCodec({ kms: counting, kmsKeyId: kmsAlias, cache: newDataKeyCache() });
    // Another process: its own client and an empty cache.
    const client = new KmsPayloadCodec({ kms, kmsKeyId: kmsAlias, cache: newDataKeyCache() });
    const secret = { field: 'total', value: 'SECRET-12.50' };
    const payloads = [defaultPayloadConverter.toPayload(secret), defaultPayloadConverter.toPayload('x')];
    const encoded = await worker.encode(payloads);
    await worker.encode(payloads);
    expect(sent).toEqual(['DescribeKeyCommand', 'GenerateDataKeyCommand']);
    expect(Buffer.from(encoded[0]!.data!).includes('SECRET')).toBe(false);
    expect(Object.keys(encoded[0]!.metadata!)).toEqual(['encoding']);
    expect(Buffer.from(encoded[0]!.metadata!.encoding!).toString()).toBe(encryptedEncoding);
    const decoded = await client.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([secret, 'x']);

    // Flip every bit of one byte: writing a fixed value left it unchanged when it already held it.
    for (const at of [20, encoded[0]!.data!.length - 1]) {
      const flipped = Buffer.from(encoded[0]!.data!);
      flipped[at] = flipped[at]! ^ 0xff;
      const tampered = { ...encoded[0]!, data: flipped };
      await expect(client.decode([tampered])).rejects.toThrow();
    }
  });

  test('an output document cannot be passed off as a payload', async () => {
    const documentId = `disguise-${randomUUID()}`;
    const location = await run(acts.writeDocumentOutput, {
      kind: 'DUPLICATE',
      documentId,
      checksum: 'ab'.repeat(32),
      source: { bucket: inputBucket, key: 'in/y.pdf' },
      output: { bucket: outputBucket, kmsKeyId: kmsAlias },
      profile: 'invoice',
      completedAt: '2026-01-01T00:00:00.000Z',
      duplicateOf: { documentId: 'original', output: { bucket: outputBucket, key: 'documents/original/x' } },
    });
    const stored = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    const data = await stored.Body!.transformToByteArray();
    const codec = new KmsPayloadCodec({ kms, kmsKeyId: kmsAlias });
    const disguised = { metadata: { encoding: Buffer.from(encryptedEncoding) }, data };
    expect(await applicationFailure(codec.decode([disguised]))).toMatchObject({
      type: FailureType.ENCRYPTION_CONTEXT_MISMATCH,
    });
  });
});
