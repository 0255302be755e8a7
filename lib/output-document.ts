// The output document docket delivers: its shape, where it lives, and the verified read-back that
// clients use (the activities write it: activities/output.ts).
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ReviewItem } from './confidence-routing';
import type { DocumentSource, DuplicateOf, ReviewAuditEntry, S3Location } from './contract';
import type { ExtractedField, NormalizedTable, TextractWarning } from './extraction';
import { defaultOutputPrefix, type ProfileOutput } from './profile';
import { KmsEnvelope, type EncryptionContext } from './aws/kms';
import { getBytes } from './aws/s3';

/** A field in the output: the best value Textract found, or the reviewer's correction. */
export interface OutputField extends Omit<ExtractedField, 'name' | 'id' | 'selected'> {
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

/** Reads, decrypts and verifies an output document. */
export async function readDocumentOutput(options: ReadOutputOptions): Promise<OutputDocument> {
  const bytes = await getBytes(options.s3, options.location);
  const expected: Partial<OutputEncryptionContext> = {
    documentId: options.documentId,
    checksum: options.checksum,
  };
  return new KmsEnvelope({ kms: options.kms }).decryptJson<OutputDocument>(options.kmsKeyId, bytes, expected);
}
