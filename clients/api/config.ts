/** The HTTP API's configuration: the client settings plus where to listen and what to start. */
import { z } from 'zod';
import { logLevelEnvPart, parseEnv, type LogLevel } from '../../lib/config';
import { clientConfigFrom, clientEnvSchema, type ClientConfig } from '../config';

/** Every variable the API reads, with its rule and default: the client's plus its own. */
export const apiEnvSchema = z.object({
  ...clientEnvSchema.shape,
  ...logLevelEnvPart.shape,
  /** @default 8080 */
  DOCKET_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Loopback by default: put the API behind something that authenticates before exposing it. */
  DOCKET_API_HOST: z.string().min(1).default('127.0.0.1'),
  /** Profile for POST /documents without one. @default 'forms' */
  DOCKET_API_PROFILE: z.string().min(1).default('forms'),
});

export interface ApiConfig {
  /** Connection, buckets, profiles and the task queue documents start on (DOCKET_TASK_QUEUE). */
  client: ClientConfig;
  port: number;
  host: string;
  defaultProfile: string;
  logLevel: LogLevel;
}

/** Reads and validates the configuration in one parse; throws ConfigError naming every bad variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const v = parseEnv(apiEnvSchema, env);
  return {
    client: clientConfigFrom(v, env),
    port: v.DOCKET_API_PORT,
    host: v.DOCKET_API_HOST,
    defaultProfile: v.DOCKET_API_PROFILE,
    logLevel: v.DOCKET_LOG_LEVEL,
  };
}
