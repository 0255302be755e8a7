/** Configuration of the processes that start, review and read documents (CLI, API, starter). */
import { z } from 'zod';
import { commonEnvSchema, parseEnv, temporalConnectConfig, type TemporalConnectConfig } from '../lib/config';

export const clientEnvSchema = commonEnvSchema.extend({
  /** Where `docket start <local file>` uploads files. */
  DOCKET_INPUT_BUCKET: z.string().optional(),
  /** Where the encrypted output documents go (the built-in profiles' output bucket). */
  DOCKET_OUTPUT_BUCKET: z.string().min(3, 'is required: the bucket for encrypted output documents'),
  /** A JSON file of named profiles, added to (or replacing) the built-in ones. */
  DOCKET_PROFILES_FILE: z.string().optional(),
});

export interface ClientConfig {
  temporal: TemporalConnectConfig;
  kmsKeyId: string;
  s3ForcePathStyle: boolean;
  inputBucket: string | undefined;
  outputBucket: string;
  profilesFile: string | undefined;
}

export function loadClientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const v = parseEnv(clientEnvSchema, env);
  return {
    temporal: temporalConnectConfig(env),
    kmsKeyId: v.DOCKET_KMS_KEY_ID,
    s3ForcePathStyle: v.DOCKET_S3_FORCE_PATH_STYLE,
    inputBucket: v.DOCKET_INPUT_BUCKET || undefined,
    outputBucket: v.DOCKET_OUTPUT_BUCKET,
    profilesFile: v.DOCKET_PROFILES_FILE || undefined,
  };
}
