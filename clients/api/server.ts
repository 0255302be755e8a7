/**
 * The docket HTTP API (fastify): start documents from S3, read their status, list them, review
 * them, read their output (as JSON or exported). Every request is validated against the JSON
 * schemas in schemas.ts before it reaches docket; refusals answer 4xx with a message that says what
 * to change.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type DocumentState, DocumentStatus, type ReviewInput } from '../../lib/contract';
import {
  checkExportRequest,
  type ExportFormat,
  exportContentTypes,
  ExportRequestError,
  renderExport,
  UnsupportedOutputError,
} from '../../lib/exports/formats';
import {
  NotFoundError,
  NotReadyError,
  RequestError,
  UnavailableError,
  type DocketClient,
  type StartRequest,
} from '../documents';
import { registerDesk, type DeskOptions } from '../desk/plugin';
import { openApiDocument, type DocumentedRoute } from './openapi';
import {
  errors,
  errorSchema,
  healthResponse,
  idParams,
  listQuery,
  listResponse,
  outputQuery,
  outputResponse,
  reviewBody,
  reviewResponse,
  startBody,
  startResponse,
  stateResponse,
} from './schemas';

/** What {@link buildApi} needs besides the docket client. */
export interface ApiOptions {
  /** Profile for POST /documents without one. @default 'forms' */
  defaultProfile?: string;
  /** fastify's logger: a pino instance, or false. @default false */
  logger?: FastifyServerOptions['loggerInstance'];
  /** The review desk's settings (clients/desk). */
  desk?: DeskOptions;
}

/** HTTP status and message for an error docket raised. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const reviewConflicts = ['not awaiting review', 'already decided'];

/** Builds the API (not listening): `app.listen()` to serve, `app.inject()` to test. */
export function buildApi(docket: DocketClient, options: ApiOptions = {}): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Reject what the schemas do not allow instead of silently dropping or coercing it.
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
  });
  app.addSchema(errorSchema);
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      routes.push({ method, url: r.url, summary: r.config?.summary, schema: r.schema });
    }
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      // ajv says "must be equal to one of the allowed values" without naming them.
      const allowed = err.validation.flatMap((v) =>
        v.keyword === 'enum' && Array.isArray(v.params.allowedValues)
          ? [`${err.validationContext ?? ''}${v.instancePath}: one of ${v.params.allowedValues.join(', ')}`]
          : [],
      );
      const message = [err.message, ...allowed].join('; ');
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
    }
    const [code, message] = classify(err);
    if (code >= 500) request.log.error({ err: { name: err.name, message: err.message } }, 'request failed');
    return reply.code(code).send({ statusCode: code, error: reasonPhrase(code), message });
  });

  app.post<{ Body: Omit<StartRequest, 'profile'> & { profile?: string } }>(
    '/documents',
    {
      config: { summary: 'Start processing an S3 object (idempotent: the same document starts once)' },
      schema: { body: startBody, response: { 202: startResponse, ...errors(400, 422, 503) } },
    },
    async (request, reply) => {
      const result = await docket
        .start({
          ...request.body,
          profile: request.body.profile ?? options.defaultProfile ?? 'forms',
          // A retried POST must not re-run a document that already finished.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        })
        .catch((err: unknown) => {
          // The object is the request's problem, not a missing API resource.
          if (err instanceof NotFoundError) throw new HttpError(422, err.message);
          throw err;
        });
      request.log.info({ documentId: result.documentId, started: result.started }, 'document start');
      return reply.code(202).send(result);
    },
  );

  app.get<{ Querystring: { status?: DocumentStatus; limit: number } }>(
    '/documents',
    {
      config: { summary: 'List documents, optionally by status' },
      schema: { querystring: listQuery, response: { 200: listResponse, ...errors(400, 503) } },
    },
    async (request) => ({ documents: await docket.list(request.query.status, request.query.limit) }),
  );

  app.get<{ Params: { id: string } }>(
    '/documents/:id',
    {
      config: { summary: "A document's status, transitions, review items and failure" },
      schema: { params: idParams, response: { 200: stateResponse, ...errors(400, 404, 503) } },
    },
    async (request) => withoutContent(await docket.status(request.params.id)),
  );

  app.get<{ Params: { id: string }; Querystring: { format: ExportFormat; table?: number } }>(
    '/documents/:id/output',
    {
      config: {
        summary:
          "A finished document's decrypted output: the JSON document, or a Markdown, CSV or text export",
      },
      schema: {
        params: idParams,
        querystring: outputQuery,
        response: { 200: outputResponse, ...errors(400, 404, 406, 409, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { format, table } = request.query;
      // A request that cannot work is refused before the output is fetched and decrypted.
      exporting(() => checkExportRequest({ format, table }));
      const doc = await docket.output(id);
      const body = exporting(() => renderExport(doc, { format, table }));
      // The document id and format only: the body is document content.
      request.log.info({ documentId: id, format }, 'output read');
      return reply.header('cache-control', 'no-store').type(exportContentTypes[format]).send(body);
    },
  );

  app.post<{ Params: { id: string }; Body: ReviewInput }>(
    '/documents/:id/review',
    {
      config: { summary: 'Approve, reject or correct a document awaiting review' },
      schema: {
        params: idParams,
        body: reviewBody,
        response: { 200: reviewResponse, ...errors(400, 404, 409, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      // Asking first gives a clear 409 for a finished document, whose update would fail as "not found".
      const state = await docket.status(id);
      if (state.status !== DocumentStatus.AWAITING_REVIEW) {
        throw new HttpError(409, `document ${id} is ${state.status}, not awaiting review`);
      }
      return docket.review(id, request.body).catch((err: unknown) => {
        if (err instanceof RequestError && reviewConflicts.some((c) => err.message.includes(c))) {
          throw new HttpError(409, err.message);
        }
        throw err;
      });
    },
  );

  app.get(
    '/healthz',
    {
      config: { summary: 'Liveness and Temporal reachability' },
      schema: { response: { 200: healthResponse, ...errors(503) } },
    },
    async () => {
      try {
        await docket.temporal.workflowService.getSystemInfo({});
      } catch {
        throw new HttpError(503, 'Temporal is not reachable');
      }
      return { ok: true, temporal: 'reachable' };
    },
  );

  registerDesk(app, docket, options.desk);

  app.get('/openapi.json', { config: { summary: 'This OpenAPI document' } }, (_request, reply) =>
    reply.send(openApiDocument(routes, [errorSchema], { title: 'docket', version: '1' })),
  );
  return app;
}

/** Runs an export step, turning what it refuses into HTTP answers. */
function exporting<T>(step: () => T): T {
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
    404: 'Not Found',
    406: 'Not Acceptable',
    409: 'Conflict',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    503: 'Service Unavailable',
  };
  return phrases[code] ?? (code >= 500 ? 'Internal Server Error' : 'Bad Request');
}

/** The state without correction values: old and new field values are document content. */
function withoutContent(state: DocumentState) {
  return {
    ...state,
    reviewActions: state.reviewActions.map((a) =>
      a.action === 'correct' ? { action: a.action, reviewer: a.reviewer, at: a.at, field: a.field } : a,
    ),
  };
}
