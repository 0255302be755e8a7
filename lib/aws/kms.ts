// docket's one KMS envelope encryption, for output documents and Temporal payloads alike: the AWS
// Encryption SDK with a KMS keyring behind a caching materials manager, so a process asks KMS for a
// data key once per encryption context and cache period instead of once per message.
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type DecryptCommandInput,
  type EncryptCommandInput,
  type GenerateDataKeyCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  KmsKeyringNode,
  NodeCachingMaterialsManager,
  type KmsNodeClientSupplier,
  type NodeAlgorithmSuite,
} from '@aws-crypto/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../contract';
import { classified } from './errors';

/** Names and values bound to a ciphertext: public (stored in clear in the message), authenticated. */
export type EncryptionContext = Readonly<Record<string, string>>;

/** The cache of data keys (encryption and decryption materials) the Encryption SDK keeps. */
export type DataKeyCache = NodeCachingMaterialsManager['_cache'];

/** Data keys the process-wide cache holds at most; the least recently used go first. */
export const defaultDataKeyCacheCapacity = 1000;

/**
 * A new, empty data-key cache. Processes use {@link processDataKeyCache}; a second cache stands for
 * another process (tests) or isolates keys that must not be shared.
 * @param capacity data keys kept. @default {@link defaultDataKeyCacheCapacity}
 */
export function newDataKeyCache(capacity = defaultDataKeyCacheCapacity): DataKeyCache {
  return getLocalCryptographicMaterialsCache<NodeAlgorithmSuite>(capacity);
}

/**
 * Plaintext bytes per authenticated frame. Payloads (up to Temporal's 2 MB) are encrypted whole, so
 * large frames only save the 32 bytes each frame adds (the Encryption SDK's default of 4 KiB adds 800
 * to a 100 KB payload); a stream holds at most one frame of plaintext, so 1 MiB also bounds what
 * {@link KmsEnvelope.encryptStream} buffers.
 */
const frameLength = 1024 * 1024;

let processCache: DataKeyCache | undefined;
/** The one data-key cache of this process, created on first use (it runs an unref'd eviction timer). */
export function processDataKeyCache(): DataKeyCache {
  processCache ??= newDataKeyCache();
  return processCache;
}

// Commitment on both sides: a message cannot decrypt to two plaintexts. One encrypted data key: the
// keyring has one KMS key, and a message with more (from the codec server's callers) is refused
// before any KMS call is made for it.
const esdk = buildClient({
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  maxEncryptedDataKeys: 1,
});

/**
 * Per configured KMSClient: a random cache partition, and the ARNs its aliases resolved to. The
 * partition keeps entries of clients with other credentials apart: the cache key of encryption
 * materials holds neither the KMS key nor the credentials, only the partition, suite and context.
 */
const clientState = new WeakMap<KMSClient, { partition: string; arns: Map<string, Promise<string>> }>();

function stateOf(kms: KMSClient) {
  let state = clientState.get(kms);
  if (!state) {
    state = { partition: randomUUID(), arns: new Map() };
    clientState.set(kms, state);
  }
  return state;
}

export interface KmsEnvelopeOptions {
  /** The configured client: its endpoint (moto locally), region and credentials are used for every call. */
  kms: KMSClient;
  /** Where data keys are cached. @default processDataKeyCache() */
  cache?: DataKeyCache;
  /**
   * How long a data key encrypts further messages, and a decrypted one is kept, before KMS is asked
   * again. @default 300000 (5 minutes)
   */
  maxAgeMs?: number;
  /** Messages one data key encrypts before KMS generates another. @default 10000 */
  maxMessagesPerKey?: number;
}

export interface EncryptOptions {
  /**
   * Sign the message with a per-message ECDSA P-384 key (the Encryption SDK's default suite): then
   * someone who can only decrypt (kms:Decrypt) cannot make a message that decrypts under the same
   * data key. Without it the message is still AES-256-GCM authenticated with key commitment, so
   * nobody without the data key can alter or forge one. Signing and verifying cost about 3 ms of CPU
   * per message. @default true
   */
  signed?: boolean;
}

/** Key commitment, no signature (the default suite minus ECDSA). */
const unsignedSuite = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;

/**
 * Envelope encryption with a KMS key: each message is an Encryption SDK message (a data key wrapped
 * by KMS, the encryption context, AES-256-GCM with key commitment and an ECDSA signature).
 *
 * Data keys are reused only where the Encryption SDK's cache allows: its entry id holds the
 * encryption context, so messages share a data key only under the same context, key and client.
 * Payloads (one context) share one; output documents (a context per document) never do. Whatever
 * the cache holds, {@link decrypt} checks the context the message carries against the caller's.
 */
export class KmsEnvelope {
  private readonly kms: KMSClient;
  private readonly cache: DataKeyCache;
  private readonly maxAgeMs: number;
  private readonly maxMessagesPerKey: number;
  private readonly state: { partition: string; arns: Map<string, Promise<string>> };
  private readonly managers = new Map<string, NodeCachingMaterialsManager>();

  /**
   * The keyring asks for a client per region and calls it in the aggregated-client style; it gets
   * the one configured KMSClient behind that interface.
   */
  private readonly clientProvider: KmsNodeClientSupplier;

  constructor(options: KmsEnvelopeOptions) {
    const { kms } = options;
    this.kms = kms;
    this.cache = options.cache ?? processDataKeyCache();
    this.maxAgeMs = options.maxAgeMs ?? 300_000;
    this.maxMessagesPerKey = options.maxMessagesPerKey ?? 10_000;
    this.state = stateOf(kms);
    const client = {
      generateDataKey: (args: GenerateDataKeyCommandInput) => kms.send(new GenerateDataKeyCommand(args)),
      encrypt: (args: EncryptCommandInput) => kms.send(new EncryptCommand(args)),
      decrypt: (args: DecryptCommandInput) => kms.send(new DecryptCommand(args)),
    };
    this.clientProvider = () => client;
  }

  /**
   * Encrypts bytes under `kmsKeyId` (id, ARN or alias), binding them to `context`. `signed: false`
   * leaves out the ECDSA signature (see {@link EncryptOptions}); {@link decrypt} reads both kinds.
   */
  async encrypt(
    kmsKeyId: string,
    context: EncryptionContext,
    plaintext: Uint8Array,
    options: EncryptOptions = {},
  ): Promise<Uint8Array> {
    const cmm = await this.materials(kmsKeyId);
    const suiteId = options.signed === false ? unsignedSuite : undefined;
    const { result } = await classified(`encrypting with KMS key ${kmsKeyId}`, () =>
      esdk.encrypt(cmm, plaintext, {
        encryptionContext: context,
        frameLength,
        ...(suiteId ? { suiteId } : {}),
      }),
    );
    return result;
  }

  /**
   * A stream that encrypts the bytes written to it into one Encryption SDK message under `kmsKeyId`,
   * bound to `context`, emitting ciphertext as frames fill (output documents too large to hold: their
   * plaintext never exists whole). {@link decrypt} reads the message like one from {@link encrypt}.
   *
   * Same keyring, caching materials manager and frame length as {@link encrypt}; but the length is
   * unknown up front, and the Encryption SDK only caches data keys for messages of known length, so
   * each stream gets a fresh data key from KMS (output documents, a context each, never share one).
   * Resolves once the data key is there, so KMS failures reject here, classified; later failures
   * are the stream's `error`. Do not destroy the stream before it ends: the Encryption SDK pipes its
   * inner streams without a callback, and a premature close there is thrown, uncaught.
   */
  async encryptStream(kmsKeyId: string, context: EncryptionContext): Promise<Duplex> {
    const cmm = await this.materials(kmsKeyId);
    return classified(`encrypting with KMS key ${kmsKeyId}`, async () => {
      const stream = esdk.encryptStream(cmm, { encryptionContext: context, frameLength });
      await new Promise<void>((resolve, reject) => {
        // The header is emitted once the encryption materials (the data key) are ready.
        stream.once('MessageHeader', () => {
          stream.off('error', reject);
          resolve();
        });
        stream.once('error', reject);
      });
      return stream;
    });
  }

  /**
   * Decrypts a message made by {@link encrypt} or {@link encryptStream} and checks that its context
   * holds every `expected` name with that value (undefined values are not checked). A mismatch is a
   * non-retryable ApplicationFailure of type {@link FailureType.ENCRYPTION_CONTEXT_MISMATCH}: the
   * bytes belong elsewhere.
   */
  async decrypt(
    kmsKeyId: string,
    ciphertext: Uint8Array,
    expected: Readonly<Record<string, string | undefined>>,
  ): Promise<Uint8Array> {
    // Without an expectation any message under the key would do: that is a caller's mistake.
    if (!Object.values(expected).some((v) => v !== undefined)) {
      throw new Error('decrypting needs the encryption context the message must carry');
    }
    const cmm = await this.materials(kmsKeyId);
    const { plaintext, messageHeader } = await classified(`decrypting with KMS key ${kmsKeyId}`, () =>
      esdk.decrypt(cmm, ciphertext),
    );
    for (const [name, value] of Object.entries(expected)) {
      if (value !== undefined && messageHeader.encryptionContext[name] !== value) {
        plaintext.fill(0);
        throw ApplicationFailure.create({
          type: FailureType.ENCRYPTION_CONTEXT_MISMATCH,
          nonRetryable: true,
          message: `the encrypted message's context ${name} does not match what was asked for`,
        });
      }
    }
    return plaintext;
  }

  /** Encrypts `value` as JSON (output documents). */
  encryptJson(kmsKeyId: string, context: EncryptionContext, value: unknown): Promise<Uint8Array> {
    return this.encrypt(kmsKeyId, context, Buffer.from(JSON.stringify(value)));
  }

  /** Decrypts JSON written by {@link encryptJson}, checking the context as {@link decrypt} does. */
  async decryptJson<T>(
    kmsKeyId: string,
    ciphertext: Uint8Array,
    expected: Readonly<Record<string, string | undefined>>,
  ): Promise<T> {
    const plaintext = await this.decrypt(kmsKeyId, ciphertext, expected);
    return JSON.parse(Buffer.from(plaintext).toString('utf8')) as T;
  }

  /** The caching materials manager of a key; one per key ARN, its entries shared via the cache. */
  private async materials(kmsKeyId: string): Promise<NodeCachingMaterialsManager> {
    const arn = await this.keyArn(kmsKeyId);
    let cmm = this.managers.get(arn);
    if (!cmm) {
      cmm = new NodeCachingMaterialsManager({
        backingMaterials: new KmsKeyringNode({
          generatorKeyId: arn,
          keyIds: [],
          clientProvider: this.clientProvider,
        }),
        cache: this.cache,
        // Encryption entries are keyed by partition, suite and context only: the key ARN must be in
        // the partition, or a message for one key could reuse a data key wrapped by another.
        partition: `${this.state.partition}/${arn}`,
        maxAge: this.maxAgeMs,
        maxMessagesEncrypted: this.maxMessagesPerKey,
      });
      this.managers.set(arn, cmm);
    }
    return cmm;
  }

  /**
   * The keyring matches encrypted data keys by ARN, so aliases and bare ids are resolved first: once
   * per key and client, a failure is forgotten so the next call asks again.
   */
  private keyArn(kmsKeyId: string): Promise<string> {
    const { arns } = this.state;
    let arn = arns.get(kmsKeyId);
    if (!arn) {
      arn = classified(`resolving KMS key ${kmsKeyId}`, async () => {
        const res = await this.kms.send(new DescribeKeyCommand({ KeyId: kmsKeyId }));
        if (!res.KeyMetadata?.Arn) throw new Error(`KMS returned no ARN for ${kmsKeyId}`);
        return res.KeyMetadata.Arn;
      });
      const pending = arn;
      pending.catch(() => {
        if (arns.get(kmsKeyId) === pending) arns.delete(kmsKeyId);
      });
      arns.set(kmsKeyId, pending);
    }
    return arn;
  }
}
