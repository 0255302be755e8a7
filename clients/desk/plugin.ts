/**
 * The review desk, served by the API process under /desk: the queue and the document view as
 * server-rendered HTML, plus the data routes the view reads (page images, fields with geometry).
 *
 * Why this shape: two pages and a few hundred lines of browser code do not earn a framework, a
 * bundler or a client-side router. The server renders the HTML from strings (html.ts, every value
 * escaped); strict TypeScript in browser/ (desk.ts with desk-api.ts and desk-claim.ts), compiled by
 * `npm run build` with its own tsconfig into one script, desk.js, adds the interaction, calling the same JSON API as every other client. Nothing to install
 * beyond the page rendering libraries, and a strict Content-Security-Policy holds: no inline script
 * or style, everything from this origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type DocumentState, DocumentStatus, liveClaim } from '../../lib/contract';
import { resultsPrefix } from '../../lib/extraction';
import { PageRenderError, renderableTypes, type RenderableType } from '../../lib/pages/render';
import { PageRenderer } from '../../lib/pages/renderer';
import { errors, idParams } from '../api/schemas';
import { NotFoundError, UnavailableError, type DocketClient } from '../documents';
import { deskFields, readNormalizedParts } from './fields';
import { deskPaths, documentPage, noticePage, queuePage, type Viewer } from './html';
import { byUrgency, queueEntry } from './queue';
import { fieldsResponse, pageParams, pageResponse } from './schemas';
import { readSource, SourceCache, SourceTooLargeError } from './source';
import { deskCss } from './styles';

export interface DeskOptions {
  /** The folder holding the compiled browser script. @default beside this module, as the build puts it */
  assetsDir?: string;
  /** Largest source object page images are made from, in bytes. @default 64 MiB */
  maxSourceBytes?: number;
  /** Longest side of a rendered page image, in pixels. @default 2000 */
  maxPageSide?: number;
  /** Most documents the queue shows. @default 200 */
  queueLimit?: number;
  /**
   * How long the queue waits for one document's status query. A document whose task queue no worker
   * polls would hold the query, and with it the whole page, until Temporal's deadline. @default 5000
   */
  statusTimeoutMs?: number;
  /** The clock (tests). */
  now?: () => Date;
  /**
   * The API's path as browsers reach it (DOCKET_PUBLIC_URL's path, e.g. `/review` behind a proxy that
   * strips it): pages carry it as their `<base href>`. @default '' (the API at the root)
   */
  basePath?: string;
}

/** The roles that may use the desk: declared on every route, checked by the API's auth hook. */
export const deskRoles = ['reviewer', 'operator'] as const;
const access = { roles: [...deskRoles] };

/** Nothing but this origin; no inline script or style; never framed. */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  // Only this origin's <base href> (the API's public path).
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Status queries the queue runs at once. */
const statusConcurrency = 8;

/** The signed-in principal the API's auth hook set, as the page header shows it. */
function viewerOf(request: FastifyRequest): Viewer | undefined {
  const principal = (
    request as FastifyRequest & { principal?: { subject: string; name: string; roles: readonly string[] } }
  ).principal;
  return principal ? { subject: principal.subject, name: principal.name, roles: principal.roles } : undefined;
}

/** Headers of every desk answer: they may carry document content, so nothing is stored anywhere. */
function guarded(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', contentSecurityPolicy)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

class StatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Registers the desk's pages, assets and data routes on the API. */
export function registerDesk(app: FastifyInstance, docket: DocketClient, options: DeskOptions = {}): void {
  const maxSourceBytes = options.maxSourceBytes ?? 64 * 1024 * 1024;
  const maxPageSide = options.maxPageSide ?? 2000;
  const now = options.now ?? (() => new Date());
  const base = (options.basePath ?? '').replace(/\/$/, '');
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const renderer = new PageRenderer();
  const sources = new SourceCache();
  app.addHook('onReady', (done) => {
    renderer.start();
    done();
  });
  app.addHook('onClose', () => renderer.close());

  app.get(
    deskPaths.queue,
    {
      config: {
        ...access,
        summary: 'The review desk: documents awaiting review, oldest deadline first (HTML)',
      },
    },
    async (request, reply) => {
      const listed = await docket.list(DocumentStatus.AWAITING_REVIEW, options.queueLimit ?? 200);
      const at = now();
      // One document no worker answers for must not hide the others: it is named, not waited on.
      const unanswered: string[] = [];
      const polled = new Map<string, Promise<boolean>>();
      const states = await mapLimited(listed, statusConcurrency, async (d) => {
        if (!polled.has(d.taskQueue)) polled.set(d.taskQueue, hasWorkflowPollers(docket, d.taskQueue));
        if (!(await polled.get(d.taskQueue))) {
          unanswered.push(d.documentId);
          return undefined;
        }
        const state: DocumentState | undefined = await docket
          .status(d.documentId, { timeoutMs: options.statusTimeoutMs ?? 5000 })
          .catch((err: unknown) => {
            // Visibility may still list a document that has just finished: it is no longer queued.
            if (err instanceof NotFoundError) return undefined;
            if (err instanceof UnavailableError) {
              unanswered.push(d.documentId);
              return undefined;
            }
            throw err;
          });
        return state?.status === DocumentStatus.AWAITING_REVIEW
          ? queueEntry(state, d.startTime, at)
          : undefined;
      });
      const entries = states.filter((e) => e !== undefined).sort(byUrgency);
      if (unanswered.length > 0) {
        request.log.warn({ documents: unanswered.length }, 'queue: status queries not answered');
      }
      return guarded(reply)
        .type('text/html; charset=utf-8')
        .send(queuePage(entries, viewerOf(request), at, base, unanswered.sort()));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/desk/documents/:id',
    {
      config: { ...access, summary: 'The review desk: one document, its pages and fields (HTML)' },
      schema: { params: idParams },
    },
    async (request, reply) => {
      const { id } = request.params;
      const viewer = viewerOf(request);
      const html = (code: number, body: string) =>
        guarded(reply).code(code).type('text/html; charset=utf-8').send(body);
      let state: DocumentState;
      try {
        state = await docket.status(id);
      } catch (err) {
        if (err instanceof NotFoundError)
          return html(404, noticePage('No such document', `There is no document ${id}.`, viewer, base));
        throw err;
      }
      if (state.status !== DocumentStatus.AWAITING_REVIEW) {
        return html(
          409,
          noticePage('Not awaiting review', `Document ${id} is ${state.status}.`, viewer, base),
        );
      }
      // Held by someone else: the page says who before the script even tries to claim it.
      const held = liveClaim(state, now().getTime());
      const claim = held && held.reviewerId !== viewer?.subject ? held : undefined;
      return html(
        200,
        documentPage(
          id,
          {
            profile: state.profile,
            pages: state.pages ?? 1,
            status: state.status,
            ...(claim ? { claim } : {}),
          },
          viewer,
          base,
        ),
      );
    },
  );

  app.get(
    deskPaths.script,
    { config: { ...access, summary: "The review desk's browser script" } },
    async (_request, reply) => {
      const file = path.join(assetsDir, 'desk.js');
      let script: Buffer;
      try {
        script = await fs.promises.readFile(file);
      } catch {
        throw new UnavailableError('the desk script is not built: run npm run build');
      }
      return guarded(reply).type('text/javascript; charset=utf-8').send(script);
    },
  );

  app.get(
    deskPaths.styles,
    { config: { ...access, summary: "The review desk's stylesheet" } },
    async (_request, reply) => guarded(reply).type('text/css; charset=utf-8').send(deskCss),
  );

  app.get<{ Params: { id: string; n: number } }>(
    '/documents/:id/pages/:n',
    {
      config: {
        ...access,
        summary:
          'Page n of a document as an image: PDF and TIFF pages rendered to PNG, JPEG and PNG as they are',
      },
      schema: { params: pageParams, response: { 200: pageResponse, ...errors(400, 404, 409, 413, 503) } },
    },
    async (request, reply) => {
      const { id, n } = request.params;
      const state = await docket.status(id);
      const type = state.contentType;
      if (!type) throw new StatusError(409, `document ${id} has no pages yet: it is ${state.status}`);
      const pages = state.pages ?? 1;
      if (n > pages) throw new NotFoundError(`document ${id} has ${pages} page(s), not ${n}`);
      const bytes = await sources
        .get(id, () => readSource(docket, id, maxSourceBytes))
        .catch((err: unknown) => {
          if (err instanceof SourceTooLargeError) throw new StatusError(413, err.message);
          throw err;
        });
      if (type === 'image/jpeg' || type === 'image/png') {
        return guarded(reply).type(type).send(Buffer.from(bytes));
      }
      if (!(renderableTypes as readonly string[]).includes(type)) {
        throw new StatusError(409, `document ${id} is not a PDF, TIFF, JPEG or PNG`);
      }
      try {
        const page = await renderer.render({
          bytes,
          contentType: type as RenderableType,
          page: n,
          maxSide: maxPageSide,
        });
        request.log.info(
          { documentId: id, page: n, width: page.width, height: page.height },
          'page rendered',
        );
        return guarded(reply).type('image/png').send(Buffer.from(page.png));
      } catch (err) {
        if (!(err instanceof PageRenderError)) throw err;
        if (err.reason === 'noSuchPage') throw new NotFoundError(`document ${id} has no page ${n}`);
        const status = { tooLarge: 413, timedOut: 503, unreadable: 409 }[err.reason];
        throw new StatusError(status, `page ${n} of document ${id}: ${err.message}`);
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/documents/:id/fields',
    {
      config: {
        ...access,
        summary:
          "A document's fields with their page, box, confidence and whether (and why) they need review",
      },
      schema: { params: idParams, response: { 200: fieldsResponse, ...errors(400, 404, 409, 503) } },
    },
    async (request, reply) => {
      const { id } = request.params;
      const state = await docket.status(id);
      if (!state.textractJobId) {
        throw new StatusError(409, `document ${id} has no extracted fields: it is ${state.status}`);
      }
      const bucket = docket.config.resultsBucket;
      if (!bucket)
        throw new UnavailableError('DOCKET_RESULTS_BUCKET is not set: the desk cannot read fields');
      const parts = await readNormalizedParts(docket.s3, bucket, resultsPrefix(id, state.textractJobId));
      if (parts.length === 0) throw new NotFoundError(`document ${id} has no stored results`);
      const fields = deskFields(parts, state.review, state.reviewActions);
      return guarded(reply).send({ documentId: id, ...(state.pages ? { pages: state.pages } : {}), fields });
    },
  );
}

/** Where the build writes the browser script: dist/clients/desk/assets, beside the compiled module. */
function defaultAssetsDir(): string {
  const compiled = path.extname(__filename) === '.js';
  return compiled
    ? path.join(__dirname, 'assets')
    : path.resolve(__dirname, '..', '..', 'dist', 'clients', 'desk', 'assets');
}

/**
 * Whether any worker polled `taskQueue` for workflow tasks lately (Temporal keeps pollers for a few
 * minutes): none means no status query on it is answered, so the queue does not wait for one. When
 * Temporal cannot say, the answer is yes and the query's own deadline decides.
 */
async function hasWorkflowPollers(docket: DocketClient, taskQueue: string): Promise<boolean> {
  try {
    const { pollers } = await docket.temporal.workflowService.describeTaskQueue({
      namespace: docket.temporal.options.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (pollers ?? []).length > 0;
  } catch {
    return true;
  }
}

/** `map` with at most `limit` calls running at once, results in order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
