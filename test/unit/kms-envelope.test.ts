// lib/aws/kms.ts against the in-memory KMS: the one envelope encryption of output documents and
// payloads, its shared data-key cache, alias resolution and the encryption-context check.
import { ApplicationFailure } from '@temporalio/common';
import type { OutputEncryptionContext } from '../../lib/output-document';
import { KmsEnvelope, newDataKeyCache } from '../../lib/aws/kms';
import { FailureType } from '../../lib/contract';
import { fakeKms, fakeKmsKey, otherFakeKmsKey } from '../support/fake-aws';

const document = { documentId: 'invoice-7', fields: { total: { value: 'SECRET-12.50' } } };
const context: OutputEncryptionContext = { documentId: 'invoice-7', checksum: 'ab'.repeat(32) };

function setup(options: { maxAgeMs?: number; maxMessagesPerKey?: number } = {}) {
  const kms = fakeKms();
  const envelope = new KmsEnvelope({ kms: kms.client, cache: newDataKeyCache(), ...options });
  return { kms, envelope };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
}

/** Flips every bit of one byte: writing a fixed value would leave a byte that already holds it intact. */
function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

test('round trip of an output document; the ciphertext holds none of it', async () => {
  const { envelope } = setup();
  const ciphertext = await envelope.encryptJson(fakeKmsKey.alias, context, document);
  expect(Buffer.from(ciphertext).includes('SECRET')).toBe(false);
  await expect(envelope.decryptJson(fakeKmsKey.alias, ciphertext, context)).resolves.toEqual(document);
  // An expected value left undefined (the checksum readers may not know) is not checked.
  await expect(
    envelope.decryptJson(fakeKmsKey.alias, ciphertext, { documentId: 'invoice-7', checksum: undefined }),
  ).resolves.toEqual(document);
  // Expecting nothing would accept any message under the key: refused.
  for (const nothing of [{}, { documentId: undefined }]) {
    await expect(envelope.decrypt(fakeKmsKey.alias, ciphertext, nothing)).rejects.toThrow(
      /encryption context/,
    );
  }
});

test("another document's context does not decrypt, even with the data key cached", async () => {
  const { envelope } = setup();
  const ciphertext = await envelope.encryptJson(fakeKmsKey.alias, context, document);
  await envelope.decryptJson(fakeKmsKey.alias, ciphertext, context); // the cache now holds its key
  for (const expected of [
    { ...context, documentId: 'invoice-8' },
    { ...context, checksum: 'cd'.repeat(32) },
    { purpose: 'docket-temporal-payload' },
  ]) {
    const err = await failure(envelope.decryptJson(fakeKmsKey.alias, ciphertext, expected));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: FailureType.ENCRYPTION_CONTEXT_MISMATCH, nonRetryable: true });
    expect((err as Error).message).not.toContain('SECRET');
  }
});

test('documents never share a data key: the cache entry is per encryption context', async () => {
  const { kms, envelope } = setup();
  await envelope.encryptJson(fakeKmsKey.alias, context, document);
  await envelope.encryptJson(fakeKmsKey.alias, context, document); // a retry of the same document
  expect(kms.calls('GenerateDataKey')).toBe(1);
  const other = { documentId: 'invoice-8', checksum: 'cd'.repeat(32) };
  const b = await envelope.encryptJson(fakeKmsKey.alias, other, { ...document, documentId: 'invoice-8' });
  expect(kms.calls('GenerateDataKey')).toBe(2);
  await expect(envelope.decryptJson(fakeKmsKey.alias, b, other)).resolves.toMatchObject({
    documentId: 'invoice-8',
  });
  expect(await failure(envelope.decryptJson(fakeKmsKey.alias, b, context))).toMatchObject({
    type: FailureType.ENCRYPTION_CONTEXT_MISMATCH,
  });
});

test('a tampered byte anywhere in the message fails decryption, cached key or not', async () => {
  const { envelope } = setup();
  const ciphertext = await envelope.encryptJson(fakeKmsKey.alias, context, document);
  await envelope.decryptJson(fakeKmsKey.alias, ciphertext, context);
  const positions = [1, 30, 100, 250, Math.floor(ciphertext.length / 2), ciphertext.length - 120];
  for (const at of [...positions, ciphertext.length - 1]) {
    await expect(envelope.decryptJson(fakeKmsKey.alias, flipped(ciphertext, at), context)).rejects.toThrow();
  }
  const fresh = new KmsEnvelope({ kms: fakeKms().client, cache: newDataKeyCache() });
  await expect(fresh.decryptJson(fakeKmsKey.alias, flipped(ciphertext, 250), context)).rejects.toThrow();
});

test('resolves an alias once per key; a failed resolution is not cached', async () => {
  const { kms, envelope } = setup();
  kms.failNext('DescribeKey', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
  // Throttling stays a plain (retryable) error.
  const throttled = await failure(envelope.encrypt(fakeKmsKey.alias, context, Buffer.from('x')));
  expect(throttled).not.toBeInstanceOf(ApplicationFailure);
  expect(throttled).toMatchObject({ name: 'ThrottlingException' });
  const ciphertext = await envelope.encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
  await envelope.decrypt(fakeKmsKey.alias, ciphertext, context);
  await envelope.encrypt(fakeKmsKey.alias, { ...context, documentId: 'invoice-8' }, Buffer.from('y'));
  // Another envelope over the same client (readDocumentOutput makes one per read) resolves no more.
  await new KmsEnvelope({ kms: kms.client }).decrypt(fakeKmsKey.alias, ciphertext, context);
  expect(kms.calls('DescribeKey')).toBe(2);
});

test('an unknown key is a non-retryable failure naming what was being done', async () => {
  const { envelope } = setup();
  const err = await failure(envelope.encrypt('alias/nope', context, Buffer.from('x')));
  expect(err).toMatchObject({ type: 'NotFoundException', nonRetryable: true });
  expect((err as Error).message).toContain('resolving KMS key alias/nope');
});

test('another process (its own cache) decrypts with one KMS Decrypt per data key', async () => {
  const { kms, envelope } = setup();
  const messages: Uint8Array[] = [];
  for (const v of ['a', 'b', 'c'])
    messages.push(await envelope.encrypt(fakeKmsKey.alias, context, Buffer.from(v)));
  expect(kms.calls('GenerateDataKey')).toBe(1);
  const elsewhere = new KmsEnvelope({ kms: kms.client, cache: newDataKeyCache() });
  const plain = [];
  for (const m of messages) plain.push(Buffer.from(await elsewhere.decrypt(fakeKmsKey.alias, m, context)));
  expect(plain.map(String)).toEqual(['a', 'b', 'c']);
  expect(kms.calls('Decrypt')).toBe(1);
});

test('each KMS key has its own data keys, even under the same context', async () => {
  const { kms, envelope } = setup();
  await envelope.encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
  const other = await envelope.encrypt(otherFakeKmsKey.alias, context, Buffer.from('y'));
  expect(kms.calls('GenerateDataKey')).toBe(2);
  expect(Buffer.from(await envelope.decrypt(otherFakeKmsKey.alias, other, context)).toString()).toBe('y');
  // Only the key it names unwraps a message: the docket key's keyring finds no data key of its own.
  await expect(envelope.decrypt(fakeKmsKey.alias, other, context)).rejects.toThrow();
});

test('clients with other credentials share the cache but never its data keys', async () => {
  const cache = newDataKeyCache();
  const first = fakeKms();
  const second = fakeKms(); // same key ARN, another client object
  await new KmsEnvelope({ kms: first.client, cache }).encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
  await new KmsEnvelope({ kms: first.client, cache }).encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
  expect(first.calls('GenerateDataKey')).toBe(1);
  await new KmsEnvelope({ kms: second.client, cache }).encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
  expect(second.calls('GenerateDataKey')).toBe(1);
});

test('a data key is used for at most maxMessagesPerKey messages and maxAgeMs', async () => {
  const { kms, envelope } = setup({ maxMessagesPerKey: 2, maxAgeMs: 60_000 });
  const encrypt = () => envelope.encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
  for (let i = 0; i < 5; i++) await encrypt();
  expect(kms.calls('GenerateDataKey')).toBe(3); // messages 1-2, 3-4, 5

  const now = Date.now();
  const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
  try {
    const aged = setup({ maxAgeMs: 60_000 });
    await aged.envelope.encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
    clock.mockReturnValue(now + 30_000);
    await aged.envelope.encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
    expect(aged.kms.calls('GenerateDataKey')).toBe(1);
    clock.mockReturnValue(now + 61_000);
    await aged.envelope.encrypt(fakeKmsKey.alias, context, Buffer.from('x'));
    expect(aged.kms.calls('GenerateDataKey')).toBe(2);
  } finally {
    clock.mockRestore();
  }
});
