/** The HTTP API's configuration: the client settings plus where to listen and what to start. */
import { z } from 'zod';
import { authConfigFrom, authEnvPart, type AuthConfig } from '../../lib/auth/config';
import { logLevelEnvPart, parseEnv, type LogLevel } from '../../lib/config';
import { clientConfigFrom, clientEnvSchema, type ClientConfig } from '../config';

/** Every variable the API reads, with its rule and default: the client's plus its own. */
export const apiEnvSchema = z.object({
  ...clientEnvSchema.shape,
  ...logLevelEnvPart.shape,
  ...authEnvPart.shape,
  /** The client the browser sign-in uses at the issuer (a public client with PKCE). */
  DOCKET_AUTH_CLIENT_ID: z
    .string({ error: 'is required: the OIDC client id of the browser sign-in' })
    .min(1, 'is required: the OIDC client id of the browser sign-in'),
  /** Only for an issuer that requires a confidential client. @default none */
  DOCKET_AUTH_CLIENT_SECRET: z.string().min(1).optional(),
  /** @default 'openid profile email' */
  DOCKET_AUTH_SCOPES: z.string().min(1).default('openid profile email'),
  /**
   * The API as browsers reach it: the sign-in redirect URI (<url>/auth/callback), the only origin a
   * signed-in browser may send changes from, and Secure cookies when https.
   * @default http://<DOCKET_API_HOST>:<DOCKET_API_PORT>
   */
  DOCKET_PUBLIC_URL: z.url().optional(),
  /** @default 8080 */
  DOCKET_API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Loopback by default; every route but /healthz and sign-in needs a token (auth.ts). */
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
  auth: AuthConfig & { clientId: string; clientSecret?: string; scopes: string; publicUrl: string };
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
    auth: {
      ...authConfigFrom(v),
      clientId: v.DOCKET_AUTH_CLIENT_ID,
      ...(v.DOCKET_AUTH_CLIENT_SECRET ? { clientSecret: v.DOCKET_AUTH_CLIENT_SECRET } : {}),
      scopes: v.DOCKET_AUTH_SCOPES,
      publicUrl: (v.DOCKET_PUBLIC_URL ?? `http://${v.DOCKET_API_HOST}:${v.DOCKET_API_PORT}`).replace(
        /\/$/,
        '',
      ),
    },
  };
}
