// The final document: assembled from the normalized result and the review, encrypted with the
// Encryption SDK, written with SSE-KMS at a deterministic key. Plus the read-back clients use.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { KMSClient } from '@aws-sdk/client-kms';
import { log } from '@temporalio/activity';
import type { ReviewItem } from '../lib/confidence-routing';
import type { DocumentSource } from '../lib/document-input';
import type { DuplicateOf, ReviewAuditEntry, S3Location } from '../lib/document-state';
import type { ExtractedField, TextractWarning } from '../lib/extraction';
import { defaultOutputPrefix, type ProfileOutput } from '../lib/profile';
import { KmsEnvelope, type EncryptionContext } from '../lib/aws/kms';
import { classified } from './errors';
import { keepBest, type NormalizedPage, type NormalizedTable } from './normalize';
import { getJson, partKey } from './textract';

/** A field in the output: the best value Textract found, or the reviewer's correction. */
export interface OutputField extends Omit<ExtractedField, 'name'> {
  corrected: boolean;
  /** Textract's value when a reviewer replaced it. */
  extractedValue?: string;
}

/** The decrypted output document. */
export interface OutputDocument {
  version: 1;
  documentId: string;
  status: 'SUCCEEDED' | 'DUPLICATE';
  source: DocumentSource;
  checksum: string;
  completedAt: string;
  textract?: { jobId: string; status: string; pages: number; warnings: TextractWarning[] };
  fields: Record<string, OutputField>;
  tables: (NormalizedTable & { page: number })[];
  review: { items: ReviewItem[]; audit: ReviewAuditEntry[] };
  duplicateOf?: DuplicateOf;
}

interface OutputCommon {
  documentId: string;
  checksum: string;
  source: DocumentSource;
  output: ProfileOutput;
  /** Workflow time, so a rewrite produces the same document. */
  completedAt: string;
}

export type WriteOutputInput =
  | (OutputCommon & {
      kind: 'EXTRACTED';
      textract: { jobId: string; status: string; pages: number; warnings: TextractWarning[] };
      results: { bucket: string; prefix: string; partsWritten: number };
      corrections: Record<string, string>;
      review: { items: ReviewItem[]; audit: ReviewAuditEntry[] };
    })
  | (OutputCommon & { kind: 'DUPLICATE'; duplicateOf: DuplicateOf });

/** Where a document's output lives: one key per document, so rewriting is harmless. */
export function outputLocation(output: ProfileOutput, documentId: string): S3Location {
  return {
    bucket: output.bucket,
    key: `${output.prefix ?? defaultOutputPrefix}/${documentId}/document.json.encrypted`,
  };
}

/** Encryption context of an output document: binds the ciphertext to the document it belongs to. */
export interface OutputEncryptionContext extends EncryptionContext {
  documentId: string;
  checksum: string;
}

export interface OutputActivitiesOptions {
  s3: S3Client;
  kms: KMSClient;
}

export function createOutputActivities({ s3, kms }: OutputActivitiesOptions) {
  const envelope = new KmsEnvelope({ kms });
  return {
    /** Assembles, encrypts and writes the output document; returns its location. */
    writeDocumentOutput: async (input: WriteOutputInput): Promise<S3Location> => {
      const document = input.kind === 'EXTRACTED' ? await assemble(s3, input) : duplicateDocument(input);
      const location = outputLocation(input.output, input.documentId);
      const context: OutputEncryptionContext = { documentId: input.documentId, checksum: input.checksum };
      const body = await envelope.encryptJson(input.output.kmsKeyId, context, document);
      await classified(`writing s3://${location.bucket}/${location.key}`, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: location.bucket,
            Key: location.key,
            Body: body,
            ContentType: 'application/octet-stream',
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: input.output.kmsKeyId,
          }),
        ),
      );
      log.info('output written', { kind: input.kind, bytes: body.length });
      return location;
    },
  };
}

export interface ReadOutputOptions {
  s3: S3Client;
  kms: KMSClient;
  location: S3Location;
  /** The key the profile encrypts with (id, ARN or alias). */
  kmsKeyId: string;
  /** The document the caller expects; decryption fails when the encryption context names another. */
  documentId: string;
  checksum?: string;
}

/** Reads, decrypts and verifies an output document. */
export async function readDocumentOutput(options: ReadOutputOptions): Promise<OutputDocument> {
  const { s3, location } = options;
  const bytes = await classified(`reading s3://${location.bucket}/${location.key}`, async () => {
    const res = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    if (!res.Body) throw new Error(`s3://${location.bucket}/${location.key} has no body`);
    return res.Body.transformToByteArray();
  });
  const expected: Partial<OutputEncryptionContext> = {
    documentId: options.documentId,
    checksum: options.checksum,
  };
  return new KmsEnvelope({ kms: options.kms }).decryptJson<OutputDocument>(options.kmsKeyId, bytes, expected);
}

async function assemble(
  s3: S3Client,
  input: Extract<WriteOutputInput, { kind: 'EXTRACTED' }>,
): Promise<OutputDocument> {
  const best = new Map<string, ExtractedField>();
  const tables: OutputDocument['tables'] = [];
  for (let part = 1; part <= input.results.partsWritten; part++) {
    const chunk = await getJson<{ pages: NormalizedPage[] }>(
      s3,
      input.results.bucket,
      partKey(input.results.prefix, 'normalized', part),
    );
    for (const page of chunk.pages) {
      for (const field of page.fields) keepBest(best, field);
      for (const table of page.tables) tables.push({ page: page.page, ...table });
    }
  }
  const fields: Record<string, OutputField> = {};
  for (const [name, { name: _n, ...field }] of best) fields[name] = { ...field, corrected: false };
  for (const [name, value] of Object.entries(input.corrections)) {
    const found = fields[name];
    fields[name] = found
      ? { ...found, value, corrected: true, extractedValue: found.value }
      : { value, confidence: 100, page: 0, source: 'FORM', corrected: true };
  }
  return {
    version: 1,
    documentId: input.documentId,
    status: 'SUCCEEDED',
    source: input.source,
    checksum: input.checksum,
    completedAt: input.completedAt,
    textract: input.textract,
    fields,
    tables,
    review: input.review,
  };
}

function duplicateDocument(input: Extract<WriteOutputInput, { kind: 'DUPLICATE' }>): OutputDocument {
  return {
    version: 1,
    documentId: input.documentId,
    status: 'DUPLICATE',
    source: input.source,
    checksum: input.checksum,
    completedAt: input.completedAt,
    fields: {},
    tables: [],
    review: { items: [], audit: [] },
    duplicateOf: input.duplicateOf,
  };
}
