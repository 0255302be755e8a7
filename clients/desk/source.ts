/**
 * A document's own bytes, for its page images: the S3 object named in the workflow's start input,
 * read through the Temporal client (whose codec decrypts the input). The bucket and key never leave
 * this module: errors name the document only.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { isNotFoundError } from '../../lib/aws/errors';
import { type DocumentSource, documentWorkflowId, type DocumentWorkflowInput } from '../../lib/contract';
import { NotFoundError, type DocketClient } from '../documents';

/** The source is larger than the desk renders pages from. */
export class SourceTooLargeError extends Error {
  override name = 'SourceTooLargeError';
}

/** The S3 object the document's workflow was started with (its first history event's input). */
export async function documentSource(docket: DocketClient, documentId: string): Promise<DocumentSource> {
  const { workflowService, options } = docket.temporal;
  let history;
  try {
    history = await workflowService.getWorkflowExecutionHistory({
      namespace: options.namespace,
      execution: { workflowId: documentWorkflowId(documentId) },
      maximumPageSize: 1,
    });
  } catch (err) {
    // gRPC NOT_FOUND: no workflow of that id.
    if ((err as { code?: number }).code === 5) throw new NotFoundError(`no document ${documentId}`);
    throw err;
  }
  const started = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new NotFoundError(`no document ${documentId}`);
  const input = await decodeFromPayloadsAtIndex<DocumentWorkflowInput>(
    options.loadedDataConverter,
    0,
    started.input?.payloads,
  );
  return input.source;
}

/** The source object's bytes, refused past `maxBytes` before they are read. Kept in memory only. */
export async function readSource(
  docket: DocketClient,
  documentId: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const source = await documentSource(docket, documentId);
  const object = { Bucket: source.bucket, Key: source.key, VersionId: source.versionId };
  try {
    const head = await docket.s3.send(new HeadObjectCommand(object));
    if ((head.ContentLength ?? 0) > maxBytes) {
      throw new SourceTooLargeError(
        `document ${documentId} is ${head.ContentLength} bytes; the desk renders pages of documents up to ${maxBytes}`,
      );
    }
    const res = await docket.s3.send(new GetObjectCommand(object));
    if (!res.Body) throw new Error('no body');
    return await res.Body.transformToByteArray();
  } catch (err) {
    if (err instanceof SourceTooLargeError) throw err;
    if (isNotFoundError(err)) throw new NotFoundError(`the source object of document ${documentId} is gone`);
    // The SDK's message may carry the bucket or key: keep only the error's name.
    throw new Error(`reading the source of document ${documentId} failed (${(err as Error).name})`);
  }
}

/**
 * The sources of the documents being reviewed, in memory for a short while: a reviewer turning pages
 * asks for the same object again and again, and each read is a history lookup plus an S3 GET of the
 * whole file. Bounded in entries, bytes and age; never on disk.
 */
export class SourceCache {
  private readonly entries = new Map<string, { bytes: Promise<Uint8Array>; at: number; size: number }>();

  constructor(
    private readonly options: { maxEntries: number; maxBytes: number; ttlMs: number } = {
      maxEntries: 4,
      maxBytes: 256 * 1024 * 1024,
      ttlMs: 2 * 60_000,
    },
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached bytes of `documentId`, or what `load` reads (a failed read is not kept). */
  get(documentId: string, load: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const now = this.clock();
    const hit = this.entries.get(documentId);
    if (hit && now - hit.at < this.options.ttlMs) return hit.bytes;
    const entry = { bytes: load(), at: now, size: 0 };
    this.entries.delete(documentId);
    this.entries.set(documentId, entry);
    entry.bytes.then(
      (bytes) => {
        entry.size = bytes.length;
        this.trim();
      },
      () => {
        if (this.entries.get(documentId) === entry) this.entries.delete(documentId);
      },
    );
    this.trim();
    return entry.bytes;
  }

  /** Oldest first out, until within the entry and byte bounds. */
  private trim(): void {
    let bytes = [...this.entries.values()].reduce((n, e) => n + e.size, 0);
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && bytes <= this.options.maxBytes) break;
      this.entries.delete(id);
      bytes -= entry.size;
    }
  }
}
