/**
 * Side effects of a job beyond its result: the KMS key check, OutputConfig pages in S3 (SSE-KMS when a
 * key is given) and the SNS completion message.
 */
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand, type S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { TextractError, TextractErrorName } from './errors';

/** Textract's default OutputConfig prefix. */
export const defaultOutputPrefix = 'textract_output';

/** Resolves when KMS knows an enabled key by this id, ARN or alias; InvalidKMSKeyException otherwise. */
export async function checkKmsKey(kms: KMSClient, keyId: string): Promise<void> {
  let state: string | undefined;
  try {
    const res = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    state = res.KeyMetadata?.KeyState;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'NotFoundException' || name === 'InvalidArnException' || name === 'ValidationException') {
      throw new TextractError(
        TextractErrorName.InvalidKMSKey,
        `KMS key ${keyId} does not exist or is not accessible`,
      );
    }
    throw new TextractError(TextractErrorName.InternalServerError, `could not check the KMS key (${name})`);
  }
  if (state !== undefined && state !== 'Enabled') {
    throw new TextractError(TextractErrorName.InvalidKMSKey, `KMS key ${keyId} is ${state}, not Enabled`);
  }
}

/** Where a job's OutputConfig pages go. */
export interface OutputTarget {
  bucket: string;
  prefix: string;
  jobId: string;
  kmsKeyId?: string;
}

/** `<prefix>/<JobId>/<name>` (a trailing slash on the prefix is not doubled). */
export function outputKey(target: OutputTarget, name: string): string {
  return `${target.prefix.replace(/\/+$/, '')}/${target.jobId}/${name}`;
}

function encryption(target: OutputTarget): Partial<PutObjectCommandInput> {
  return target.kmsKeyId
    ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: target.kmsKeyId }
    : { ServerSideEncryption: 'AES256' };
}

/** Writes one object of the output; a bucket Textract cannot write to is AccessDeniedException. */
export async function putOutput(
  s3: S3Client,
  target: OutputTarget,
  name: string,
  body: string,
): Promise<void> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: outputKey(target, name),
        Body: body,
        ContentType: name === '.s3_access_check' ? 'text/plain' : 'application/json',
        ...encryption(target),
      }),
    );
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 500;
    const name = (err as Error).name;
    if (status >= 400 && status < 500) {
      throw new TextractError(
        TextractErrorName.AccessDenied,
        `Unable to write to the output bucket ${target.bucket} (${name}): check OutputConfig.S3Bucket and its policy`,
      );
    }
    throw new TextractError(TextractErrorName.InternalServerError, `could not write output to S3 (${name})`);
  }
}

/** The message Textract publishes to NotificationChannel.SNSTopicArn when a job completes. */
export interface CompletionMessage {
  JobId: string;
  Status: string;
  API: string;
  JobTag?: string;
  Timestamp: number;
  DocumentLocation: { S3ObjectName: string; S3Bucket: string };
}

/** Publishes the completion message; the caller decides what a failure to publish means. */
export async function publishCompletion(
  sns: SNSClient,
  topicArn: string,
  message: CompletionMessage,
): Promise<void> {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(message) }));
}
