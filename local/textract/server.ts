/**
 * docket's local Amazon Textract: an HTTP server speaking awsJson1_1 that @aws-sdk/client-textract
 * talks to unchanged, plus a small admin API under /__docket/ for faults, quotas and stats.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import pino, { type Logger } from 'pino';
import { localCredentials, localRegion } from '../stack/resources';
import { repoRoot } from '../stack/tools';
import type { ServiceContext, ServiceSettings } from './context';
import { TextractError } from './errors';
import { Faults, type FaultSettings } from './faults';
import { FixtureLibrary } from './fixtures';
import {
  accountOf,
  operationOf,
  parseJsonObject,
  readBody,
  sendError,
  sendJson,
  sendTextractError,
} from './http';
import { findTesseract } from './native-ocr';
import { OcrPool } from './ocr-pool';
import { TextractService } from './service';

export interface TextractServerOptions extends Partial<ServiceSettings> {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** S3, KMS and SNS endpoint (moto); the SDK's default resolution when absent. */
  awsEndpoint?: string;
  /** @default AWS_REGION, else 'us-east-1' */
  region?: string;
  /** Folder of recorded responses; none when absent. */
  fixturesDir?: string;
  /** Faults and quotas in force from the start. */
  faults?: FaultSettings;
  /** OCR workers. @default the number of cores */
  ocrWorkers?: number;
  /** Tesseract page segmentation mode. @default '6' */
  psm?: string;
  /**
   * Native Tesseract 5 binary, or 'off' for tesseract.js. @default the bootstrap's
   * `<tools>/tesseract/tesseract`, else `tesseract` on the PATH, else tesseract.js
   */
  tesseract?: string;
  logger?: Logger;
}

export interface RunningTextractServer {
  /** `http://host:port`, for the SDK's `endpoint` option or AWS_ENDPOINT_URL_TEXTRACT. */
  url: string;
  port: number;
  service: TextractService;
  faults: Faults;
  /** Stops accepting requests, drops connections and terminates the OCR workers. */
  close(): Promise<void>;
}

/** Defaults that follow Textract where it has one and keep local tests fast where it does not. */
export const defaultSettings: ServiceSettings = {
  minJobMs: 1000,
  resultTtlMs: 7 * 24 * 3600 * 1000,
  dpi: 200,
  charHeight: 13,
  useTextLayer: true,
  sidecars: true,
};

/** Starts the service and resolves once it listens. */
export async function startTextractServer(
  options: TextractServerOptions = {},
): Promise<RunningTextractServer> {
  const region = options.region ?? process.env.AWS_REGION ?? localRegion;
  const hasEnvCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID);
  const aws = {
    region,
    ...(options.awsEndpoint ? { endpoint: options.awsEndpoint } : {}),
    // moto accepts anything; use the local placeholders when the environment names no credentials.
    ...(options.awsEndpoint && !hasEnvCredentials ? { credentials: localCredentials } : {}),
  };
  const faults = new Faults(options.faults ?? {});
  const pool = new OcrPool({
    ...(options.ocrWorkers !== undefined ? { size: options.ocrWorkers } : {}),
    ...(options.psm !== undefined ? { psm: options.psm } : {}),
    tesseractBin: findTesseract(
      options.tesseract,
      process.env.DOCKET_TOOLS_DIR ?? path.join(repoRoot, '.tools'),
    ),
  });
  const log = options.logger ?? pino({ name: 'local-textract' });
  log.info({ engine: pool.engine }, 'OCR engine');
  const ctx: ServiceContext = {
    s3: new S3Client({ ...aws, forcePathStyle: true }),
    kms: new KMSClient(aws),
    sns: new SNSClient(aws),
    pool,
    fixtures: new FixtureLibrary(options.fixturesDir),
    faults,
    settings: {
      minJobMs: options.minJobMs ?? defaultSettings.minJobMs,
      resultTtlMs: options.resultTtlMs ?? defaultSettings.resultTtlMs,
      dpi: options.dpi ?? defaultSettings.dpi,
      charHeight: options.charHeight ?? defaultSettings.charHeight,
      useTextLayer: options.useTextLayer ?? defaultSettings.useTextLayer,
      sidecars: options.sidecars ?? defaultSettings.sidecars,
    },
    log,
  };
  const service = new TextractService(ctx);

  const server = http.createServer((req, res) => {
    void route(service, faults, req, res).catch((err: unknown) => {
      log.error({ error: (err as Error).name }, 'unexpected error');
      if (!res.headersSent) sendError(res, 500, 'InternalServerError', 'Internal server error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 }, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    service,
    faults,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.terminate();
      for (const client of [ctx.s3, ctx.kms, ctx.sns]) client.destroy();
    },
  };
}

async function route(service: TextractService, faults: Faults, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname.startsWith('/__docket/')) return admin(service, faults, url, req, res);
  if (req.method !== 'POST' || url.pathname !== '/') {
    return sendError(res, 404, 'UnknownOperationException', 'POST / with x-amz-target: Textract.<Operation>');
  }
  const operation = operationOf(req);
  if (!operation) {
    return sendError(res, 400, 'UnknownOperationException', 'x-amz-target must be Textract.<Operation>');
  }
  try {
    const body = parseJsonObject(await readBody(req));
    sendJson(res, 200, await service.handle(accountOf(req), operation, body));
  } catch (err) {
    if (err instanceof TextractError) return sendTextractError(res, err);
    throw err;
  }
}

/**
 * GET/PUT/POST/DELETE /__docket/faults[?account=AKID], GET/DELETE /__docket/counters[?account=AKID],
 * GET /__docket/stats, GET /__docket/health.
 */
async function admin(
  service: TextractService,
  faults: Faults,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const account = url.searchParams.get('account') ?? undefined;
  const json = 'application/json';
  switch (`${req.method ?? 'GET'} ${url.pathname}`) {
    case 'GET /__docket/health':
      return sendJson(res, 200, { ok: true }, json);
    case 'GET /__docket/stats': {
      const memory = process.memoryUsage();
      return sendJson(
        res,
        200,
        { rss: memory.rss, heapUsed: memory.heapUsed, ...service.jobs.stats() },
        json,
      );
    }
    case 'GET /__docket/counters':
      return sendJson(res, 200, service.counters.snapshot(account), json);
    case 'DELETE /__docket/counters':
      service.counters.reset(account);
      return sendJson(res, 200, {}, json);
    case 'GET /__docket/faults':
      return sendJson(res, 200, faults.snapshot(), json);
    case 'PUT /__docket/faults':
    case 'POST /__docket/faults': {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        return sendJson(res, 200, faults.set(body, account), json);
      } catch (err) {
        return sendJson(res, 400, { error: `invalid fault settings: ${(err as Error).message}` }, json);
      }
    }
    case 'DELETE /__docket/faults':
      faults.reset(account);
      return sendJson(res, 200, faults.snapshot(), json);
    default:
      return sendJson(res, 404, { error: `no admin route ${req.method} ${url.pathname}` }, json);
  }
}
