/**
 * Pure parts of the S3-event starter: reading an SQS message body as S3 event notifications, decoding
 * the keys S3 form-encodes, deriving the document id and choosing the profile. No I/O, so unit tests
 * cover every shape a queue can deliver.
 */
import { createHash } from 'node:crypto';
import { deriveDocumentId } from '../document-id';

/** One created object, as an S3 event record names it (key already decoded). */
export interface S3ObjectEvent {
  bucket: string;
  key: string;
  /** Present in versioned buckets; pins the exact bytes the event is about. */
  versionId?: string;
  /** Without quotes. Identifies the bytes in unversioned buckets, where a key can be overwritten. */
  eTag?: string;
  /** e.g. `ObjectCreated:Put` */
  eventName: string;
}

/** What a message means to the starter. */
export type ParsedMessage =
  /** S3 sends `s3:TestEvent` when a notification is configured: nothing to start. */
  | { kind: 'test-event' }
  | { kind: 'objects'; objects: S3ObjectEvent[]; ignored: number }
  /** Never becomes valid by retrying: goes to the dead-letter queue with `reason`. */
  | { kind: 'poison'; reason: string };

/**
 * Decodes an S3 event key: S3 form-encodes keys (`+` for a space, `%XX` for other bytes).
 * @throws URIError when a `%` escape is malformed
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/**
 * Reads an SQS message body as S3 event notifications: the plain S3 → SQS shape, or the same
 * wrapped in an SNS notification (S3 → SNS → SQS fan-out). Only `ObjectCreated:*` records start
 * documents; other S3 events (removals, restores) are counted as ignored.
 */
export function parseS3EventMessage(body: string | undefined): ParsedMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { kind: 'poison', reason: 'body is not JSON' };
  }
  if (isRecord(parsed) && parsed.Type === 'Notification' && typeof parsed.Message === 'string') {
    return parseS3EventMessage(parsed.Message);
  }
  if (!isRecord(parsed)) return { kind: 'poison', reason: 'body is not an S3 event notification' };
  if (parsed.Event === 's3:TestEvent') return { kind: 'test-event' };
  const records = parsed.Records;
  if (!Array.isArray(records) || records.length === 0) {
    return { kind: 'poison', reason: 'body is not an S3 event notification (no Records)' };
  }
  const objects: S3ObjectEvent[] = [];
  let ignored = 0;
  for (const [i, record] of records.entries()) {
    if (!isRecord(record) || record.eventSource !== 'aws:s3' || !isRecord(record.s3)) {
      return { kind: 'poison', reason: `Records[${i}] is not an S3 event record` };
    }
    const eventName = typeof record.eventName === 'string' ? record.eventName : '';
    if (!eventName.startsWith('ObjectCreated:')) {
      ignored++;
      continue;
    }
    const bucket = isRecord(record.s3.bucket) ? record.s3.bucket.name : undefined;
    const object = isRecord(record.s3.object) ? record.s3.object : undefined;
    if (typeof bucket !== 'string' || bucket === '' || !object || typeof object.key !== 'string') {
      return { kind: 'poison', reason: `Records[${i}] has no s3.bucket.name or s3.object.key` };
    }
    let key: string;
    try {
      key = decodeS3Key(object.key);
    } catch {
      return { kind: 'poison', reason: `Records[${i}].s3.object.key is not validly form-encoded` };
    }
    if (key === '') return { kind: 'poison', reason: `Records[${i}].s3.object.key is empty` };
    const versionId = nonEmpty(object.versionId);
    const eTag = nonEmpty(object.eTag)?.replace(/^"|"$/g, '');
    if (!versionId && !eTag) {
      return { kind: 'poison', reason: `Records[${i}] has neither s3.object.versionId nor s3.object.eTag` };
    }
    objects.push({
      bucket,
      key,
      eventName,
      ...(versionId ? { versionId } : {}),
      ...(eTag ? { eTag } : {}),
    });
  }
  return { kind: 'objects', objects, ignored };
}

/**
 * The document id for one object version: the same bucket, key and version (or ETag, when the
 * bucket is unversioned) always give the same id, so a redelivered event hits the workflow that
 * already exists; new bytes under the same key are a new document. A digest only: see
 * {@link deriveDocumentId}; `docket start` and the API derive the same id for the same object.
 */
export function eventDocumentId(
  object: Pick<S3ObjectEvent, 'bucket' | 'key' | 'versionId' | 'eTag'>,
): string {
  return deriveDocumentId(object);
}

/**
 * A short, stable digest of a key for logs: correlates log lines with an object without writing
 * the key itself, whose folders and file names often name customers.
 */
export function keyDigest(bucket: string, key: string): string {
  return createHash('sha256').update(`${bucket}/${key}`).digest('hex').slice(0, 16);
}

/** Key prefix → profile name; the longest matching prefix wins. */
export type PrefixProfiles = ReadonlyArray<{ prefix: string; profile: string }>;

/**
 * Parses `prefix=profile` pairs separated by commas (`invoices/=invoice,scans/=text`).
 * @throws Error naming the malformed pair
 */
export function parsePrefixProfiles(spec: string): PrefixProfiles {
  const out: { prefix: string; profile: string }[] = [];
  for (const pair of spec.split(',').map((p) => p.trim())) {
    if (pair === '') continue;
    const eq = pair.lastIndexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new Error(`'${pair}' is not prefix=profile`);
    out.push({ prefix: pair.slice(0, eq), profile: pair.slice(eq + 1) });
  }
  return out;
}

/** The profile for `key`: the longest matching prefix's, else `fallback`. */
export function profileForKey(key: string, prefixes: PrefixProfiles, fallback: string): string {
  let best: { prefix: string; profile: string } | undefined;
  for (const p of prefixes) {
    if (key.startsWith(p.prefix) && (!best || p.prefix.length > best.prefix.length)) best = p;
  }
  return best?.profile ?? fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
