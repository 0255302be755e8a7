/*
 * How the API answers what went wrong: docket's typed errors, schema validation failures and
 * fastify's own client errors become a status and a message that says what to change, never
 * document content.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ExportRequestError, UnsupportedOutputError } from '../../lib/exports/formats';
import { ConflictError, NotFoundError, NotReadyError, RequestError, UnavailableError } from '../documents';
import { RawResultsGoneError } from '../reprocess';
import { apiBodyLimit } from './schemas';

/** HTTP status and message for an error docket raised. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API's error handler: every refusal answers `{ statusCode, error, message }`. */
export function answerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err.validation) {
    const context = err.validationContext ?? '';
    // Paths without the keys a client chose (a field name can be anything, and huge): the message
    // names the place and the limit only.
    const problems = err.validation.map(
      (v) => `${context}${redactedPath(v.instancePath)} ${v.message ?? 'is invalid'}`,
    );
    // ajv says "must be equal to one of the allowed values" without naming them.
    const allowed = err.validation.flatMap((v) =>
      v.keyword === 'enum' && Array.isArray(v.params.allowedValues)
        ? [`${context}${redactedPath(v.instancePath)}: one of ${v.params.allowedValues.join(', ')}`]
        : [],
    );
    const message = [[...new Set(problems)].join(', '), ...allowed].join('; ');
    return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const message = `request body is larger than the API's limit of ${apiBodyLimit} bytes`;
    return reply.code(413).send({ statusCode: 413, error: 'Payload Too Large', message });
  }
  const [code, message] = classify(err);
  if (code >= 500) request.log.error({ err: { name: err.name, message: err.message } }, 'request failed');
  return reply.code(code).send({ statusCode: code, error: reasonPhrase(code), message });
}

/** Runs an export step, turning what it refuses into HTTP answers. */
export function exporting<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ExportRequestError) throw new HttpError(400, err.message);
    if (err instanceof UnsupportedOutputError) throw new HttpError(406, err.message);
    throw err;
  }
}

function classify(err: Error & { statusCode?: number }): [number, string] {
  if (err instanceof HttpError) return [err.statusCode, err.message];
  // The stored raw parts expired: gone for good, as 410 says.
  if (err instanceof RawResultsGoneError) return [410, err.message];
  if (err instanceof ConflictError) return [409, err.message];
  // Before NotFoundError, which it extends: the output may exist later, so the request conflicts with now.
  if (err instanceof NotReadyError) return [409, err.message];
  if (err instanceof NotFoundError) return [404, err.message];
  if (err instanceof RequestError) return [400, err.message];
  if (err instanceof UnavailableError) return [503, err.message];
  // fastify's own client errors (malformed JSON, wrong content type) carry a 4xx status.
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return [err.statusCode, err.message];
  return [500, 'internal error; the API log has the details'];
}

function reasonPhrase(code: number): string {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    406: 'Not Acceptable',
    409: 'Conflict',
    410: 'Gone',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    503: 'Service Unavailable',
  };
  return phrases[code] ?? (code >= 500 ? 'Internal Server Error' : 'Bad Request');
}

/** A JSON pointer with the key under `/fields/` replaced: field names are the client's text. */
function redactedPath(pointer: string): string {
  return pointer.replace(/^\/fields\/.*$/, '/fields/<a field>');
}
