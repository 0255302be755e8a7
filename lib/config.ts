/**
 * Environment configuration shared by every docket process (worker, CLI, API, starter): one zod
 * schema per process, read once, failing fast with every bad variable named, secrets never echoed.
 * Temporal connection settings follow @temporalio/envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE and its TOML file), so the same variables work
 * for the dev server and Temporal Cloud.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';

/** Values never printed: an error shows '[redacted]' instead. */
export const secretEnvVars = ['TEMPORAL_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const positiveInt = z.coerce.number().int().positive();
export const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Settings every process that touches AWS and Temporal shares. */
export const commonEnvSchema = z.object({
  DOCKET_KMS_KEY_ID: z.string().min(1, 'is required: the KMS key (id, ARN or alias) that encrypts payloads'),
  /** Path-style S3 URLs, as local S3 stand-ins (moto) need. */
  DOCKET_S3_FORCE_PATH_STYLE: booleanString.default(false),
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
