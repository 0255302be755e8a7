// A Temporal codec server (https://docs.temporal.io/codec-server) for docket's encrypted payloads:
// the Web UI sends it the payloads it shows (input, result, static summary, current details) and
// displays what it answers. docket encrypts every payload, so without one the UI shows ciphertext.
// The local stack runs it in its launcher; `npm run codec-server` runs it alone (docker-compose).
// It decrypts for whoever reaches it: keep it on loopback or behind the UI's authentication.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { ConfigError, kmsEnvPart, parseEnv, positiveInt } from '../lib/config';
import { KmsPayloadCodec } from '../lib/payload-codec';

/** A payload as the codec protocol carries it: metadata values and data base64-encoded. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServer {
  /** What to give the UI (`--ui-codec-endpoint`, or the browser's codec server setting). */
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The one origin allowed to call it from a browser: the Web UI's, e.g. `http://127.0.0.1:8233`. */
  allowedOrigin: string;
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
}

const maxBodyBytes = 4 * 1024 * 1024;

/** Serves `POST /encode` and `POST /decode` (also under `/<namespace>/`) until closed. */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    void handle(options, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(
  options: CodecServerOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  res.setHeader('Access-Control-Allow-Origin', options.allowedOrigin);
  res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
  res.setHeader('Vary', 'Origin');
  if (req.method === 'OPTIONS') return reply(res, 204);
  const operation = new URL(req.url ?? '/', 'http://codec').pathname.split('/').pop();
  if (operation !== 'encode' && operation !== 'decode') return reply(res, 404, { message: 'not found' });
  if (req.method !== 'POST') return reply(res, 405, { message: 'use POST' });
  let payloads: Payload[];
  try {
    const body = JSON.parse(await readBody(req)) as { payloads?: unknown };
    if (!Array.isArray(body.payloads)) throw new Error('payloads must be an array');
    payloads = (body.payloads as JsonPayload[]).map(fromJson);
  } catch (err) {
    return reply(res, 400, { message: `bad request body: ${(err as Error).message}` });
  }
  try {
    const out =
      operation === 'decode' ? await options.codec.decode(payloads) : await options.codec.encode(payloads);
    reply(res, 200, { payloads: out.map(toJson) });
  } catch (err) {
    reply(res, 500, { message: `cannot ${operation} the payloads: ${(err as Error).message}` });
  }
}

function reply(res: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`body larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function fromJson(json: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(json.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(json.data ?? '', 'base64') };
}

function toJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {})) {
    if (v) metadata[k] = Buffer.from(v).toString('base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}

/** Every variable the standalone process (`npm run codec-server`) reads: only KMS, no Temporal, no S3. */
export const codecEnvSchema = z.object({
  ...kmsEnvPart.shape,
  /** @default '127.0.0.1' */
  DOCKET_CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  /** @default 9234 */
  DOCKET_CODEC_PORT: positiveInt.max(65535).default(9234),
  /** The Web UI's origin as the browser sees it, e.g. http://127.0.0.1:8233: the only one allowed. */
  DOCKET_CODEC_ALLOWED_ORIGIN: z.url('is required: the Temporal Web UI origin the browser loads'),
});

export interface CodecServerConfig {
  kmsKeyId: string;
  host: string;
  port: number;
  /** The origin part of DOCKET_CODEC_ALLOWED_ORIGIN (a path or trailing slash would never match). */
  allowedOrigin: string;
}

/** Reads and validates the configuration in one parse; throws ConfigError naming every bad variable. */
export function loadCodecServerConfig(env: NodeJS.ProcessEnv = process.env): CodecServerConfig {
  const v = parseEnv(codecEnvSchema, env);
  return {
    kmsKeyId: v.DOCKET_KMS_KEY_ID,
    host: v.DOCKET_CODEC_HOST,
    port: v.DOCKET_CODEC_PORT,
    allowedOrigin: new URL(v.DOCKET_CODEC_ALLOWED_ORIGIN).origin,
  };
}

async function main(): Promise<void> {
  let config: CodecServerConfig;
  try {
    config = loadCodecServerConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`docket codec server: ${err.message}`);
    process.exit(1);
  }
  // AWS endpoint, region and credentials from the SDK's default chain.
  const kms = new KMSClient({});
  const server = await startCodecServer({
    codec: new KmsPayloadCodec({ kms, kmsKeyId: config.kmsKeyId }),
    allowedOrigin: config.allowedOrigin,
    host: config.host,
    port: config.port,
  });
  console.log(`docket codec server on ${server.endpoint} for ${config.allowedOrigin}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.close().then(() => {
        kms.destroy();
        process.exit(0);
      });
    });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('docket codec server failed:', err);
    process.exit(1);
  });
}
