/** Configuration of the processes that start, review and read documents (CLI, API, starter, demo). */
import { z } from 'zod';
import {
  clientEnvPart,
  commonEnvPart,
  parseEnv,
  taskQueueEnvPart,
  temporalConnectConfig,
  type TemporalConnectConfig,
} from '../lib/config';

/** Every variable the CLI (and any plain client) reads, with its rule and default. */
export const clientEnvSchema = z.object({
  ...commonEnvPart.shape,
  ...taskQueueEnvPart.shape,
  ...clientEnvPart.shape,
});

/** The parsed client variables, as every client process's own schema yields them. */
export type ClientEnv = z.infer<typeof clientEnvSchema>;

export interface ClientConfig {
  temporal: TemporalConnectConfig;
  kmsKeyId: string;
  s3ForcePathStyle: boolean;
  inputBucket: string | undefined;
  outputBucket: string;
  /** Where the workers write Textract results (DOCKET_RESULTS_BUCKET); the review desk reads them. */
  resultsBucket: string | undefined;
  profilesFile: string | undefined;
  /** The task queue documents start on (DOCKET_TASK_QUEUE). @default documentTaskQueue */
  taskQueue: string;
}

/**
 * The client settings out of values already parsed by a process's own schema (the API and the
 * starter extend {@link clientEnvSchema}), so their environment is parsed once, not once per part.
 * `env` is only read for the TEMPORAL_* settings, which @temporalio/envconfig owns.
 */
export function clientConfigFrom(values: ClientEnv, env: NodeJS.ProcessEnv): ClientConfig {
  return {
    temporal: temporalConnectConfig(env),
    kmsKeyId: values.DOCKET_KMS_KEY_ID,
    s3ForcePathStyle: values.DOCKET_S3_FORCE_PATH_STYLE,
    inputBucket: values.DOCKET_INPUT_BUCKET || undefined,
    outputBucket: values.DOCKET_OUTPUT_BUCKET,
    resultsBucket: values.DOCKET_RESULTS_BUCKET || undefined,
    profilesFile: values.DOCKET_PROFILES_FILE || undefined,
    taskQueue: values.DOCKET_TASK_QUEUE,
  };
}

/** Reads and validates a client's configuration; throws ConfigError naming every bad variable. */
export function loadClientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  return clientConfigFrom(parseEnv(clientEnvSchema, env), env);
}
