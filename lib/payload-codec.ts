// Encrypts every Temporal payload (AES-256-GCM under a KMS data key) so histories on the server hold
// no document content. Used by clients and workers (Node processes); never imported by workflows.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';

export const encryptedEncoding = 'binary/encrypted';
/** Metadata naming the data key (a digest of its KMS ciphertext): lets a reader reuse a cached key. */
export const keyIdMetadata = 'encryption-key-id';
/** Metadata holding the KMS-encrypted data key, so any process allowed to use the KMS key can decrypt. */
export const wrappedKeyMetadata = 'encryption-wrapped-key';
/** Metadata naming the KMS key the data key is wrapped with. */
export const kmsKeyMetadata = 'encryption-kms-key';

const encryptionContext = { purpose: 'docket-temporal-payload' };
const ivBytes = 12;
const tagBytes = 16;

export interface KmsPayloadCodecOptions {
  kms: KMSClient;
  /** KMS key id, ARN or alias that wraps the data keys. */
  kmsKeyId: string;
  /** A data key encrypts payloads for this long before a new one is generated. @default 3600000 (1 h) */
  dataKeyMaxAgeMs?: number;
  /** Unwrapped data keys kept for decryption. @default 100 */
  maxCachedKeys?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface DataKey {
  id: string;
  plaintext: Buffer;
  wrapped: Uint8Array;
  createdAt: number;
}

/**
 * PayloadCodec with envelope encryption: one KMS GenerateDataKey per `dataKeyMaxAgeMs`, AES-256-GCM
 * per payload, the wrapped key and its id in the payload's metadata.
 */
export class KmsPayloadCodec implements PayloadCodec {
  private current?: Promise<DataKey>;
  private readonly cache = new Map<string, Promise<Buffer>>();
  private readonly maxAge: number;
  private readonly maxCached: number;
  private readonly now: () => number;

  constructor(private readonly options: KmsPayloadCodecOptions) {
    this.maxAge = options.dataKeyMaxAgeMs ?? 3_600_000;
    this.maxCached = options.maxCachedKeys ?? 100;
    this.now = options.now ?? Date.now;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    if (payloads.length === 0) return payloads;
    const key = await this.dataKey();
    return payloads.map((payload) => {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
      const plain = Buffer.from(JSON.stringify(payloadToJson(payload)));
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: Buffer.from(encryptedEncoding),
          [keyIdMetadata]: Buffer.from(key.id),
          [wrappedKeyMetadata]: key.wrapped,
          [kmsKeyMetadata]: Buffer.from(this.options.kmsKeyId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const meta = payload.metadata ?? {};
        if (Buffer.from(meta.encoding ?? []).toString() !== encryptedEncoding) return payload;
        const id = Buffer.from(meta[keyIdMetadata] ?? []).toString();
        const wrapped = meta[wrappedKeyMetadata];
        const data = payload.data;
        if (!id || !wrapped || !data || data.length < ivBytes + tagBytes) {
          throw new Error('encrypted payload is missing its key id, wrapped key or data');
        }
        const key = await this.unwrap(id, wrapped);
        const buf = Buffer.from(data);
        const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, ivBytes));
        decipher.setAuthTag(buf.subarray(buf.length - tagBytes));
        const plain = Buffer.concat([
          decipher.update(buf.subarray(ivBytes, buf.length - tagBytes)),
          decipher.final(),
        ]);
        return payloadFromJson(JSON.parse(plain.toString()) as JsonPayload);
      }),
    );
  }

  private dataKey(): Promise<DataKey> {
    const current = this.current;
    if (current) {
      return current.then((key) => (this.now() - key.createdAt < this.maxAge ? key : this.rotate()));
    }
    return this.rotate();
  }

  private rotate(): Promise<DataKey> {
    const next = this.options.kms
      .send(
        new GenerateDataKeyCommand({
          KeyId: this.options.kmsKeyId,
          KeySpec: 'AES_256',
          EncryptionContext: encryptionContext,
        }),
      )
      .then((res) => {
        if (!res.Plaintext || !res.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
        const plaintext = Buffer.from(res.Plaintext);
        const id = createHash('sha256').update(res.CiphertextBlob).digest('hex').slice(0, 32);
        this.remember(id, Promise.resolve(plaintext));
        return { id, plaintext, wrapped: res.CiphertextBlob, createdAt: this.now() };
      });
    next.catch(() => {
      if (this.current === next) this.current = undefined;
    });
    this.current = next;
    return next;
  }

  private unwrap(id: string, wrapped: Uint8Array): Promise<Buffer> {
    let key = this.cache.get(id);
    if (!key) {
      key = this.options.kms
        .send(new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: encryptionContext }))
        .then((res) => {
          if (!res.Plaintext) throw new Error('KMS Decrypt returned no plaintext');
          return Buffer.from(res.Plaintext);
        });
      key.catch(() => this.cache.delete(id));
      this.remember(id, key);
    }
    return key;
  }

  private remember(id: string, key: Promise<Buffer>): void {
    this.cache.set(id, key);
    while (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}

/** The data converter clients and workers share: default converters, payloads encrypted. */
export function encryptedDataConverter(options: KmsPayloadCodecOptions): DataConverter {
  return { payloadCodecs: [new KmsPayloadCodec(options)] };
}

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

function payloadToJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {})) {
    if (v) metadata[k] = Buffer.from(v).toString('base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}

function payloadFromJson(json: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(json.metadata)) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(json.data, 'base64') };
}
