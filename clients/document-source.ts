/*
 * Where a started document's bytes are: an existing S3 object (checked with HEAD) or a local file the
 * client uploads to the input bucket first. Used by DocketClient.start.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DocumentSource } from '../lib/contract';
import { isNotFoundError } from '../lib/aws/errors';
import { deriveDocumentId } from './document-id';
import { NotFoundError, RequestError } from './errors';
import { preflight } from './preflight';

/** Object metadata (x-amz-meta-docket-document-id) naming the document docket uploaded the bytes for. */
export const uploaderDocumentIdKey = 'docket-document-id';

/** The source of a document to start, and what its default document id is derived from. */
export interface ResolvedSource {
  source: DocumentSource;
  /** The document id docket stored in the object's metadata when it uploaded the bytes. */
  uploaderDocumentId?: string;
  /** The version (or ETag) the default document id stands for; empty for content-addressed uploads. */
  identity: { versionId?: string; eTag?: string };
}

/** Reads an `s3://bucket/key` source's metadata; NotFoundError when the object (version) is absent. */
export async function existingObject(s3: S3Client, uri: string, versionId?: string): Promise<ResolvedSource> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  // Neither message quotes the key: it reaches API answers and logs, and keys name people.
  if (!match?.[1] || !match[2])
    throw new RequestError('the source is not an S3 URI of the form s3://bucket/key');
  const [, bucket, key] = match;
  let uploaderDocumentId: string | undefined;
  let identity: { versionId?: string; eTag?: string };
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    uploaderDocumentId = head.Metadata?.[uploaderDocumentIdKey] || undefined;
    // The version (else the bytes' ETag) the default document id stands for, as the S3 event says it.
    const version = versionId ?? (head.VersionId && head.VersionId !== 'null' ? head.VersionId : undefined);
    identity = version ? { versionId: version } : { eTag: head.ETag };
  } catch (err) {
    if (isNotFoundError(err)) {
      throw new NotFoundError(`the source object does not exist in bucket ${bucket}`);
    }
    throw err;
  }
  return {
    source: versionId ? { bucket, key, versionId } : { bucket, key },
    uploaderDocumentId,
    identity,
  };
}

/** Uploads a local file to the input bucket under a content-addressed key, after the preflight checks. */
export async function uploadFile(
  s3: S3Client,
  inputBucket: string | undefined,
  file: string,
  documentId: string | undefined,
): Promise<ResolvedSource & { uploaderDocumentId: string }> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new NotFoundError(`${file} is not a file (give a local file or an s3://bucket/key URI)`);
  }
  preflight(file);
  const bucket = inputBucket;
  if (!bucket) throw new RequestError('DOCKET_INPUT_BUCKET is required to upload local files');
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) =>
    fs
      .createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('end', resolve)
      .on('error', reject),
  );
  // Content-addressed key: uploading the same bytes again lands on the same object and document.
  const key = `uploads/${hash.digest('hex').slice(0, 16)}/${path.basename(file)}`;
  const uploaderDocumentId = documentId ?? deriveDocumentId({ bucket, key });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: fs.createReadStream(file),
      ContentLength: fs.statSync(file).size,
      // The S3 event of this upload starts the same document, not a second one (see the starter).
      Metadata: { [uploaderDocumentIdKey]: uploaderDocumentId },
    }),
  );
  // The key is content-addressed: bucket and key alone identify the bytes.
  return { source: { bucket, key }, uploaderDocumentId, identity: {} };
}
