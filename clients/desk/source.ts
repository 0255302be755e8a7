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
