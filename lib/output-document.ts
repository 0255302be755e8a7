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

/**
 * Reads, decrypts and verifies a whole output document (it is held in memory: readers of very large
 * documents need the memory for it). A document of another schema version (a version 1 output
 * written before schema 2) is refused rather than returned as something it is not.
 */
export async function readDocumentOutput(options: ReadOutputOptions): Promise<OutputDocument> {
  const bytes = await getBytes(options.s3, options.location);
  const expected: Partial<OutputEncryptionContext> = {
    documentId: options.documentId,
    checksum: options.checksum,
  };
  const document = await new KmsEnvelope({ kms: options.kms }).decryptJson<Partial<OutputDocument>>(
    options.kmsKeyId,
    bytes,
    expected,
  );
  if (document.schemaVersion !== outputSchemaVersion) {
    throw new Error(
      `s3://${options.location.bucket}/${options.location.key} is not an output document of schema ` +
        `version ${outputSchemaVersion} (it was written by an older docket)`,
    );
  }
  return document as OutputDocument;
}
