/*
 * The docket HTTP API process: `npx tsx clients/api/main.ts` (npm run api). Configuration from the
 * environment (config.ts); SIGTERM/SIGINT stop accepting connections, finish the requests in
 * flight and close the Temporal connection.
 */
import pino from 'pino';
import { createVerifier } from '../../lib/auth/verifier';
import { ConfigError } from '../../lib/config';
import { DocketClient } from '../documents';
import { loadApiConfig, type ApiConfig } from './config';
import { apiAuthOptions } from './auth';
import { buildApi } from './server';

async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadApiConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`docket api: ${err.message}`);
    process.exit(2);
  }
  // Request logs carry method, URL (document ids) and status; never bodies, which hold review input.
  const log = pino({ level: config.logLevel, base: { service: 'docket-api' } });
  const docket = await DocketClient.connect(config.client);
  if (!docket.profiles[config.defaultProfile]) {
    await docket.close();
    console.error(
      `docket api: DOCKET_API_PROFILE='${config.defaultProfile}' is not a known profile; ` +
        `known: ${Object.keys(docket.profiles).join(', ')}`,
    );
    process.exit(2);
  }
  // Documents start on the docket client's task queue (config.client.taskQueue, DOCKET_TASK_QUEUE).
  const verifier = createVerifier(config.auth);
  // An issuer that cannot be reached at start is a setting to fix, not something to find out per request.
  try {
    await verifier.metadata();
  } catch (err) {
    await docket.close();
    console.error(`docket api: DOCKET_AUTH_ISSUER: ${(err as Error).message}`);
    process.exit(2);
  }
  const app = buildApi(docket, {
    defaultProfile: config.defaultProfile,
    logger: log,
    auth: apiAuthOptions(config.auth, verifier),
  });
  const stop = async (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping after the requests in flight');
    await app.close();
    await docket.close();
    log.info('docket api stopped');
  };
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
  const address = await app.listen({ port: config.port, host: config.host });
  log.info({ address, taskQueue: config.client.taskQueue }, 'docket api listening');
}

main().catch((err: unknown) => {
  console.error('docket api failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
