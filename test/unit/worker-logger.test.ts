// The worker's log keeps what an operator needs from an error (name, message, type, cause) and drops
// the members AWS SDK errors carry from the error response, such as S3's object key.
import { Writable } from 'node:stream';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import pino from 'pino';
import { loggableError, temporalLoggerFor } from '../../workers/logger';

function s3Error(): Error {
  const err = new S3ServiceException({
    name: 'InvalidObjectState',
    $fault: 'client',
    $metadata: { httpStatusCode: 403, requestId: 'r-1' },
    message: 'The operation is not valid for the object storage class',
  });
  // What the SDK's deserializer adds from the XML error body.
  return Object.assign(err, { Key: 'patients/Zephyrine Quackenbush/bill.pdf', StorageClass: 'GLACIER' });
}

test('an AWS error wrapped in an ApplicationFailure is logged without its response members', () => {
  const failure = ApplicationFailure.create({
    type: 'InvalidObjectState',
    nonRetryable: true,
    message: 'reading the source object in bucket in: not valid for its storage class',
    cause: s3Error(),
  });
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  temporalLoggerFor(logger, 'DEBUG').warn('Activity failed', { error: failure, durationMs: 3 });
  const [line] = lines;
  expect(line).toContain('reading the source object in bucket in');
  expect(line).toContain('InvalidObjectState');
  expect(line).toContain('"durationMs":3');
  expect(line).not.toContain('Quackenbush');
  // Without the conversion the key would be there: the test guards a real path.
  expect(JSON.stringify({ error: failure })).toContain('Quackenbush');
});

test('non-errors pass through unchanged', () => {
  expect(loggableError('text')).toBe('text');
  expect(loggableError({ jobId: 'j' })).toEqual({ jobId: 'j' });
});
