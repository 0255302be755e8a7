/**
 * Default document ids: derived from where the bytes are, never showing it. A document id is in the
 * clear everywhere (workflow id, search attributes, logs, the Temporal UI), and S3 keys and file
 * names are often personal data ("Northwind-Traders-invoice-March.pdf"), so the id is a digest only.
 *
 * Derived rather than random: the same object version must map to the same workflow, so that a
 * redelivered S3 event, a retried POST /documents or a repeated `docket start` finds the document
 * already started instead of processing it twice (the workflow id is the deduplication key).
 */
import { createHash } from 'node:crypto';

/** The object version a default document id stands for. */
export interface DocumentIdSource {
  bucket: string;
  key: string;
  /** The object's version in a versioned bucket. */
  versionId?: string;
  /** The object's ETag (with or without quotes): tells new bytes under the same key apart. */
  eTag?: string;
}

/**
 * `doc-` and 24 hex characters (96 bits) of SHA-256 over bucket, key and version (or ETag when there
 * is no version). The same object version always gives the same id; a new upload under the same key
 * a new one. The digest does not reveal the key; someone who already guesses a key could confirm
 * the guess by hashing it, which is why ids are still treated as identifiers, not as secrets.
 */
export function deriveDocumentId(source: DocumentIdSource): string {
  const identity = source.versionId
    ? `version:${source.versionId}`
    : `etag:${(source.eTag ?? '').replace(/"/g, '')}`;
  const digest = createHash('sha256')
    .update(JSON.stringify([source.bucket, source.key, identity]))
    .digest('hex')
    .slice(0, 24);
  return `doc-${digest}`;
}
