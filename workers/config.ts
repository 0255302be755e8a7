/** The worker's configuration: DOCKET_* variables validated by one schema, Temporal per envconfig. */
import { z } from 'zod';
import {
  commonEnvPart,
  logLevelEnvPart,
  parseEnv,
  positiveInt,
  taskQueueEnvPart,
  temporalConnectConfig,
  type LogLevel,
  type TemporalConnectConfig,
} from '../lib/config';

export { ConfigError } from '../lib/config';

/** Every DOCKET_* variable the worker reads, with its rule and default. */
export const workerEnvSchema = z.object({
  ...commonEnvPart.shape,
  ...taskQueueEnvPart.shape,
  ...logLevelEnvPart.shape,
  DOCKET_RESULTS_BUCKET: z.string().min(3, 'is required: the bucket for claims, Textract output and results'),
  DOCKET_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(20),
  DOCKET_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.default(20),
  DOCKET_POLL_INITIAL_INTERVAL_MS: positiveInt.default(1000),
  DOCKET_POLL_MAX_INTERVAL_MS: positiveInt.default(30_000),
  /** How long in-flight activities get to finish (and heartbeat their progress) after SIGTERM. */
  DOCKET_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** host:port for the Prometheus endpoint; empty disables it. */
  DOCKET_METRICS_ADDRESS: z.string().default('127.0.0.1:9464'),
  /** How often docket_review_queue_size is refreshed from a visibility count (with metrics on). */
  DOCKET_REVIEW_QUEUE_INTERVAL_MS: positiveInt.default(30_000),
  /** A workflow bundle built ahead of time (`npm run build:workflows`); unset: built at start in a child process. */
  DOCKET_WORKFLOW_BUNDLE: z.string().optional(),
  /** Which queues this process serves: the document queue, the Textract-call queues, or both. */
  DOCKET_WORKER_QUEUES: z.enum(['all', 'document', 'textract']).default('all'),
  /** The account's Start* transactions per second (Textract default quota: see docs/configuration.md). */
  DOCKET_TEXTRACT_START_TPS: z.coerce.number().positive().default(2),
  /** The account's Get* transactions per second (status polls and result pages). */
  DOCKET_TEXTRACT_GET_TPS: z.coerce.number().positive().default(5),
  /** How many processes serve the Textract queues: each one's client-side bucket gets an even share. */
  DOCKET_TEXTRACT_PROCESSES: positiveInt.default(1),
  /** The account's cap on concurrent async jobs, held as leases; 0 turns leases off. */
  DOCKET_TEXTRACT_MAX_JOBS: z.coerce.number().int().min(0).default(100),
  /** SNS topic for overdue-review notices (profile reviewSla). */
  DOCKET_ESCALATION_TOPIC_ARN: z
    .string()
    .regex(/^arn:[^:]+:sns:/, 'must be an SNS topic ARN (arn:aws:sns:…)')
    .or(z.literal(''))
    .optional(),
  /** URL overdue-review notices are POSTed to as JSON. */
  DOCKET_ESCALATION_WEBHOOK_URL: z
    .url({ protocol: /^https?$/ })
    .or(z.literal(''))
    .optional(),
  /** Shared secret: the webhook body's HMAC-SHA256 goes in the X-Docket-Signature header. */
  DOCKET_ESCALATION_WEBHOOK_SECRET: z.string().optional(),
});

export interface WorkerConfig {
  temporal: TemporalConnectConfig;
  taskQueue: string;
  resultsBucket: string;
  kmsKeyId: string;
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
  pollInitialIntervalMs: number;
  pollMaxIntervalMs: number;
  shutdownGraceMs: number;
  metricsAddress: string | undefined;
  reviewQueueIntervalMs: number;
  s3ForcePathStyle: boolean;
  logLevel: LogLevel;
  workflowBundle: string | undefined;
  escalation: { topicArn?: string; webhookUrl?: string; webhookSecret?: string };
  queues: 'all' | 'document' | 'textract';
  textract: { startPerSecond: number; getPerSecond: number; maxConcurrentJobs: number; processes: number };
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const v = parseEnv(workerEnvSchema, env);
  return {
    temporal: temporalConnectConfig(env),
    taskQueue: v.DOCKET_TASK_QUEUE,
    resultsBucket: v.DOCKET_RESULTS_BUCKET,
    kmsKeyId: v.DOCKET_KMS_KEY_ID,
    maxConcurrentActivities: v.DOCKET_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTasks: v.DOCKET_MAX_CONCURRENT_WORKFLOW_TASKS,
    pollInitialIntervalMs: v.DOCKET_POLL_INITIAL_INTERVAL_MS,
    pollMaxIntervalMs: v.DOCKET_POLL_MAX_INTERVAL_MS,
    shutdownGraceMs: v.DOCKET_SHUTDOWN_GRACE_MS,
    metricsAddress: v.DOCKET_METRICS_ADDRESS === '' ? undefined : v.DOCKET_METRICS_ADDRESS,
    reviewQueueIntervalMs: v.DOCKET_REVIEW_QUEUE_INTERVAL_MS,
    s3ForcePathStyle: v.DOCKET_S3_FORCE_PATH_STYLE,
    logLevel: v.DOCKET_LOG_LEVEL,
    workflowBundle: v.DOCKET_WORKFLOW_BUNDLE === '' ? undefined : v.DOCKET_WORKFLOW_BUNDLE,
    queues: v.DOCKET_WORKER_QUEUES,
    textract: {
      startPerSecond: v.DOCKET_TEXTRACT_START_TPS,
      getPerSecond: v.DOCKET_TEXTRACT_GET_TPS,
      maxConcurrentJobs: v.DOCKET_TEXTRACT_MAX_JOBS,
      processes: v.DOCKET_TEXTRACT_PROCESSES,
    },
    escalation: {
      ...(v.DOCKET_ESCALATION_TOPIC_ARN ? { topicArn: v.DOCKET_ESCALATION_TOPIC_ARN } : {}),
      ...(v.DOCKET_ESCALATION_WEBHOOK_URL ? { webhookUrl: v.DOCKET_ESCALATION_WEBHOOK_URL } : {}),
      ...(v.DOCKET_ESCALATION_WEBHOOK_SECRET ? { webhookSecret: v.DOCKET_ESCALATION_WEBHOOK_SECRET } : {}),
    },
  };
}
