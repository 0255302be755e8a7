/*
 * The docket worker process: runs the document workflow and its activities on the task queue.
 * Configuration from the environment (workers/config.ts); SIGTERM/SIGINT drain in-flight work for
 * DOCKET_SHUTDOWN_GRACE_MS so activities heartbeat their progress before the process exits.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { encryptedDataConverter } from '../lib/payload-codec';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config';
import { createLogger, temporalLoggerFor } from './logger';

async function main(): Promise<void> {
  let config: WorkerConfig;
  try {
    config = loadWorkerConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`docket worker: ${err.message}`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  Runtime.install({
    logger: temporalLoggerFor(logger, config.logLevel.toUpperCase() as LogLevel),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(config.metricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.metricsAddress } } } }
      : {}),
  });

  // Endpoints and credentials come from the AWS SDK's default chain (AWS_ENDPOINT_URL* locally).
  const s3 = new S3Client({ forcePathStyle: config.s3ForcePathStyle });
  const textract = new TextractClient({});
  const kms = new KMSClient({});

  const connection = await NativeConnection.connect(config.temporal.connection);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: createActivities({
        s3,
        textract,
        kms,
        resultsBucket: config.resultsBucket,
        pollInitialIntervalMs: config.pollInitialIntervalMs,
        pollMaxIntervalMs: config.pollMaxIntervalMs,
      }),
      dataConverter: encryptedDataConverter({ kms, kmsKeyId: config.kmsKeyId }),
      maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: config.maxConcurrentWorkflowTasks,
      shutdownGraceTime: config.shutdownGraceMs,
    });
    logger.info(
      {
        address: config.temporal.connection.address,
        namespace: config.temporal.namespace,
        taskQueue: config.taskQueue,
        metrics: config.metricsAddress ?? 'off',
      },
      'docket worker running',
    );
    await worker.run();
    logger.info({ taskQueue: config.taskQueue }, 'docket worker stopped');
  } finally {
    await connection.close();
    s3.destroy();
    textract.destroy();
    kms.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('docket worker failed:', err);
  process.exit(1);
});
