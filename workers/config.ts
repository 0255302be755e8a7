/**
 * The worker's configuration: read from the environment once, validated by one schema, failing
 * fast with the variable's name. Temporal connection settings follow @temporalio/envconfig
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE and the
 * TOML config file), so the same variables work for the dev server and Temporal Cloud.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { documentTaskQueue } from '../lib/task-queue';

const positiveInt = z.coerce.number().int().positive();

/** Every DOCKET_* variable the worker reads, with its rule and default. */
export const workerEnvSchema = z.object({
  DOCKET_RESULTS_BUCKET: z.string().min(3, 'is required: the bucket for claims, Textract output and results'),
  DOCKET_KMS_KEY_ID: z.string().min(1, 'is required: the KMS key (id, ARN or alias) that encrypts payloads'),
  DOCKET_TASK_QUEUE: z.string().min(1).default(documentTaskQueue),
  DOCKET_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(20),
  DOCKET_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.default(20),
  DOCKET_POLL_INITIAL_INTERVAL_MS: positiveInt.default(1000),
  DOCKET_POLL_MAX_INTERVAL_MS: positiveInt.default(30_000),
  /** How long in-flight activities get to finish (and heartbeat their progress) after SIGTERM. */
  DOCKET_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** host:port for the Prometheus endpoint; empty disables it. */
  DOCKET_METRICS_ADDRESS: z.string().default('127.0.0.1:9464'),
  /** Path-style S3 URLs, as local S3 stand-ins (moto) need. */
  DOCKET_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  DOCKET_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
});

export interface WorkerConfig {
  temporal: { connection: NativeConnectionOptions; namespace: string };
  taskQueue: string;
  resultsBucket: string;
  kmsKeyId: string;
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  pollInitialIntervalMs: number;
  pollMaxIntervalMs: number;
  shutdownGraceMs: number;
  metricsAddress: string | undefined;
  s3ForcePathStyle: boolean;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** Values never to print: a config dump or error replaces them with '[redacted]'. */
export const secretEnvVars = ['TEMPORAL_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const given = env[name];
      return given === undefined || given === ''
        ? `${name} ${issue.message.startsWith('is required') ? issue.message : `is required (${issue.message})`}`
        : `${name}='${redact(name, given)}' is not valid: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const v = parsed.data;
  let temporal: WorkerConfig['temporal'];
  try {
    const loaded = loadClientConnectConfig({ overrideEnvVars: definedOnly(env) });
    temporal = {
      connection: { address: 'localhost:7233', ...loaded.connectionOptions },
      namespace: loaded.namespace ?? 'default',
    };
  } catch (err) {
    throw new ConfigError(`invalid Temporal connection settings (TEMPORAL_*): ${(err as Error).message}`);
  }
  return {
    temporal,
    taskQueue: v.DOCKET_TASK_QUEUE,
    resultsBucket: v.DOCKET_RESULTS_BUCKET,
    kmsKeyId: v.DOCKET_KMS_KEY_ID,
    maxConcurrentActivities: v.DOCKET_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks: v.DOCKET_MAX_CONCURRENT_WORKFLOW_TASKS,
    pollInitialIntervalMs: v.DOCKET_POLL_INITIAL_INTERVAL_MS,
    pollMaxIntervalMs: v.DOCKET_POLL_MAX_INTERVAL_MS,
    shutdownGraceMs: v.DOCKET_SHUTDOWN_GRACE_MS,
    metricsAddress: v.DOCKET_METRICS_ADDRESS === '' ? undefined : v.DOCKET_METRICS_ADDRESS,
    s3ForcePathStyle: v.DOCKET_S3_FORCE_PATH_STYLE === 'true',
    logLevel: v.DOCKET_LOG_LEVEL,
  };
}

function redact(name: string, value: string): string {
  return (secretEnvVars as readonly string[]).includes(name) ? '[redacted]' : value;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
