// The Temporal payload codec against the in-memory KMS: whole payloads (metadata too) encrypted with
// lib/aws/kms.ts, one data key for many payloads, decodable by another process, tamper-evident, and
// other codecs' payloads left alone.
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KmsEnvelope, newDataKeyCache } from '../../lib/aws/kms';
import { FailureType } from '../../lib/contract';
import { encryptedDataConverter, encryptedEncoding, KmsPayloadCodec } from '../../lib/payload-codec';
import { fakeKms, fakeKmsKey } from '../support/fake-aws';

const secret = { field: 'total', value: 'SECRET-12.50' };
const encodingOf = (p: Payload) => Buffer.from(p.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();
/** The bytes a payload takes in a history event. */
const size = (p: Payload) => temporal.api.common.v1.Payload.encode(p).finish().length;

function codecs() {
  const kms = fakeKms();
  // Each codec gets its own cache: within one test process the shared one would make them one process.
  const codec = (client = kms.client) =>
    new KmsPayloadCodec({ kms: client, kmsKeyId: fakeKmsKey.alias, cache: newDataKeyCache() });
  return { kms, codec };
}

test('round trip: metadata and data come back exactly; the encoded payload shows neither', async () => {
  const { codec } = codecs();
  const withExtra: Payload = {
    metadata: { encoding: Buffer.from('json/plain'), 'x-docket': Buffer.from('meta-SECRET') },
    data: Buffer.from(JSON.stringify(secret)),
  };
  const payloads = [
    defaultPayloadConverter.toPayload(secret),
    defaultPayloadConverter.toPayload(undefined),
    withExtra,
  ];
  const c = codec();
  const encoded = await c.encode(payloads);
  for (const e of encoded) {
    expect(Object.keys(e.metadata ?? {})).toEqual([METADATA_ENCODING_KEY]);
    expect(encodingOf(e)).toBe(encryptedEncoding);
    expect(Buffer.from(e.data!).includes('SECRET')).toBe(false);
  }
  const decoded = await c.decode(encoded);
  expect(
    decoded.map((p) => temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(p))),
  ).toEqual(
    payloads.map((p) => temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(p))),
  );
  expect(defaultPayloadConverter.fromPayload(decoded[0]!)).toEqual(secret);
  expect(Buffer.from(decoded[2]!.metadata!['x-docket']!).toString()).toBe('meta-SECRET');
});

test('one KMS data key for many payloads and calls, not one per payload', async () => {
  const { kms, codec } = codecs();
  const c = codec();
  const payloads = Array.from({ length: 10 }, (_, i) => defaultPayloadConverter.toPayload({ i }));
  const encoded = await c.encode(payloads);
  await c.encode(payloads);
  await c.encode(payloads.slice(0, 1));
  expect(kms.calls('GenerateDataKey')).toBe(1);
  expect(kms.calls('DescribeKey')).toBe(1);
  // The Encryption SDK caches what it encrypted with apart from what it decrypted with: decoding
  // unwraps the data key once, then every payload under it decodes from the cache.
  await c.decode(encoded);
  await c.decode(encoded);
  expect(kms.calls('Decrypt')).toBe(1);
});

test('another process (a fresh codec and cache) decodes what the first encoded', async () => {
  const { kms, codec } = codecs();
  const encoded = await codec().encode([
    defaultPayloadConverter.toPayload(secret),
    defaultPayloadConverter.toPayload('x'),
  ]);
  const other = codec(fakeKmsFor(kms));
  const decoded = await other.decode(encoded);
  expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([secret, 'x']);
  expect(kms.calls('Decrypt')).toBe(1); // one unwrap for both: same data key
});

/** A second client object over the same fake KMS service, as another process would have. */
function fakeKmsFor(kms: ReturnType<typeof fakeKms>) {
  return { send: (command: never) => kms.client.send(command) } as unknown as typeof kms.client;
}

test('a payload with one flipped byte does not decode', async () => {
  const { codec } = codecs();
  const c = codec();
  const [encoded] = await c.encode([defaultPayloadConverter.toPayload(secret)]);
  const data = encoded!.data!;
  for (const at of [0, 40, 200, Math.floor(data.length / 2), data.length - 1]) {
    const tampered = Uint8Array.from(data);
    // XOR, so the byte always changes: a fixed value would leave a byte that already holds it.
    tampered[at] = tampered[at]! ^ 0xff;
    await expect(c.decode([{ ...encoded!, data: tampered }])).rejects.toThrow();
    await expect(codec().decode([{ ...encoded!, data: tampered }])).rejects.toThrow();
  }
});

test('payloads of other codecs pass through decode untouched, without KMS', async () => {
  const { kms, codec } = codecs();
  const foreign: Payload[] = [
    defaultPayloadConverter.toPayload(secret),
    defaultPayloadConverter.toPayload(null),
    { metadata: { encoding: Buffer.from('binary/zlib') }, data: Uint8Array.from([1, 2, 3]) },
    { data: Uint8Array.from([4, 5]) },
    {},
  ];
  const snapshot = foreign.map((p) => temporal.api.common.v1.Payload.encode(p).finish());
  const decoded = await codec().decode(foreign);
  decoded.forEach((p, i) => expect(p).toBe(foreign[i]));
  foreign.forEach((p, i) => expect(temporal.api.common.v1.Payload.encode(p).finish()).toEqual(snapshot[i]));
  expect(kms.calls('DescribeKey') + kms.calls('Decrypt')).toBe(0);
});

test('payloads of the retired AES-GCM codec fail with a clear error', async () => {
  const { codec } = codecs();
  const retired: Payload = {
    metadata: { encoding: Buffer.from('binary/encrypted') },
    data: Buffer.from('…'),
  };
  await expect(codec().decode([retired])).rejects.toThrow(/retired binary\/encrypted codec/);
});

test('an output document is not a payload, and a payload not an output document', async () => {
  const { kms, codec } = codecs();
  const envelope = new KmsEnvelope({ kms: kms.client, cache: newDataKeyCache() });
  const output = await envelope.encryptJson(fakeKmsKey.alias, { documentId: 'd', checksum: 'c' }, secret);
  const disguised: Payload = { metadata: { encoding: Buffer.from(encryptedEncoding) }, data: output };
  await expect(codec().decode([disguised])).rejects.toMatchObject({
    type: FailureType.ENCRYPTION_CONTEXT_MISMATCH,
  });
  const [payload] = await codec().encode([defaultPayloadConverter.toPayload(secret)]);
  await expect(
    envelope.decryptJson(fakeKmsKey.alias, payload!.data!, { documentId: 'd' }),
  ).rejects.toMatchObject({
    type: FailureType.ENCRYPTION_CONTEXT_MISMATCH,
  });
});

test('adds under a kilobyte per payload, whatever its size', async () => {
  const { codec } = codecs();
  const c = codec();
  const overheads: number[] = [];
  for (const bytes of [100, 100 * 1024]) {
    const payload: Payload = {
      metadata: { encoding: Buffer.from('binary/plain') },
      data: Buffer.alloc(bytes, 7),
    };
    const [encoded] = await c.encode([payload]);
    overheads.push(size(encoded!) - size(payload));
  }
  for (const overhead of overheads) expect(overhead).toBeLessThan(1024);
  // A fixed cost: no text encoding of the bytes, and one frame up to 1 MiB.
  expect(Math.abs(overheads[1]! - overheads[0]!)).toBeLessThan(16);
});

test('encryptedDataConverter holds the one codec', () => {
  const { kms } = codecs();
  const converter = encryptedDataConverter({ kms: kms.client, kmsKeyId: fakeKmsKey.alias });
  expect(converter.payloadCodecs).toEqual([expect.any(KmsPayloadCodec)]);
});

/** The Encryption SDK message's algorithm suite (bytes 1–2 of a version 2 header). */
const suiteOf = (data: Uint8Array) => Buffer.from(data).readUInt16BE(1);

test('payloads are encrypted with key commitment and no signature; signed payloads from before still decode', async () => {
  const { kms, codec } = codecs();
  const [encoded] = await codec().encode([defaultPayloadConverter.toPayload(secret)]);
  expect(encoded!.data![0]).toBe(2); // message format 2: committing suites only
  expect(suiteOf(encoded!.data!)).toBe(0x0478); // AES-256-GCM, HKDF-SHA512, commit key; no ECDSA
  // A payload written by the codec before (the default, signed suite), as an older history holds it.
  const envelope = new KmsEnvelope({ kms: kms.client, cache: newDataKeyCache() });
  const bytes = temporal.api.common.v1.Payload.encodeDelimited(
    defaultPayloadConverter.toPayload(secret),
  ).finish();
  const signed = await envelope.encrypt(fakeKmsKey.alias, { purpose: 'docket-temporal-payload' }, bytes);
  expect(suiteOf(signed)).toBe(0x0578); // the same with ECDSA P-384
  const [decoded] = await codec().decode([
    { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(encryptedEncoding) }, data: signed },
  ]);
  expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(secret);
});
