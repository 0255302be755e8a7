// S3 I/O shared by the activities and the clients: JSON objects and whole objects as bytes, each
// call's AWS error classified once (lib/aws/errors.ts).
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Location } from '../contract';
import { classified, classifyAwsError, isNotFoundError } from './errors';

/** Writes JSON to S3, with SSE-KMS under `kmsKeyId` when given. */
export async function putJson(
  s3: S3Client,
  bucket: string,
  key: string,
  body: unknown,
  kmsKeyId?: string,
): Promise<void> {
  await classified(`writing s3://${bucket}/${key}`, () =>
    s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(body),
        ContentType: 'application/json',
        ...(kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId } : {}),
      }),
    ),
  );
}

export async function getJson<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  return classified(`reading s3://${bucket}/${key}`, async () => {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await res.Body?.transformToString()) ?? 'null') as T;
  });
}

/** Reads a whole object (an output document: bounded in size) as bytes. */
export async function getBytes(s3: S3Client, location: S3Location): Promise<Uint8Array> {
  return classified(`reading s3://${location.bucket}/${location.key}`, async () => {
    const res = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    if (!res.Body) throw new Error(`s3://${location.bucket}/${location.key} has no body`);
    return res.Body.transformToByteArray();
  });
}

/** Reads JSON, or undefined when the object does not exist. */
export async function getJsonIfPresent<T>(s3: S3Client, bucket: string, key: string): Promise<T | undefined> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await res.Body?.transformToString()) ?? 'null') as T;
  } catch (err) {
    if (isNotFoundError(err)) return undefined;
    throw classifyAwsError(err, `reading s3://${bucket}/${key}`);
  }
}
