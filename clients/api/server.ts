/**
 * The docket HTTP API (fastify): start documents from S3, read their status, list them, review
 * them, read their output (as JSON or exported). Every request is validated against the JSON
 * schemas in schemas.ts before it reaches docket; refusals answer 4xx with a message that says what
 * to change.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type DocumentState, DocumentStatus, type ReviewInput } from '../../lib/contract';
import {
  checkExportRequest,
  type ExportFormat,
  exportContentTypes,
  renderExport,
} from '../../lib/exports/formats';
import { NotFoundError, RequestError, type DocketClient, type StartRequest } from '../documents';
import { registerAuth, reviewerOf, type ApiAuthOptions } from './auth';
import { registerDesk, type DeskOptions } from '../desk/plugin';
import { reprocessWith } from '../reprocess';
import { answerError, exporting, HttpError } from './errors';
import { openApiDocument, type DocumentedRoute } from './openapi';
import {
  apiBodyLimit,
  claimBody,
  claimResponse,
  errors,
  errorSchema,
  healthResponse,
  idParams,
  listQuery,
  listResponse,
  outputQuery,
  outputResponse,
  releaseBody,
  reprocessBody,
  reprocessResponse,
  reviewBody,
  reviewResponse,
  startBody,
  startResponse,
  stateResponse,
} from './schemas';

/** What {@link buildApi} needs besides the docket client. */
export interface ApiOptions {
  /** Who may call what: every route but /healthz and the sign-in routes needs a verified token. */
  auth: ApiAuthOptions;
  /** Profile for POST /documents without one. @default 'forms' */
  defaultProfile?: string;
  /** fastify's logger: a pino instance, or false. @default false */
  logger?: FastifyServerOptions['loggerInstance'];
  /** The review desk's settings (clients/desk). */
  desk?: DeskOptions;
}

/** The review body as sent: the reviewer comes from the token, so a typed one is dropped. */
type ReviewRequestBody = DistributiveOmit<ReviewInput, 'reviewer' | 'reviewerId'> & { reviewer?: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Review refusals that are about the document's state, not the request: 409, as a refused claim is. */
const reviewConflicts = ['not awaiting review', 'already decided', 'claimed by'];

/** Builds the API (not listening): `app.listen()` to serve, `app.inject()` to test. */
export function buildApi(docket: DocketClient, options: ApiOptions): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // Reject what the schemas do not allow instead of silently dropping or coercing it.
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
    // Larger bodies cannot be valid reviews (reviewLimits): refused with 413 before they are parsed.
    bodyLimit: apiBodyLimit,
  });
  app.addSchema(errorSchema);
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      routes.push({
        method,
        url: r.url,
        summary: r.config?.summary,
        schema: r.schema,
        roles: r.config?.roles,
      });
    }
  });
  // First, so no route is reachable without its check.
  registerAuth(app, options.auth);
  app.setErrorHandler(answerError);

  app.post<{ Body: Omit<StartRequest, 'profile'> & { profile?: string } }>(
    '/documents',
    {
      config: {
        roles: ['submitter'],
        summary: 'Start processing an S3 object (idempotent: the same document starts once)',
      },
      schema: { body: startBody, response: { 202: startResponse, ...errors(400, 401, 403, 422, 503) } },
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
      config: { roles: ['reviewer', 'operator'], summary: 'List documents, optionally by status' },
      schema: { querystring: listQuery, response: { 200: listResponse, ...errors(400, 401, 403, 503) } },
    },
    async (request) => ({ documents: await docket.list(request.query.status, request.query.limit) }),
  );

  app.get<{ Params: { id: string } }>(
    '/documents/:id',
    {
      config: {
        roles: ['submitter', 'reviewer', 'operator'],
        summary: "A document's status, transitions, review items and failure",
      },
      schema: { params: idParams, response: { 200: stateResponse, ...errors(400, 401, 403, 404, 503) } },
    },
    async (request) => withoutContent(await docket.status(request.params.id)),
  );

  app.get<{ Params: { id: string }; Querystring: { format: ExportFormat; table?: number } }>(
    '/documents/:id/output',
    {
      config: {
        roles: ['submitter', 'operator'],
        summary:
          "A finished document's decrypted output: the JSON document, or a Markdown, CSV or text export",
      },
      schema: {
        params: idParams,
        querystring: outputQuery,
        response: { 200: outputResponse, ...errors(400, 401, 403, 404, 406, 409, 503) },
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

  app.post<{ Params: { id: string }; Body: { profile?: string } | null }>(
    '/documents/:id/reprocess',
    {
      config: {
        roles: ['operator'],
        summary:
          'Rebuild a finished document from its stored Textract result (no Textract call) and write the next output version',
      },
      schema: {
        params: idParams,
        body: reprocessBody,
        response: { 202: reprocessResponse, ...errors(400, 401, 403, 404, 409, 410, 503) },
      },
    },
    async (request, reply) => {
      const started = await reprocessWith(docket, request.params.id, request.body?.profile);
      request.log.info({ documentId: started.documentId, version: started.version }, 'reprocess started');
      return reply.code(202).send(started);
    },
  );

  app.post<{ Params: { id: string }; Body: ReviewRequestBody }>(
    '/documents/:id/review',
    {
      config: {
        roles: ['reviewer'],
        summary: 'Approve, reject or correct a document awaiting review, as the signed-in reviewer',
      },
      schema: {
        params: idParams,
        body: reviewBody,
        response: { 200: reviewResponse, ...errors(400, 401, 403, 404, 409, 413, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      // Asking first gives a clear 409 for a finished document, whose update would fail as "not found".
      const state = await docket.status(id);
      if (state.status !== DocumentStatus.AWAITING_REVIEW) {
        throw new HttpError(409, `document ${id} is ${state.status}, not awaiting review`);
      }
      // Who reviews is the token's subject and name; a name typed into the body is ignored.
      const { reviewer: _typed, ...body } = request.body;
      const input = { ...body, ...reviewerOf(request) } as ReviewInput;
      return docket.review(id, input).catch((err: unknown) => {
        if (err instanceof RequestError && reviewConflicts.some((c) => err.message.includes(c))) {
          throw new HttpError(409, err.message);
        }
        throw err;
      });
    },
  );

  /** A claim or release the workflow refused (held by another, nobody holds it, not in review): 409. */
  const claiming = <T>(run: Promise<T>): Promise<T> =>
    run.catch((err: unknown) => {
      if (err instanceof RequestError) throw new HttpError(409, err.message);
      throw err;
    });

  /**
   * Claim and release take everything from the token, so their body is optional: a POST without one
   * (curl -X POST, a bodiless beacon) reads as `{}` instead of failing "body must be object".
   */
  const noBodyIsEmpty = (request: { body: unknown }, _reply: unknown, done: () => void) => {
    request.body ??= {};
    done();
  };

  app.post<{ Params: { id: string }; Body: Record<string, never> }>(
    '/documents/:id/claim',
    {
      preValidation: noBodyIsEmpty,
      config: {
        // A reviewer's: an operator only looking must not lock reviewers out (operators release).
        roles: ['reviewer'],
        summary: "Hold a document for review as the signed-in reviewer (renews the holder's lease)",
      },
      schema: {
        params: idParams,
        body: claimBody,
        response: { 200: claimResponse, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => claiming(docket.claim(request.params.id, reviewerOf(request))),
  );

  app.post<{ Params: { id: string }; Body: { force?: boolean } }>(
    '/documents/:id/release',
    {
      preValidation: noBodyIsEmpty,
      config: {
        roles: ['reviewer', 'operator'],
        summary: "Give up your claim on a document; force (operators) ends another reviewer's claim",
      },
      schema: {
        params: idParams,
        body: releaseBody,
        response: { 200: claimResponse, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const force = request.body?.force === true;
      // The workflow records who forced it; whether they may is the role's question, asked here.
      if (force && !request.principal?.roles.includes('operator')) {
        throw new HttpError(403, "only an operator may force another reviewer's claim off a document");
      }
      return claiming(docket.release(request.params.id, reviewerOf(request), { force }));
    },
  );

  app.get(
    '/healthz',
    {
      config: { public: true, summary: 'Liveness and Temporal reachability' },
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

  registerDesk(app, docket, {
    // Pages link relative to the API's public path (a proxy may serve it under one).
    basePath: new URL(options.auth.publicUrl).pathname,
    ...options.desk,
  });

  app.get(
    '/openapi.json',
    { config: { roles: ['submitter', 'reviewer', 'operator'], summary: 'This OpenAPI document' } },
    (_request, reply) =>
      reply.send(openApiDocument(routes, [errorSchema], { title: 'docket', version: '1' })),
  );
  return app;
}

/** The state without correction values: old and new field values are document content. */
function withoutContent(state: DocumentState) {
  return {
    ...state,
    reviewActions: state.reviewActions.map((a) =>
      a.action === 'correct'
        ? { action: a.action, reviewer: a.reviewer, reviewerId: a.reviewerId, at: a.at, field: a.field }
        : a,
    ),
  };
}
