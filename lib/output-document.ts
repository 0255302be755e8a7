// The output document docket delivers: where it lives, what its encryption binds it to, and the
// verified read-back that clients use (activities/output.ts writes it).
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Location } from './contract';
import { outputSchemaVersion, type OutputDocument } from './document-model';
import { defaultOutputPrefix, type ProfileOutput } from './profile';
import { KmsEnvelope, type EncryptionContext } from './aws/kms';
import { getBytes } from './aws/s3';

// Readers of the output import its type from here, next to the read-back; lib/document-model.ts
// defines it (schema 2, documented by lib/output-schema.json).
export type { OutputDocument } from './document-model';

/** Where a document's output lives: one key per document, so rewriting is harmless. */
export function outputLocation(output: ProfileOutput, documentId: string, version = 1): S3Location {
  // Version 1 keeps the key outputs had before versions existed; reprocessed versions sit beside it.
  const dir = `${output.prefix ?? defaultOutputPrefix}/${documentId}`;
  return {
    bucket: output.bucket,
    key: version <= 1 ? `${dir}/document.json.encrypted` : `${dir}/v${version}/document.json.encrypted`,
  };
}

/** Encryption context of an output document: binds the ciphertext to the document it belongs to. */
export interface OutputEncryptionContext extends EncryptionContext {
  documentId: string;
  checksum: string;
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

/** The output was written with another schema than this docket reads (an older docket wrote it). */
export class UnsupportedOutputError extends Error {
  override name = 'UnsupportedOutputError';
}

/**
 * An output as written before schema 2 (`version: 1`): outputs already stored stay readable as JSON,
 * while what needs the schema 2 model refuses them.
 */
export interface LegacyOutputDocument {
  version: 1;
  documentId: string;
  status: string;
  [property: string]: unknown;
}

/** A decrypted output as stored: a schema 2 document, or one written before schema 2. */
export type StoredOutput = OutputDocument | LegacyOutputDocument;

/**
 * Reads, decrypts and verifies a whole output document as stored (it is held in memory: readers of
 * very large documents need the memory for it). Schema 2, or version 1 for outputs written before it;
 * any other version is refused with UnsupportedOutputError.
 */
export async function readStoredOutput(options: ReadOutputOptions): Promise<StoredOutput> {
  const bytes = await getBytes(options.s3, options.location);
  const expected: Partial<OutputEncryptionContext> = {
    documentId: options.documentId,
    checksum: options.checksum,
  };
  const document = await new KmsEnvelope({ kms: options.kms }).decryptJson<{
    schemaVersion?: unknown;
    version?: unknown;
  }>(options.kmsKeyId, bytes, expected);
  if (document.schemaVersion === outputSchemaVersion || document.version === 1) {
    return document as StoredOutput;
  }
  throw new UnsupportedOutputError(
    `s3://${options.location.bucket}/${options.location.key} has an output schema this docket does not ` +
      `know (${String(document.schemaVersion ?? document.version)}): read it with the docket that wrote it`,
  );
}

/** Whether a stored output is a schema 2 document. */
export function isSchema2Output(doc: unknown): doc is OutputDocument {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    (doc as { schemaVersion?: unknown }).schemaVersion === outputSchemaVersion
  );
}

/** Reads a schema 2 output document; an older one is refused with UnsupportedOutputError. */
export async function readDocumentOutput(options: ReadOutputOptions): Promise<OutputDocument> {
  const stored = await readStoredOutput(options);
  if (isSchema2Output(stored)) return stored;
  throw new UnsupportedOutputError(
    `s3://${options.location.bucket}/${options.location.key} is an output of schema version 1, ` +
      `written by an older docket: only its JSON can be read`,
  );
}
