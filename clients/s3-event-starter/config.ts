/** The S3-event starter's configuration: the client settings plus the queues, buckets and profiles. */
import { z } from 'zod';
import { logLevelEnvPart, parseEnv, positiveInt, type LogLevel } from '../../lib/config';
import { clientConfigFrom, clientEnvSchema, type ClientConfig } from '../config';
import { parsePrefixProfiles, type PrefixProfiles } from './events';

const commaList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Every variable the starter reads, with its rule and default: the client's plus its own. */
const starterVariables = {
  ...clientEnvSchema.shape,
  ...logLevelEnvPart.shape,
  DOCKET_EVENTS_QUEUE_URL: z.url('is required: the SQS queue the input bucket notifies'),
  /** Where poison messages go, with a `reason` attribute. */
  DOCKET_EVENTS_DLQ_URL: z.url('is required: the dead-letter queue for messages that cannot start'),
  /** Profile for keys no prefix mapping matches. */
  DOCKET_EVENTS_PROFILE: z.string().min(1).default('forms'),
  /** `prefix=profile` pairs, comma separated; the longest matching prefix wins. */
  DOCKET_EVENTS_PREFIX_PROFILES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parsePrefixProfiles(v ?? '');
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Buckets whose events start documents; others are poison. @default DOCKET_INPUT_BUCKET */
  DOCKET_EVENTS_BUCKETS: commaList,
  /** Long-poll wait per receive (SQS allows 0-20). */
  DOCKET_EVENTS_WAIT_SECONDS: z.coerce.number().int().min(0).max(20).default(20),
  /** Messages per receive (SQS allows 1-10). */
  DOCKET_EVENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(10).default(10),
  /** Seconds a received message stays hidden; a failed start is retried after it. @default the queue's */
  DOCKET_EVENTS_VISIBILITY_TIMEOUT: positiveInt.optional(),
};

/** The starter's schema: its variables, with the buckets to serve named by one variable or the other. */
export const starterEnvSchema = z
  .object(starterVariables)
  .refine((s) => s.DOCKET_EVENTS_BUCKETS.length > 0 || !!s.DOCKET_INPUT_BUCKET, {
    path: ['DOCKET_EVENTS_BUCKETS'],
    message: 'is required (or DOCKET_INPUT_BUCKET): the buckets whose events start documents',
  });

export interface StarterConfig {
  /** Connection, buckets, profiles and the task queue documents start on (DOCKET_TASK_QUEUE). */
  client: ClientConfig;
  queueUrl: string;
  deadLetterQueueUrl: string;
  defaultProfile: string;
  prefixProfiles: PrefixProfiles;
  buckets: string[];
  waitSeconds: number;
  batchSize: number;
  visibilityTimeout: number | undefined;
  logLevel: LogLevel;
}

/** Reads and validates the configuration in one parse; throws ConfigError naming every bad variable. */
export function loadStarterConfig(env: NodeJS.ProcessEnv = process.env): StarterConfig {
  const v = parseEnv(starterEnvSchema, env);
  return {
    client: clientConfigFrom(v, env),
    queueUrl: v.DOCKET_EVENTS_QUEUE_URL,
    deadLetterQueueUrl: v.DOCKET_EVENTS_DLQ_URL,
    defaultProfile: v.DOCKET_EVENTS_PROFILE,
    prefixProfiles: v.DOCKET_EVENTS_PREFIX_PROFILES,
    buckets: v.DOCKET_EVENTS_BUCKETS.length > 0 ? v.DOCKET_EVENTS_BUCKETS : [v.DOCKET_INPUT_BUCKET ?? ''],
    waitSeconds: v.DOCKET_EVENTS_WAIT_SECONDS,
    batchSize: v.DOCKET_EVENTS_BATCH_SIZE,
    visibilityTimeout: v.DOCKET_EVENTS_VISIBILITY_TIMEOUT,
    logLevel: v.DOCKET_LOG_LEVEL,
  };
}
