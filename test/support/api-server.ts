// The HTTP API as its process builds it (clients/api/main.ts): configuration from the environment (the
// stack's DOCKET_AUTH_*), the real token check, listening on a free local port.
import { freePort } from '@docket/local/stack/ports';
import { apiAuthOptions } from '../../clients/api/auth';
import { loadApiConfig } from '../../clients/api/config';
import { buildApi } from '../../clients/api/server';
import type { DocketClient } from '../../clients/documents';

export async function apiFor(client: DocketClient, defaultProfile?: string) {
  const port = await freePort('127.0.0.1');
  const config = loadApiConfig({ ...process.env, DOCKET_API_PORT: String(port) });
  const api = buildApi(client, {
    ...(defaultProfile ? { defaultProfile } : {}),
    auth: apiAuthOptions(config.auth),
  });
  return { api, url: await api.listen({ host: '127.0.0.1', port }), config };
}
