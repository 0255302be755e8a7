// Two identities on the real stack: the same bytes under two profiles pay for one Textract job and
// get two outputs, each under its own key and encryption context; the same bytes under the same
// profile are a DUPLICATE; reprocess rebuilds from the stored raw parts with no Textract call and
// writes output version 2 beside version 1; with the raw parts gone it fails naming why.
import { randomUUID } from 'node:crypto';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { approveSignal, DocumentStatus, documentWorkflowId, statusQuery } from '../../lib/contract';
import { partKey } from '../../lib/extraction';
import {
  listOutputVersions,
  RawResultsGoneError,
  reprocessDocument,
  storedRecord,
  type ReprocessContext,
} from '../../clients/reprocess';
import type { documentWorkflow } from '../../workflows';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { eventually, LifecycleSuite } from '../support/lifecycle';

const suite = new LifecycleSuite('reuse');
/** Every Textract API call the workers made (Start*, Get*), counted at the SDK client. */
let textract: { calls(): number };
let otherKey: string;

beforeAll(async () => {
  await suite.setUp();
  textract = suite.countTextractCalls();
  const key = await suite.aws.kms.send(new CreateKeyCommand({ Description: 'docket reuse test, profile B' }));
  otherKey = `alias/docket-reuse-${randomUUID().slice(0, 8)}`;
  await suite.aws.kms.send(
    new CreateAliasCommand({ AliasName: otherKey, TargetKeyId: key.KeyMetadata!.KeyId! }),
  );
}, 120_000);
afterAll(() => suite.tearDown());

const reprocessContext = (taskQueue: string): ReprocessContext => ({
  s3: suite.aws.s3,
  temporal: suite.client,
  resultsBucket: suite.resources.resultsBucket,
  taskQueue,
});

test('same bytes under two profiles: one Textract job, two outputs under their own keys; same profile again: DUPLICATE', async () => {
  const source = await suite.upload(
    `e2e/${randomUUID()}/sample-invoice.pdf`,
    uniqueCorpusDocument('sample-invoice.pdf'),
  );
  const profileA = suite.profile({ name: 'reuse-a' });
  // Same extraction (features in another order), other routing, key and output prefix.
  const profileB = suite.profile({
    name: 'reuse-b',
    fieldThresholds: { 'Invoice Number': 99.9 },
    output: { bucket: suite.resources.outputBucket, prefix: 'documents-b', kmsKeyId: otherKey },
  });
  const [a, b, c] = ['a', 'b', 'c'].map((x) => `e2e-reuse-${x}-${randomUUID()}`) as [string, string, string];
  await suite.withWorker(async (tq) => {
    const resultA = await (await suite.start(tq, { documentId: a, source, profile: profileA })).result();
    expect(resultA.status).toBe(DocumentStatus.SUCCEEDED);
    const checksum = resultA.checksum!;
    expect(await suite.textractJobs(checksum)).toHaveLength(1);
    const callsAfterA = textract.calls();
    expect(callsAfterA).toBeGreaterThan(0);

    const handleB = await suite.start(tq, { documentId: b, source, profile: profileB });
    // B runs its own routing: its threshold sends a field to review, where A went straight through.
    const waiting = await eventually('B awaiting review', async () => {
      const state = await handleB.query(statusQuery);
      return state.status === DocumentStatus.AWAITING_REVIEW ? state : undefined;
    });
    expect(waiting.review).toEqual([
      expect.objectContaining({ field: 'Invoice Number', reason: 'LOW_CONFIDENCE', threshold: 99.9 }),
    ]);
    await handleB.signal(approveSignal, { reviewer: 'rita' });
    const resultB = await handleB.result();
    expect(resultB).toMatchObject({ status: DocumentStatus.SUCCEEDED, checksum, fieldsReviewed: 1 });
    expect(resultB.duplicateOf).toBeUndefined();
    // Reused: no second job, not one Textract call.
    expect(await suite.textractJobs(checksum)).toHaveLength(1);
    expect(textract.calls()).toBe(callsAfterA);

    const resultC = await (await suite.start(tq, { documentId: c, source, profile: profileA })).result();
    expect(resultC).toMatchObject({ status: DocumentStatus.DUPLICATE, duplicateOf: { documentId: a } });

    // Each output decrypts only under its own profile's key and its own document's context.
    const { s3, kms } = suite.aws;
    const { readDocumentOutput } = await import('../../lib/output-document');
    const docA = await readDocumentOutput({
      s3,
      kms,
      location: resultA.output!,
      kmsKeyId: suite.resources.kmsAlias,
      documentId: a,
      checksum,
    });
    const docB = await readDocumentOutput({
      s3,
      kms,
      location: resultB.output!,
      kmsKeyId: otherKey,
      documentId: b,
      checksum,
    });
    expect(docA.profile).toBe('reuse-a');
    expect(docB.profile).toBe('reuse-b');
    expect(resultB.output!.key.startsWith('documents-b/')).toBe(true);
    // The same extracted fields in both: B's come from A's stored Textract result.
    const names = (d: typeof docA) => d.pages.flatMap((p) => p.fields.map((f) => f.name)).sort();
    expect(names(docB)).toEqual(names(docA));
    await expect(
      readDocumentOutput({
        s3,
        kms,
        location: resultB.output!,
        kmsKeyId: suite.resources.kmsAlias,
        documentId: b,
        checksum,
      }),
    ).rejects.toThrow();
    await expect(
      readDocumentOutput({ s3, kms, location: resultB.output!, kmsKeyId: otherKey, documentId: a, checksum }),
    ).rejects.toThrow();
  });
  expect(await suite.replayAll()).toEqual([]);
}, 240_000);

test('reprocess: no Textract call, output version 2 written, version 1 still readable; raw parts gone fails clearly', async () => {
  const source = await suite.upload(
    `e2e/${randomUUID()}/sample-invoice.pdf`,
    uniqueCorpusDocument('sample-invoice.pdf'),
  );
  const documentId = `e2e-reprocess-${randomUUID()}`;
  const profile = suite.profile({ name: 'reprocess' });
  await suite.withWorker(async (tq) => {
    const first = await (await suite.start(tq, { documentId, source, profile })).result();
    expect(first.status).toBe(DocumentStatus.SUCCEEDED);
    const callsBefore = textract.calls();

    // Tuned threshold: the reprocess run routes with it and goes to review.
    const tuned = { ...profile, fieldThresholds: { 'Invoice Number': 99.9 } };
    const started = await reprocessDocument(reprocessContext(tq), documentId, tuned);
    expect(started).toMatchObject({ version: 2, workflowId: documentWorkflowId(documentId) });
    suite.workflowIds.push(started.workflowId);
    const handle = suite.client.workflow.getHandle<typeof documentWorkflow>(started.workflowId);
    await eventually('reprocess awaiting review', async () => {
      const state = await handle.query(statusQuery);
      return state.status === DocumentStatus.AWAITING_REVIEW ? state : undefined;
    });
    await handle.signal(approveSignal, { reviewer: 'rita' });
    const second = await handle.result();
    expect(second).toMatchObject({
      status: DocumentStatus.SUCCEEDED,
      checksum: first.checksum,
      fieldsReviewed: 1,
    });
    expect(textract.calls()).toBe(callsBefore);

    const versions = await listOutputVersions(suite.aws.s3, profile.output, documentId);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(second.output).toEqual(versions[1]!.location);
    const v1 = await suite.readOutput(versions[0]!.location, documentId, first.checksum);
    const v2 = await suite.readOutput(versions[1]!.location, documentId, first.checksum);
    expect(v1.review.items).toEqual([]);
    expect(v2.review.items).toEqual([expect.objectContaining({ field: 'Invoice Number', threshold: 99.9 })]);
    expect(v2.textract?.jobId).toBe(v1.textract?.jobId);

    // Retention expired the raw parts: reprocess refuses, naming why.
    const record = await storedRecord(reprocessContext(tq), documentId);
    const { raw } = record.extraction;
    for (let part = 1; part <= raw.partsWritten; part++) {
      await suite.aws.s3.send(
        new DeleteObjectCommand({ Bucket: raw.bucket, Key: partKey(raw.prefix, 'raw', part) }),
      );
    }
    const refused = reprocessDocument(reprocessContext(tq), documentId, profile);
    await expect(refused).rejects.toThrow(RawResultsGoneError);
    await expect(refused).rejects.toThrow(/raw part 1 of \d+ .* is gone .* lifecycle rule/);
  });
  expect(await suite.replayAll()).toEqual([]);
}, 240_000);
