/*
 * The S3-event starter process: `npx tsx clients/s3-event-starter/main.ts` (npm run starter).
 * Configuration from the environment (config.ts); SIGTERM/SIGINT stop polling, finish the batch in
 * flight (starts and deletes) and close the connections.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import pino from 'pino';
import { ConfigError } from '../../lib/config';
import { unlogged } from '../../lib/aws/unlogged';
import { DocketClient } from '../documents';
import { loadStarterConfig, type StarterConfig } from './config';
import { S3EventStarter } from './starter';

async function main(): Promise<void> {
  let config: StarterConfig;
  try {
    config = loadStarterConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`docket s3-event starter: ${err.message}`);
    process.exit(2);
  }
  const log = pino({ level: config.logLevel, base: { service: 'docket-s3-event-starter' } });
  const docket = await DocketClient.connect(config.client);
  const unknown = [config.defaultProfile, ...config.prefixProfiles.map((p) => p.profile)].filter(
    (name) => !docket.profiles[name],
  );
  if (unknown.length > 0) {
    await docket.close();
    console.error(
      `docket s3-event starter: DOCKET_EVENTS_PROFILE / DOCKET_EVENTS_PREFIX_PROFILES name unknown ` +
        `profile(s) ${unknown.join(', ')}; known: ${Object.keys(docket.profiles).join(', ')}`,
    );
    process.exit(2);
  }
  // Endpoint and credentials from the AWS SDK's default chain (AWS_ENDPOINT_URL locally).
  const sqs = unlogged(new SQSClient({}));
  const starter = new S3EventStarter(sqs, docket, config, log);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal means "now": unsettled messages simply come back after their visibility timeout.
    if (signalled) process.exit(130);
    signalled = true;
    log.info({ signal, waitSeconds: config.waitSeconds }, 'stopping after the receive and batch in flight');
    starter.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  log.info(
    {
      queueUrl: config.queueUrl,
      buckets: config.buckets,
      defaultProfile: config.defaultProfile,
      prefixes: config.prefixProfiles.length,
      taskQueue: config.client.taskQueue,
    },
    'docket s3-event starter running',
  );
  try {
    await starter.run();
  } finally {
    sqs.destroy();
    await docket.close();
  }
  log.info('docket s3-event starter stopped');
}

main().catch((err: unknown) => {
  console.error('docket s3-event starter failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
