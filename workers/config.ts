/** The worker's configuration: DOCKET_* variables validated by one schema, Temporal per envconfig. */
import fs from 'node:fs';
import { z } from 'zod';
import {
  commonEnvPart,
  ConfigError,
  logLevelEnvPart,
  parseEnv,
  positiveInt,
  taskQueueEnvPart,
  temporalConnectConfig,
  type LogLevel,
  type TemporalConnectConfig,
} from '../lib/config';
import { resolveVersioning, versioningEnvPart, type BuildFacts, type VersioningConfig } from './versioning';
import { defaultPrices, type PriceTable, priceOverrideSchema, withOverride } from '../lib/pricing';

export { ConfigError } from '../lib/config';

/** The default prices with DOCKET_PRICES_FILE, then DOCKET_PRICES, applied; ConfigError names the bad one. */
export function loadPrices(file: string | undefined, json: string | undefined): PriceTable {
  let prices = defaultPrices;
  const apply = (variable: string, text: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`${variable}: not JSON (${(err as Error).message})`);
    }
    const parsed = priceOverrideSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`);
      throw new ConfigError(`${variable}: ${problems.join('; ')}`);
    }
    prices = withOverride(prices, parsed.data);
  };
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `DOCKET_PRICES_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    apply('DOCKET_PRICES_FILE', text);
  }
  if (json) apply('DOCKET_PRICES', json);
  return prices;
}

/** Every DOCKET_* variable the worker reads, with its rule and default. */
export const workerEnvSchema = z.object({
  ...commonEnvPart.shape,
  ...taskQueueEnvPart.shape,
  ...logLevelEnvPart.shape,
  ...versioningEnvPart.shape,
  DOCKET_RESULTS_BUCKET: z.string().min(3, 'is required: the bucket for claims, Textract output and results'),
  DOCKET_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(20),
  DOCKET_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.default(20),
  DOCKET_POLL_INITIAL_INTERVAL_MS: positiveInt.default(1000),
  DOCKET_POLL_MAX_INTERVAL_MS: positiveInt.default(30_000),
  /** How long in-flight activities get to finish (and heartbeat their progress) after SIGTERM. */
  DOCKET_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * host:port for the Prometheus endpoint; port 0 picks a free port (printed at start), so several
   * workers share a host; empty disables it.
   */
  DOCKET_METRICS_ADDRESS: z
    .string()
    .regex(/^$|^[^\s:]+:\d{1,5}$/, 'must be host:port (port 0 picks a free one) or empty')
    .default('127.0.0.1:9464'),
  /** A JSON file of price overrides (lib/pricing.ts PriceOverride); unset: the documented defaults. */
  DOCKET_PRICES_FILE: z.string().optional(),
  /** Price overrides as JSON text, applied after DOCKET_PRICES_FILE. */
  DOCKET_PRICES: z.string().optional(),
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
  /** SNS topic Textract publishes job completion to (NotificationChannel.SNSTopicArn); with the role. */
  DOCKET_TEXTRACT_TOPIC_ARN: z
    .string()
    .regex(/^arn:[^:]+:sns:/, 'must be an SNS topic ARN (arn:aws:sns:…)')
    .or(z.literal(''))
    .optional(),
  /** IAM role Textract assumes to publish to that topic (NotificationChannel.RoleArn). */
  DOCKET_TEXTRACT_ROLE_ARN: z
    .string()
    .regex(/^arn:[^:]+:iam::\d{12}:role\/.+/, 'must be an IAM role ARN (arn:aws:iam::<account>:role/…)')
    .or(z.literal(''))
    .optional(),
  /** SQS queue subscribed to the topic: this worker listens on it and signals documents. Empty: no listener. */
  DOCKET_TEXTRACT_QUEUE_URL: z
    .url({ protocol: /^https?$/ })
    .or(z.literal(''))
    .optional(),
  /** A notified job's first fallback check (its expected duration). */
  DOCKET_TEXTRACT_FIRST_CHECK_MS: positiveInt.default(120_000),
  /** Later fallback checks of a notified job, this far apart. */
  DOCKET_TEXTRACT_CHECK_INTERVAL_MS: positiveInt.default(300_000),
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
  /** Worker Versioning: deployment name, build id, on or off (workers/versioning.ts). */
  versioning: VersioningConfig;
  /** Completion by notification; undefined: polling only. */
  notifications:
    | {
        channel: { snsTopicArn: string; roleArn: string };
        checks: { firstCheckMs: number; checkIntervalMs: number };
      }
    | undefined;
  /** The completion queue this worker listens on; undefined: no listener in this process. */
  notificationQueueUrl: string | undefined;
  prices: PriceTable;
  queues: 'all' | 'document' | 'textract';
  textract: { startPerSecond: number; getPerSecond: number; maxConcurrentJobs: number; processes: number };
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env, build?: BuildFacts): WorkerConfig {
  const v = parseEnv(workerEnvSchema, env);
  const versioning = resolveVersioning(v, build);
  const topicArn = v.DOCKET_TEXTRACT_TOPIC_ARN || undefined;
  const roleArn = v.DOCKET_TEXTRACT_ROLE_ARN || undefined;
  if (!topicArn !== !roleArn) {
    throw new ConfigError(
      'invalid configuration:\n  DOCKET_TEXTRACT_TOPIC_ARN and DOCKET_TEXTRACT_ROLE_ARN go together: ' +
        `set both for completion by notification, or neither for polling (${topicArn ? 'role' : 'topic'} missing)`,
    );
  }
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
    prices: loadPrices(v.DOCKET_PRICES_FILE, v.DOCKET_PRICES),
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
    versioning,
    notifications:
      topicArn && roleArn
        ? {
            channel: { snsTopicArn: topicArn, roleArn },
            checks: {
              firstCheckMs: v.DOCKET_TEXTRACT_FIRST_CHECK_MS,
              checkIntervalMs: v.DOCKET_TEXTRACT_CHECK_INTERVAL_MS,
            },
          }
        : undefined,
    notificationQueueUrl: v.DOCKET_TEXTRACT_QUEUE_URL || undefined,
  };
}
