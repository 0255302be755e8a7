// In-memory stand-ins for the S3, Textract and KMS clients, for unit tests. They implement only `send`
// for the commands docket uses.
import { randomBytes } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Block, TextractClient } from '@aws-sdk/client-textract';

/**
 * An S3 bucket map that counts writes per key. Text bodies are kept as strings in `objects`, binary
 * ones as bytes in `binary`. It also takes lib-storage's Upload: a body within one part arrives as
 * PutObject, a larger one as a multipart upload (its parts assembled on completion, dropped on abort).
 * `failNext` makes the next call of a command throw; `commands` lists every command sent.
 */
export function fakeS3() {
  const objects = new Map<string, string>();
  const binary = new Map<string, Buffer>();
  const writes = new Map<string, number>();
  const uploads = new Map<string, { id: string; parts: Map<number, Buffer> }>();
  const commands: string[] = [];
  const failures = new Map<string, Error>();
  const store = (id: string, body: unknown) => {
    if (body instanceof Uint8Array) binary.set(id, Buffer.from(body));
    else objects.set(id, String(body));
    writes.set(id, (writes.get(id) ?? 0) + 1);
  };
  const client = {
    // What lib-storage's Upload reads from a client's configuration.
    config: {
      endpoint: async () => ({ protocol: 'http:', hostname: 'fake-s3', path: '/' }),
      forcePathStyle: true,
      requestChecksumCalculation: async () => 'WHEN_REQUIRED',
    },
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      commands.push(name);
      const failure = failures.get(name);
      if (failure) {
        failures.delete(name);
        throw failure;
      }
      const { Bucket, Key, Body, UploadId, PartNumber } = command.input as {
        Bucket: string;
        Key: string;
        Body?: unknown;
        UploadId?: string;
        PartNumber?: number;
      };
      const id = `${Bucket}/${Key}`;
      switch (name) {
        case 'PutObjectCommand':
          store(id, Body);
          return {};
        case 'GetObjectCommand': {
          const body = objects.get(id) ?? binary.get(id);
          if (body === undefined) throw Object.assign(new Error('not found'), { name: 'NoSuchKey' });
          return {
            Body: {
              transformToString: async () => body.toString(),
              transformToByteArray: async () => Uint8Array.from(Buffer.from(body)),
            },
          };
        }
        case 'CreateMultipartUploadCommand': {
          const upload = { id: `upload-${uploads.size + 1}`, parts: new Map<number, Buffer>() };
          uploads.set(upload.id, upload);
          return { UploadId: upload.id };
        }
        case 'UploadPartCommand':
          uploads.get(UploadId ?? '')?.parts.set(PartNumber ?? 0, Buffer.from(Body as Uint8Array));
          return { ETag: `"etag-${PartNumber}"` };
        case 'CompleteMultipartUploadCommand': {
          const parts = uploads.get(UploadId ?? '')?.parts ?? new Map<number, Buffer>();
          store(id, Buffer.concat([...parts].sort(([a], [b]) => a - b).map(([, part]) => part)));
          uploads.delete(UploadId ?? '');
          return {};
        }
        case 'AbortMultipartUploadCommand':
          uploads.delete(UploadId ?? '');
          return {};
        default:
          throw new Error(`fake S3 does not do ${name}`);
      }
    },
  };
  return {
    client: client as unknown as S3Client,
    objects,
    binary,
    writes,
    /** Multipart uploads neither completed nor aborted. */
    uploads,
    commands,
    failNext: (command: string, error: Error) => void failures.set(command, error),
  };
}

const geometry = {
  BoundingBox: { Width: 0.5, Height: 0.05, Left: 0.1, Top: 0.1 },
  Polygon: [
    { X: 0.1, Y: 0.1 },
    { X: 0.6, Y: 0.1 },
    { X: 0.6, Y: 0.15 },
    { X: 0.1, Y: 0.15 },
  ],
};

/** Blocks of one page: a line per text, plus an answered query when `query` is given. */
export function pageBlocks(
  page: number,
  lines: string[],
  query?: { alias: string; answer: string; confidence: number },
) {
  const blocks: Block[] = [];
  const children: string[] = [];
  lines.forEach((text, i) => {
    const lineId = `p${page}-l${i}`;
    children.push(lineId);
    blocks.push({
      BlockType: 'LINE',
      Id: lineId,
      Page: page,
      Text: text,
      Confidence: 95,
      Geometry: geometry,
      Relationships: [{ Type: 'CHILD', Ids: [`${lineId}-w`] }],
    });
    blocks.push({
      BlockType: 'WORD',
      Id: `${lineId}-w`,
      Page: page,
      Text: text,
      Confidence: 95,
      Geometry: geometry,
    });
  });
  if (query) {
    children.push(`p${page}-q`);
    blocks.push({
      BlockType: 'QUERY',
      Id: `p${page}-q`,
      Page: page,
      Query: { Text: query.alias, Alias: query.alias },
      Relationships: [{ Type: 'ANSWER', Ids: [`p${page}-a`] }],
    });
    blocks.push({
      BlockType: 'QUERY_RESULT',
      Id: `p${page}-a`,
      Page: page,
      Text: query.answer,
      Confidence: query.confidence,
      Geometry: geometry,
    });
  }
  return [
    {
      BlockType: 'PAGE',
      Id: `p${page}`,
      Page: page,
      Geometry: geometry,
      Relationships: [{ Type: 'CHILD', Ids: children }],
    } as Block,
    ...blocks,
  ];
}

type Responder = (input: { JobId: string; MaxResults?: number; NextToken?: string }) => unknown;

/** A Textract client whose Get* answers come from `respond`; records every request. */
export function fakeTextract(respond: Responder) {
  const requests: { command: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      requests.push({ command: command.constructor.name, input: command.input });
      return respond(command.input as { JobId: string });
    },
  };
  return { client: client as unknown as TextractClient, requests };
}

/** The key the fake KMS holds, and the alias that names it. */
export const fakeKmsKey = {
  arn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  alias: 'alias/docket',
};
/** A second key of the fake KMS (another profile's output key). */
export const otherFakeKmsKey = {
  arn: 'arn:aws:kms:eu-west-1:111122223333:key/ffffffff-0000-0000-0000-000000000000',
  alias: 'alias/other',
};

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });
const contextKey = (context: unknown) =>
  JSON.stringify(
    Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)),
  );

/**
 * A KMS with two symmetric keys: DescribeKey, GenerateDataKey and Decrypt, which checks the key and
 * the encryption context as KMS does. Wrapped keys are random handles into its memory, so several
 * clients (processes) may share one fake. Counts every command; `failNext` makes the next call of a
 * command throw.
 */
export function fakeKms() {
  const wrapped = new Map<string, { plaintext: Buffer; context: string; arn: string }>();
  const calls = new Map<string, number>();
  const failures = new Map<string, Error>();
  const arnOf = (id: unknown) => {
    const key = [fakeKmsKey, otherFakeKmsKey].find((k) => id === k.arn || id === k.alias);
    if (!key) throw awsError('NotFoundException', `key ${String(id)} not found`);
    return key.arn;
  };
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.set(name, (calls.get(name) ?? 0) + 1);
      const failure = failures.get(name);
      if (failure) {
        failures.delete(name);
        throw failure;
      }
      const input = command.input;
      switch (name) {
        case 'DescribeKey': {
          const arn = arnOf(input.KeyId);
          return { KeyMetadata: { Arn: arn, KeyId: arn } };
        }
        case 'GenerateDataKey': {
          const arn = arnOf(input.KeyId);
          const plaintext = randomBytes(Number(input.NumberOfBytes ?? 32));
          // As long as real KMS's ciphertext blob of a 32-byte key, so sizes measured here hold there.
          const blob = randomBytes(184);
          wrapped.set(blob.toString('hex'), { plaintext, arn, context: contextKey(input.EncryptionContext) });
          // Copies: the Encryption SDK zeroes the key it is given once it is done with it.
          return { KeyId: arn, Plaintext: Uint8Array.from(plaintext), CiphertextBlob: Uint8Array.from(blob) };
        }
        case 'Decrypt': {
          const entry = wrapped.get(Buffer.from(input.CiphertextBlob as Uint8Array).toString('hex'));
          if (entry && input.KeyId !== undefined && arnOf(input.KeyId) !== entry.arn) {
            throw awsError('IncorrectKeyException', 'the ciphertext was wrapped by another key');
          }
          if (!entry || entry.context !== contextKey(input.EncryptionContext)) {
            throw awsError('InvalidCiphertextException', 'ciphertext or encryption context does not match');
          }
          return { KeyId: entry.arn, Plaintext: Uint8Array.from(entry.plaintext) };
        }
        default:
          throw new Error(`fake KMS does not do ${name}`);
      }
    },
  };
  return {
    client: client as unknown as KMSClient,
    /** Calls per operation, e.g. `calls('GenerateDataKey')`. */
    calls: (operation: string) => calls.get(operation) ?? 0,
    failNext: (operation: string, error: Error) => void failures.set(operation, error),
  };
}
