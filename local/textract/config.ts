/**
 * The service's configuration from environment variables, validated once; a bad value fails fast
 * naming the variable.
 */
import { z } from 'zod';
import { faultSettingsSchema, Operation, type FaultSettings } from './faults';
import type { TextractServerOptions } from './server';

/** Every variable the service reads. */
export const textractEnvVars = {
  host: 'DOCKET_TEXTRACT_HOST',
  port: 'DOCKET_TEXTRACT_PORT',
  awsEndpoint: 'AWS_ENDPOINT_URL',
  fixtures: 'DOCKET_TEXTRACT_FIXTURES',
  minJobMs: 'DOCKET_TEXTRACT_MIN_JOB_MS',
  resultTtlMs: 'DOCKET_TEXTRACT_RESULT_TTL_MS',
  dpi: 'DOCKET_TEXTRACT_DPI',
  charHeight: 'DOCKET_TEXTRACT_CHAR_HEIGHT',
  textLayer: 'DOCKET_TEXTRACT_TEXT_LAYER',
  sidecars: 'DOCKET_TEXTRACT_SIDECARS',
  ocrWorkers: 'DOCKET_TEXTRACT_OCR_WORKERS',
  psm: 'DOCKET_TEXTRACT_PSM',
  tesseract: 'DOCKET_TEXTRACT_TESSERACT',
  tps: 'DOCKET_TEXTRACT_TPS',
  maxConcurrentJobs: 'DOCKET_TEXTRACT_MAX_CONCURRENT_JOBS',
  throttleRate: 'DOCKET_TEXTRACT_THROTTLE_RATE',
  internalErrorRate: 'DOCKET_TEXTRACT_ERROR_RATE',
  faults: 'DOCKET_TEXTRACT_FAULTS',
} as const;

/** The port the local stack gives the service unless told otherwise. */
export const defaultTextractPort = 9233;

class ConfigError extends Error {}

function read<T>(env: NodeJS.ProcessEnv, name: string, schema: z.ZodType<T>): T | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `${name}='${raw}' is not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return parsed.data;
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const rate = z.coerce.number().min(0).max(1);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const operations = Object.values(Operation) as [Operation, ...Operation[]];
const tpsList = z
  .string()
  .regex(/^(\w+=\d+(\.\d+)?)(,\w+=\d+(\.\d+)?)*$/, 'expected Operation=TPS[,Operation=TPS…]')
  .transform((s): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const pair of s.split(',')) {
      const [name = '', value = ''] = pair.split('=');
      out[name] = Number(value);
    }
    return out;
  })
  .pipe(z.partialRecord(z.enum(operations), z.number().positive()));
const faultsJson = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(faultSettingsSchema);

/** Server options from the environment (main.ts); throws naming the first bad variable. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): TextractServerOptions {
  const v = textractEnvVars;
  const fixtures = env[v.fixtures];
  const faults: FaultSettings = { ...(read(env, v.faults, faultsJson) ?? {}) };
  const tps = read(env, v.tps, tpsList);
  if (tps) faults.tps = { ...faults.tps, ...tps };
  const maxConcurrentJobs = read(env, v.maxConcurrentJobs, int(1));
  if (maxConcurrentJobs !== undefined) faults.maxConcurrentJobs = maxConcurrentJobs;
  const throttleRate = read(env, v.throttleRate, rate);
  if (throttleRate !== undefined) faults.throttleRate = throttleRate;
  const internalErrorRate = read(env, v.internalErrorRate, rate);
  if (internalErrorRate !== undefined) faults.internalErrorRate = internalErrorRate;

  const options: TextractServerOptions = {
    host: env[v.host] || '127.0.0.1',
    port: read(env, v.port, int(0, 65535)) ?? defaultTextractPort,
    faults,
  };
  const set = <K extends keyof TextractServerOptions>(
    key: K,
    value: TextractServerOptions[K] | undefined,
  ) => {
    if (value !== undefined) options[key] = value;
  };
  set('awsEndpoint', env[v.awsEndpoint] || undefined);
  set('fixturesDir', fixtures && fixtures !== 'off' ? fixtures : undefined);
  set('minJobMs', read(env, v.minJobMs, int(0)));
  set('resultTtlMs', read(env, v.resultTtlMs, int(1)));
  set('dpi', read(env, v.dpi, int(50, 600)));
  set('charHeight', read(env, v.charHeight, int(6, 60)));
  set('useTextLayer', read(env, v.textLayer, bool));
  set('sidecars', read(env, v.sidecars, bool));
  set('ocrWorkers', read(env, v.ocrWorkers, int(1, 64)));
  set('psm', read(env, v.psm, z.enum(['1', '3', '4', '6', '11', '12'])));
  set('tesseract', read(env, v.tesseract, z.string()));
  return options;
}

export { ConfigError };
