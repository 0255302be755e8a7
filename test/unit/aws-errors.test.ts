// The one classifier of AWS errors: what Temporal retries, what fails at once, what counts as missing.
import { ApplicationFailure } from '@temporalio/common';
import { classifyAwsError, isNotFoundError, isThrottlingError } from '../../lib/aws/errors';

/** An error shaped as the AWS SDK v3 throws them. */
function awsError(name: string, httpStatusCode: number, message = `${name} happened`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

test('permanent errors become non-retryable failures typed by the AWS name, saying what was done', () => {
  const err = classifyAwsError(awsError('InvalidKMSKeyException', 400), 'starting Textract for document d1');
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect(err).toMatchObject({ type: 'InvalidKMSKeyException', nonRetryable: true });
  expect((err as Error).message).toMatch(/^starting Textract for document d1: the KMS key is invalid/);
});

test('throttling, server errors and unknown errors are rethrown unchanged for Temporal to retry', () => {
  for (const original of [
    awsError('ThrottlingException', 400),
    awsError('ProvisionedThroughputExceededException', 400),
    awsError('InternalServerError', 500),
    awsError('SomethingNew', 400),
    new Error('socket hang up'),
  ]) {
    expect(classifyAwsError(original, 'reading s3://b/k')).toBe(original);
  }
  expect(isThrottlingError(awsError('SlowDown', 503))).toBe(true);
  expect(isThrottlingError(awsError('Unnamed', 429))).toBe(true);
  expect(isThrottlingError(awsError('AccessDenied', 403))).toBe(false);
});

test('not found: missing keys, buckets and KMS keys, and a bare 404 from a HEAD; never a 403', () => {
  for (const name of ['NoSuchKey', 'NotFound', 'NoSuchBucket', 'NotFoundException']) {
    expect(isNotFoundError(awsError(name, 404))).toBe(true);
  }
  expect(isNotFoundError(awsError('UnknownError', 404))).toBe(true);
  expect(isNotFoundError(awsError('AccessDenied', 403))).toBe(false);
  expect(isNotFoundError(new Error('NoSuchKey'))).toBe(false);
  expect(isNotFoundError(undefined)).toBe(false);
});
