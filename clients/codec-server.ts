// A Temporal codec server (https://docs.temporal.io/codec-server) for docket's encrypted payloads:
// the Web UI sends it the payloads it shows (input, result, static summary, current details) and
// displays what it answers. docket encrypts every payload, so without one the UI shows ciphertext.
// The local stack runs it in its launcher; `npm run codec-server` runs it alone (docker-compose).
// It decrypts only for a caller with a valid docket token (Bearer, or the API's docket_session
// cookie, which the UI sends when its codec setting "include cross-origin credentials" is on) and
// a docket role allowed to read payloads (operator by default), and grants CORS only to the
// configured origins (the Web UI's): a page on any other origin is refused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { authConfigFrom, authEnvPart, type AuthConfig } from '../lib/auth/config';
import { hasAnyRole, roles as allRoles, type Role } from '../lib/auth/principal';
import { AuthError, createVerifier, type TokenVerifier } from '../lib/auth/verifier';
import { unlogged } from '../lib/aws/unlogged';
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
  /** The origins allowed to call it from a browser: the Web UI's, e.g. `http://127.0.0.1:8233`. */
  allowedOrigins: readonly string[];
  /** Checks the caller's token. */
  verifier: TokenVerifier;
  /** Roles any one of which may encode and decode. @default ['operator'] */
  roles?: readonly Role[];
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
}

const maxBodyBytes = 4 * 1024 * 1024;

/** The API's session cookie, which a browser signed in to docket sends to the codec server too. */
const sessionCookie = 'docket_session';

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
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  // A browser page elsewhere gets neither an answer nor a CORS grant; callers without an Origin
  // (tctl-style tools, scripts) are not browsers and still need a token.
  if (origin !== undefined && !options.allowedOrigins.includes(origin)) {
    return reply(res, 403, { message: `origin ${origin} may not use this codec server` });
  }
  if (origin !== undefined) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  if (req.method === 'OPTIONS') {
    // A preflight carries no credentials: it learns only what the real request may send.
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Content-Type, X-Namespace, Authorization, Authorization-Extras',
    );
    res.setHeader('Access-Control-Max-Age', '600');
    return reply(res, 204);
  }
  const refusal = await authenticate(options, req);
  if (refusal) {
    if (refusal.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="docket-codec"');
    return reply(res, refusal.status, { message: refusal.message });
  }
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

/** Why the caller may not use the codec, or undefined when they may. */
async function authenticate(
  options: CodecServerOptions,
  req: http.IncomingMessage,
): Promise<{ status: 401 | 403 | 503; message: string } | undefined> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? cookieValue(req.headers.cookie, sessionCookie);
  if (!token)
    return {
      status: 401,
      message: 'a docket token is required (Authorization: Bearer, or sign in to docket)',
    };
  try {
    const principal = await options.verifier.verify(token);
    const allowed = options.roles ?? ['operator'];
    if (!hasAnyRole(principal, allowed)) {
      return { status: 403, message: `decoding payloads requires the role ${allowed.join(' or ')}` };
    }
    return undefined;
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    return err.unavailable ? { status: 503, message: err.message } : { status: 401, message: err.message };
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
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
  ...authEnvPart.shape,
  /** @default '127.0.0.1' */
  DOCKET_CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  /** @default 9234 */
  DOCKET_CODEC_PORT: positiveInt.max(65535).default(9234),
  /** The Web UI's origin as the browser sees it, e.g. http://127.0.0.1:8233 (comma-separated for several). */
  DOCKET_CODEC_ALLOWED_ORIGIN: z
    .string({ error: 'is required: the Temporal Web UI origin the browser loads' })
    .transform((text) => text.split(',').map((o) => o.trim()))
    .pipe(z.array(z.url('is not a URL: the Temporal Web UI origin the browser loads')).min(1)),
  /** Roles (comma-separated) that may decode. @default 'operator' */
  DOCKET_CODEC_ROLES: z
    .string()
    .default('operator')
    .transform((text) => text.split(',').map((r) => r.trim()))
    .pipe(z.array(z.enum(allRoles as [Role, ...Role[]])).min(1)),
});

export interface CodecServerConfig {
  kmsKeyId: string;
  host: string;
  port: number;
  /** The origin part of each DOCKET_CODEC_ALLOWED_ORIGIN (a path or trailing slash would never match). */
  allowedOrigins: string[];
  roles: Role[];
  auth: AuthConfig;
}

/** Reads and validates the configuration in one parse; throws ConfigError naming every bad variable. */
export function loadCodecServerConfig(env: NodeJS.ProcessEnv = process.env): CodecServerConfig {
  const v = parseEnv(codecEnvSchema, env);
  return {
    kmsKeyId: v.DOCKET_KMS_KEY_ID,
    host: v.DOCKET_CODEC_HOST,
    port: v.DOCKET_CODEC_PORT,
    allowedOrigins: v.DOCKET_CODEC_ALLOWED_ORIGIN.map((o) => new URL(o).origin),
    roles: v.DOCKET_CODEC_ROLES,
    auth: authConfigFrom(v),
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
  const kms = unlogged(new KMSClient({}));
  const server = await startCodecServer({
    codec: new KmsPayloadCodec({ kms, kmsKeyId: config.kmsKeyId }),
    allowedOrigins: config.allowedOrigins,
    verifier: createVerifier(config.auth),
    roles: config.roles,
    host: config.host,
    port: config.port,
  });
  console.log(`docket codec server on ${server.endpoint} for ${config.allowedOrigins.join(', ')}`);
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
