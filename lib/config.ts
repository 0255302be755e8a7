/**
 * Environment configuration shared by every docket process (worker, CLI and other clients, HTTP API,
 * S3-event starter, codec server). Each process has one zod schema composed from the parts below,
 * so every variable is defined (name, rule, default) in exactly one place; the process parses its
 * schema once, at start, into a typed config object, failing fast with every bad variable named and
 * secrets never echoed. Temporal connection settings follow @temporalio/envconfig (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE and its TOML file), so the
 * same variables work for the dev server and Temporal Cloud.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { documentTaskQueue } from './contract';

/** Values never printed: an error shows '[redacted]' instead. */
export const secretEnvVars = [
  'TEMPORAL_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'DOCKET_ESCALATION_WEBHOOK_SECRET',
  'DOCKET_AUTH_CLIENT_SECRET',
  'DOCKET_TOKEN',
] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const positiveInt = z.coerce.number().int().positive();
export const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The KMS key that wraps payload data keys: every process that encrypts or decrypts needs it. */
export const kmsEnvPart = z.object({
  DOCKET_KMS_KEY_ID: z.string().min(1, 'is required: the KMS key (id, ARN or alias) that encrypts payloads'),
});

/**
 * What every process that talks to Temporal, S3 and KMS shares (worker, clients, API, starter).
 * Temporal's own settings are not here: {@link temporalConnectConfig} reads them per envconfig.
 */
export const commonEnvPart = z.object({
  ...kmsEnvPart.shape,
  /** Path-style S3 URLs, as local S3 stand-ins (moto) need. @default false */
  DOCKET_S3_FORCE_PATH_STYLE: booleanString.default(false),
});

/**
 * The task queue document workflows run on: the worker polls it and every client (CLI, API,
 * S3-event starter, demo) starts documents on it, so the two always agree.
 */
export const taskQueueEnvPart = z.object({
  /** @default documentTaskQueue ('docket-documents') */
  DOCKET_TASK_QUEUE: z.string().min(1).default(documentTaskQueue),
});

/** pino levels docket's long-running processes accept. */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Log level of the long-running processes (worker, API, starter); the CLI prints, it does not log. */
export const logLevelEnvPart = z.object({
  /** @default 'info' */
  DOCKET_LOG_LEVEL: z.enum(logLevels).default('info'),
});

/** What the processes that start, review and read documents need besides the common part. */
export const clientEnvPart = z.object({
  /** Where `docket start <local file>` uploads files. @default none: local files are refused */
  DOCKET_INPUT_BUCKET: z.string().optional(),
  /** Where the encrypted output documents go (the built-in profiles' output bucket). */
  DOCKET_OUTPUT_BUCKET: z.string().min(3, 'is required: the bucket for encrypted output documents'),
  /** A JSON file of named profiles, added to (or replacing) the built-in ones. @default none */
  DOCKET_PROFILES_FILE: z.string().optional(),
  /**
   * The workers' DOCKET_RESULTS_BUCKET: the review desk reads fields and their geometry from the
   * normalized results there. @default none: the desk cannot show fields
   */
  DOCKET_RESULTS_BUCKET: z.string().optional(),
});

/** Parses env with schema; throws ConfigError listing every missing or malformed variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const given = env[name];
    if (given === undefined || given === '') {
      return `${name} ${issue.message.startsWith('is required') ? issue.message : `is required (${issue.message})`}`;
    }
    const shown = (secretEnvVars as readonly string[]).includes(name) ? '[redacted]' : given;
    return `${name}='${shown}' is not valid: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
}

export interface TemporalConnectConfig {
  connection: NativeConnectionOptions;
  namespace: string;
}

/** Temporal address, namespace, TLS and API key per @temporalio/envconfig; defaults to localhost:7233. */
export function temporalConnectConfig(env: NodeJS.ProcessEnv): TemporalConnectConfig {
  const defined: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) defined[k] = v;
  try {
    const loaded = loadClientConnectConfig({ overrideEnvVars: defined });
    return {
      connection: { address: 'localhost:7233', ...loaded.connectionOptions },
      namespace: loaded.namespace ?? 'default',
    };
  } catch (err) {
    throw new ConfigError(`invalid Temporal connection settings (TEMPORAL_*): ${(err as Error).message}`);
  }
}
