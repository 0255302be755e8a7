// The one place AWS errors are classified. Transient errors are rethrown unchanged so Temporal retries
// them with the activity's retry policy; permanent ones become non-retryable ApplicationFailures whose
// type is the AWS error name, with a message a person can act on.
import { ApplicationFailure } from '@temporalio/common';

/** Errors that go away by waiting: slow down and try again. */
const throttlingNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
  'BandwidthLimitExceeded',
]);

/** Permanent: retrying the same request cannot succeed. */
const permanentHints: Record<string, string> = {
  InvalidS3ObjectException:
    'Textract cannot read the S3 object: check that it exists and Textract may read it',
  UnsupportedDocumentException: 'Textract does not support this document format',
  BadDocumentException: 'Textract cannot read the document: it may be corrupt or password-protected',
  DocumentTooLargeException: 'the document is larger than Textract accepts',
  InvalidKMSKeyException:
    'the KMS key is invalid or Textract may not use it: check the profile output.kmsKeyId',
  AccessDeniedException: 'access denied: check the IAM permissions of the worker role',
  AccessDenied: 'access denied: check the IAM permissions of the worker role and the bucket policy',
  InvalidParameterException: 'AWS rejected a parameter of the request: check the profile',
  IdempotentParameterMismatchException:
    'a Textract job with the same ClientRequestToken but different parameters exists: the profile changed for the same bytes',
  InvalidJobIdException: 'Textract does not know this job id (results are kept 7 days)',
  NoSuchBucket: 'the bucket does not exist: check the configured bucket names',
  NoSuchKey: 'the object does not exist',
  NotFoundException: 'the KMS key does not exist: check the configured key id',
  DisabledException: 'the KMS key is disabled',
  KMSInvalidStateException: 'the KMS key is not usable in its current state',
  InvalidCiphertextException: 'the ciphertext or its encryption context does not match',
  ValidationException: 'AWS rejected the request as invalid',
};

function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string'
    ? err.name
    : undefined;
}

/** True for throttling errors: the caller should slow down, not fail. */
export function isThrottlingError(err: unknown): boolean {
  const name = errorName(err);
  if (name !== undefined && throttlingNames.has(name)) return true;
  const meta = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode === 429;
}

/** Names AWS gives a missing S3 object, bucket or KMS key. */
const notFoundNames = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket', 'NotFoundException']);

/**
 * True when what was asked for does not exist: the one not-found test for S3 and KMS. A HEAD answers
 * a bare 404 with no error name, so the status counts too.
 */
export function isNotFoundError(err: unknown): boolean {
  const name = errorName(err);
  if (name !== undefined && notFoundNames.has(name)) return true;
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === 404;
}

/**
 * Turns an AWS error into what the activity should throw: a non-retryable ApplicationFailure for
 * permanent errors, the error itself otherwise (throttling, 5xx, network: Temporal retries those).
 * `context` says what was being done, e.g. "reading s3://in/a.pdf"; it must not contain document content.
 */
export function classifyAwsError(err: unknown, context: string): unknown {
  if (err instanceof ApplicationFailure) return err;
  const name = errorName(err);
  if (name === undefined || !(name in permanentHints) || isThrottlingError(err)) return err;
  const detail = err instanceof Error && err.message && err.message !== name ? ` (${err.message})` : '';
  return ApplicationFailure.create({
    type: name,
    nonRetryable: true,
    message: `${context}: ${permanentHints[name]}${detail}`,
    cause: err instanceof Error ? err : undefined,
  });
}

/** Runs an AWS call and throws its classified error. */
export async function classified<T>(context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw classifyAwsError(err, context);
  }
}
