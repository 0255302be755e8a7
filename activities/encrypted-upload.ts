// A document too large to hold, written to S3 encrypted: its text, generated piece by piece, goes
// through an Encryption SDK stream (lib/aws/kms.ts) into lib-storage's multipart Upload.
import type { Duplex } from 'node:stream';
import { Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Location } from '../lib/contract';
import { classifyAwsError } from '../lib/aws/errors';

/** Bytes per part of the multipart upload (S3 takes 5 MiB at least). */
export const uploadPartSize = 8 * 1024 * 1024;

/**
 * Parts uploaded at once: one. Generating the text (reading the normalized parts) is the slow side,
 * so uploads in parallel would gain little and hold another 8 MiB buffer each; and with one, a part
 * S3 refuses stops the generation at once (lib-storage's other uploaders would read on to the end).
 */
const uploadQueueSize = 1;

export interface EncryptedUploadOptions {
  s3: S3Client;
  location: S3Location;
  /** The SSE-KMS key of the object. */
  kmsKeyId: string;
  /** The text to encrypt, in pieces; pulled only as fast as the upload takes it. */
  plaintext: AsyncIterable<string>;
  /** From KmsEnvelope.encryptStream. */
  encryptor: Duplex;
  /** Stops the write (activity cancellation). */
  signal: AbortSignal;
}

/**
 * Encrypts `plaintext` into one Encryption SDK message uploaded to `location` with SSE-KMS (one
 * PutObject when it fits in one part), and resolves with the ciphertext's size. Whichever side fails
 * first stops the other: a failed upload stops the generation, a failed generation or encryption
 * aborts the upload, so no partial object is written and no part is left behind. The cause is
 * thrown, classified: the generation's error first, then the encryption's, then the upload's.
 *
 * The encryptor is never destroyed: the Encryption SDK pipes its inner streams without a callback,
 * so destroying it mid-message throws an uncaught premature-close error that would end the worker.
 * On a failure it is unhooked, ended and drained into nothing instead.
 */
export async function uploadEncrypted(options: EncryptedUploadOptions): Promise<number> {
  const { s3, location, kmsKeyId, plaintext, encryptor, signal } = options;
  let bytes = 0;
  // lib-storage reads only node's own Readable; the Encryption SDK's stream is not one.
  const body = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // Errors reach the Upload through its reads; once it stopped reading, nobody else listens.
  body.on('error', () => undefined);
  const stop = new AbortController();
  let encryptionFailure: { error: unknown } | undefined;
  encryptor.on('error', (error: unknown) => {
    encryptionFailure ??= { error };
    stop.abort();
  });
  const onCancel = () => stop.abort();
  signal.addEventListener('abort', onCancel, { once: true });
  encryptor.pipe(body);

  const uploaded = new Upload({
    client: s3,
    params: {
      Bucket: location.bucket,
      Key: location.key,
      Body: body,
      ContentType: 'application/octet-stream',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: kmsKeyId,
    },
    partSize: uploadPartSize,
    queueSize: uploadQueueSize,
    leavePartsOnError: false,
  })
    .done()
    .then(
      () => undefined,
      (error: unknown) => {
        stop.abort();
        return { error };
      },
    );

  let generationFailure: { error: unknown } | undefined;
  try {
    for await (const piece of plaintext) {
      if (stop.signal.aborted) break;
      if (!encryptor.write(piece)) await drained(encryptor, stop.signal);
    }
  } catch (error) {
    generationFailure = { error };
  }
  if (stop.signal.aborted || generationFailure) {
    encryptor.unpipe(body);
    encryptor.resume();
    body.destroy(toError(generationFailure?.error ?? encryptionFailure?.error ?? signal.reason ?? 'stopped'));
  }
  encryptor.end();
  const uploadFailure = await uploaded;
  signal.removeEventListener('abort', onCancel);
  const failure =
    generationFailure ??
    encryptionFailure ??
    uploadFailure ??
    (signal.aborted ? { error: signal.reason as unknown } : undefined);
  if (failure) {
    throw classifyAwsError(failure.error, `encrypting and writing s3://${location.bucket}/${location.key}`);
  }
  return bytes;
}

/** Resolves once `stream` takes writes again, or at once when `stop` fires. */
function drained(stream: Duplex, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stop.removeEventListener('abort', done);
      resolve();
    };
    stream.once('drain', done);
    stop.addEventListener('abort', done, { once: true });
  });
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
