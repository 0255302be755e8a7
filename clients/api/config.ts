/** The HTTP API's configuration: the client settings plus where to listen and what to start. */
import { z } from 'zod';
import { parseEnv } from '../../lib/config';
import { documentTaskQueue } from '../../lib/task-queue';
import { clientEnvSchema, loadClientConfig, type ClientConfig } from '../config';

/** Every variable the API reads, with its rule and default. */
export const apiEnvSchema = clientEnvSchema.extend({
  DOCKET_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Loopback by default: put the API behind something that authenticates before exposing it. */
  DOCKET_API_HOST: z.string().min(1).default('127.0.0.1'),
  /** Profile for POST /documents without one. */
  DOCKET_API_PROFILE: z.string().min(1).default('forms'),
  DOCKET_TASK_QUEUE: z.string().min(1).default(documentTaskQueue),
  DOCKET_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
});

export interface ApiConfig {
  client: ClientConfig;
  port: number;
  host: string;
  defaultProfile: string;
  taskQueue: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const v = parseEnv(apiEnvSchema, env);
  return {
    client: loadClientConfig(env),
    port: v.DOCKET_API_PORT,
    host: v.DOCKET_API_HOST,
    defaultProfile: v.DOCKET_API_PROFILE,
    taskQueue: v.DOCKET_TASK_QUEUE,
    logLevel: v.DOCKET_LOG_LEVEL,
  };
}
