/** awsJson1_1 on the wire: reading requests, writing results and errors the way the SDK expects. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TextractError, TextractErrorName } from './errors';

const contentType = 'application/x-amz-json-1.1';

/** Largest body accepted: a 10 MB document, base64-encoded, with room for the rest of the request. */
export const maxBodyBytes = 16 * 1024 * 1024;

/** Reads a request body, refusing bodies over maxBodyBytes. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBodyBytes) {
      throw new TextractError(
        TextractErrorName.DocumentTooLarge,
        `Request body exceeds ${maxBodyBytes} bytes`,
      );
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body; an empty body is `{}` as in the AWS protocols. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new TextractError(TextractErrorName.InvalidParameter, 'The request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TextractError(TextractErrorName.InvalidParameter, 'The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** The access key id that signed the request: Textract's quotas and jobs are per account. */
export function accountOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? '';
  return /Credential=([^/,\s]+)\//.exec(auth)?.[1] ?? 'anonymous';
}

/** The operation named by `x-amz-target: Textract.<Operation>`; undefined for anything else. */
export function operationOf(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string') return undefined;
  const dot = target.indexOf('.');
  return dot > 0 && target.slice(0, dot) === 'Textract' ? target.slice(dot + 1) : undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, type = contentType): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(payload);
}

/** An error as awsJson1_1 carries it: status, `x-amzn-ErrorType` header and `{__type, Code, Message}`. */
export function sendError(res: ServerResponse, status: number, name: string, message: string): void {
  const payload = JSON.stringify({ __type: name, Code: name, Message: message });
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': name,
  });
  res.end(payload);
}

export function sendTextractError(res: ServerResponse, err: TextractError): void {
  sendError(res, err.status, err.errorName, err.message);
}
