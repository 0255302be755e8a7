/** The development issuer process's settings (local/auth/main.ts), from the environment. */
import { devIssuerDefaults, type DevIssuerOptions } from './dev-issuer';

export const devIssuerEnvVars = {
  host: 'DOCKET_AUTH_HOST',
  port: 'DOCKET_AUTH_PORT',
  publicUrl: 'DOCKET_AUTH_PUBLIC_URL',
  audience: 'DOCKET_AUTH_AUDIENCE',
  clientId: 'DOCKET_AUTH_CLIENT_ID',
  tokenLifetime: 'DOCKET_AUTH_TOKEN_LIFETIME',
} as const;

/** Options from env; throws naming a malformed variable. */
export function devIssuerOptionsFromEnv(env: NodeJS.ProcessEnv): DevIssuerOptions {
  const v = devIssuerEnvVars;
  const integer = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got '${raw}'`);
    return n;
  };
  const publicUrl = env[v.publicUrl];
  if (publicUrl && !/^https?:\/\/[^/]+\/?$/.test(publicUrl)) {
    throw new Error(
      `${v.publicUrl} must be an http(s) origin such as http://127.0.0.1:9400, got '${publicUrl}'`,
    );
  }
  return {
    host: env[v.host] || '127.0.0.1',
    port: integer(v.port, 9400),
    audience: env[v.audience] || devIssuerDefaults.audience,
    clientId: env[v.clientId] || devIssuerDefaults.clientId,
    tokenLifetime: integer(v.tokenLifetime, devIssuerDefaults.tokenLifetime),
    ...(publicUrl ? { publicUrl } : {}),
  };
}
