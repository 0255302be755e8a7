// Proof that the local AWS side is real: the behaviours docket's activities rely on, through the
// real SDK clients against the test stack's moto.
import { randomUUID } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { localAwsClients, testStack } from '../support/stack';

const stack = testStack();
const { s3, kms, sqs } = localAwsClients(stack);
afterAll(() => [s3, kms, sqs].forEach((c) => c.destroy()));

describe('S3 on the local stack', () => {
  it('round-trips an object and refuses a second create with If-None-Match: *', async () => {
    const Key = `claims/${randomUUID()}`;
    const Bucket = stack.resources.resultsBucket;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'first', IfNoneMatch: '*' }));

    const second = s3.send(new PutObjectCommand({ Bucket, Key, Body: 'second', IfNoneMatch: '*' }));
    await expect(second).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });

    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body?.transformToString()).toBe('first');
  });
});

describe('KMS on the local stack', () => {
  it('decrypts a data key only under the encryption context it was made with', async () => {
    const context = { documentId: 'doc-1', checksum: 'abc' };
    const key = await kms.send(
      new GenerateDataKeyCommand({
        KeyId: stack.resources.kmsAlias,
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    );
    expect(key.Plaintext).toHaveLength(32);

    const ok = await kms.send(
      new DecryptCommand({ CiphertextBlob: key.CiphertextBlob, EncryptionContext: context }),
    );
    expect(Buffer.from(ok.Plaintext!).equals(Buffer.from(key.Plaintext!))).toBe(true);
    expect(ok.KeyId).toBe(stack.resources.kmsKeyArn);

    const wrong = kms.send(
      new DecryptCommand({
        CiphertextBlob: key.CiphertextBlob,
        EncryptionContext: { ...context, documentId: 'doc-2' },
      }),
    );
    await expect(wrong).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });
});

describe('S3 events on the local stack', () => {
  it('delivers an ObjectCreated message to the events queue for a put to the input bucket', async () => {
    const Key = `incoming/${randomUUID()} scan.pdf`;
    await s3.send(new PutObjectCommand({ Bucket: stack.resources.inputBucket, Key, Body: '%PDF-1.4' }));

    const record = await receiveRecordFor(Key);
    expect(record.eventName).toMatch(/^ObjectCreated:/);
    expect(record.s3.bucket.name).toBe(stack.resources.inputBucket);
    // S3 sends keys form-encoded; consumers must decode them.
    expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe(Key);
  });
});

interface S3EventRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number } };
}

async function receiveRecordFor(key: string): Promise<S3EventRecord> {
  const QueueUrl = stack.resources.eventsQueueUrl;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of res.Messages ?? []) {
      const record = recordsOf(message).find(
        (r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')) === key,
      );
      if (record) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
        return record;
      }
    }
  }
  throw new Error(`no S3 event arrived for ${key} within 20 s`);
}

function recordsOf(message: Message): S3EventRecord[] {
  const body = JSON.parse(message.Body ?? '{}') as { Records?: S3EventRecord[] };
  return body.Records ?? [];
}
