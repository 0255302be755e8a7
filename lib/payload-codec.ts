// Encrypts every Temporal payload so histories on the server hold no document content. Each payload
// is serialised whole (metadata and data) as protobuf and encrypted with docket's KMS envelope
// encryption (lib/aws/kms.ts), the same as output documents. Clients and workers use it; workflows never.
import type { KMSClient } from '@aws-sdk/client-kms';
import {
  METADATA_ENCODING_KEY,
  ValueError,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KmsEnvelope, type DataKeyCache } from './aws/kms';

/** Encoding of docket's encrypted payloads: an Encryption SDK message around a protobuf Payload. */
export const encryptedEncoding = 'binary/docket-encrypted';
/** The codec before the Encryption SDK (AES-GCM around JSON) used this; its payloads are not decodable. */
const retiredEncoding = 'binary/encrypted';
/** Binds payload ciphertexts to their purpose: an output document cannot be passed off as a payload. */
const payloadContext = { purpose: 'docket-temporal-payload' } as const;

export interface KmsPayloadCodecOptions {
  kms: KMSClient;
  /** KMS key id, ARN or alias that wraps the data keys. */
  kmsKeyId: string;
  /** Data-key cache. @default the process's one cache (processDataKeyCache) */
  cache?: DataKeyCache;
}

/**
 * PayloadCodec with KMS envelope encryption; data keys come from the process's cache. Payloads are
 * handled one after the other: on a cold cache, parallel calls would each ask KMS for a data key.
 *
 * Payloads are not signed (output documents are): every process that decrypts payloads (workers, the
 * codec server, clients) also encrypts them, so a signature would keep no decrypt-only reader from
 * forging one, and signing plus verifying was a fifth of a worker's CPU (about 3 ms per payload, a
 * payload each way for every step of every document). Payloads written signed still decode.
 */
export class KmsPayloadCodec implements PayloadCodec {
  private readonly envelope: KmsEnvelope;

  constructor(private readonly options: KmsPayloadCodecOptions) {
    this.envelope = new KmsEnvelope({ kms: options.kms, cache: options.cache });
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const encoded: Payload[] = [];
    for (const payload of payloads) {
      const bytes = temporal.api.common.v1.Payload.encodeDelimited(payload).finish();
      encoded.push({
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(encryptedEncoding) },
        data: await this.envelope.encrypt(this.options.kmsKeyId, payloadContext, bytes, { signed: false }),
      });
    }
    return encoded;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    const decoded: Payload[] = [];
    for (const payload of payloads) {
      const encoding = Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();
      if (encoding === retiredEncoding) {
        throw new ValueError(
          `payload encoded by docket's retired ${retiredEncoding} codec: no longer decodable`,
        );
      }
      if (encoding !== encryptedEncoding) {
        decoded.push(payload);
        continue;
      }
      if (!payload.data) throw new ValueError('encrypted payload has no data');
      const bytes = await this.envelope.decrypt(this.options.kmsKeyId, payload.data, payloadContext);
      decoded.push(temporal.api.common.v1.Payload.decodeDelimited(bytes));
    }
    return decoded;
  }
}

/** The data converter clients and workers share: default converters, payloads encrypted. */
export function encryptedDataConverter(options: KmsPayloadCodecOptions): DataConverter {
  return { payloadCodecs: [new KmsPayloadCodec(options)] };
}
