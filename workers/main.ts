/*
 * The docket worker process: runs the document workflow and its activities on the task queue.
 * Configuration from the environment (workers/config.ts); SIGTERM/SIGINT drain in-flight work for
 * DOCKET_SHUTDOWN_GRACE_MS so activities heartbeat their progress before the process exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TextractClient } from '@aws-sdk/client-textract';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { textractRates } from '../activities/rate-governor';
import { textractQueueLimits } from '../lib/quota';
import { describeEscalation, type EscalationOptions } from '../activities/escalation';
import { encryptedDataConverter } from '../lib/payload-codec';
import { unlogged } from '../lib/aws/unlogged';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config';
import { createLogger, temporalLoggerFor } from './logger';
import { signalDocumentWorkflow, TextractNotificationListener } from './textract-notifications';
import { countNotifications, countTextractCalls, resolveMetricsAddress, watchReviewQueue } from './metrics';
import { prepareWorkflowBundle } from './workflow-bundle';
import { ensureQuotaWorkflow } from './quota-workflow';
import { setCurrentVersion, workerDeploymentOptions } from './versioning';

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
  const metricsAddress = config.metricsAddress && (await resolveMetricsAddress(config.metricsAddress));
  Runtime.install({
    logger: temporalLoggerFor(logger, config.logLevel.toUpperCase() as LogLevel),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(metricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } }
      : {}),
  });

  // Endpoints and credentials come from the AWS SDK's default chain (AWS_ENDPOINT_URL* locally).
  const s3 = unlogged(new S3Client({ forcePathStyle: config.s3ForcePathStyle }));
  const textract = unlogged(new TextractClient({}));
  const kms = unlogged(new KMSClient({}));
  const sns = config.escalation.topicArn ? unlogged(new SNSClient({})) : undefined;
  const escalation: EscalationOptions = { ...config.escalation, ...(sns ? { sns } : {}) };
  const escalationTargets = describeEscalation(escalation);
  if (escalationTargets === 'none') {
    logger.warn(
      'no escalation target: documents past a profile reviewSla are marked ReviewOverdue but nobody is notified ' +
        '(set DOCKET_ESCALATION_TOPIC_ARN and/or DOCKET_ESCALATION_WEBHOOK_URL)',
    );
  }
  const meter = Runtime.instance().metricMeter;
  countTextractCalls(textract, meter);

  const bundle = await prepareWorkflowBundle(config.workflowBundle);
  logger.info({ origin: bundle.origin, ms: bundle.ms }, 'workflow code ready');
  // The worker reads the bundle once at creation; a bundle built at start is removed right after.
  const removeBuiltBundle = () => {
    if (bundle.origin === 'child-process')
      fs.rmSync(path.dirname(bundle.codePath), { recursive: true, force: true });
  };
  const connection = await NativeConnection.connect(config.temporal.connection).catch((err: unknown) => {
    removeBuiltBundle();
    throw err;
  });
  const dataConverter = encryptedDataConverter({ kms, kmsKeyId: config.kmsKeyId });
  const sqs = config.notificationQueueUrl ? unlogged(new SQSClient({})) : undefined;
  try {
    const activities = createActivities({
      s3,
      textract,
      kms,
      resultsBucket: config.resultsBucket,
      pollInitialIntervalMs: config.pollInitialIntervalMs,
      pollMaxIntervalMs: config.pollMaxIntervalMs,
      prices: config.prices,
      escalation,
      ...(config.notifications
        ? {
            notificationChannel: config.notifications.channel,
            completionChecks: config.notifications.checks,
          }
        : {}),
      // Calls inside one activity (polls, result pages) are not seen by the server's rate: each
      // Textract-queue process keeps to its share of the account's rate.
      rates: textractRates({
        startPerSecond: config.textract.startPerSecond / config.textract.processes,
        getPerSecond: config.textract.getPerSecond / config.textract.processes,
      }),
      maxConcurrentJobs: config.textract.maxConcurrentJobs,
    });
    const common = {
      connection,
      namespace: config.temporal.namespace,
      activities,
      dataConverter,
      maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
      shutdownGraceTime: config.shutdownGraceMs,
      workerDeploymentOptions: workerDeploymentOptions(config.versioning),
    };
    // The document queue (workflows, short steps) and the Textract-call queues, whose server-side
    // rate is the governor: a process can serve either half (scale-out) or both.
    const workers = await Promise.all([
      ...(config.queues === 'textract'
        ? []
        : [
            Worker.create({
              ...common,
              taskQueue: config.taskQueue,
              workflowBundle: { codePath: bundle.codePath },
              maxConcurrentWorkflowTaskExecutions: config.maxConcurrentWorkflowTasks,
            }),
          ]),
      ...(config.queues === 'document'
        ? []
        : textractQueueLimits(config.taskQueue, config.textract).map((limits) =>
            Worker.create({ ...common, ...limits }),
          )),
    ]).finally(removeBuiltBundle);
    const stopWatching = metricsAddress
      ? watchReviewQueue({
          connection,
          namespace: config.temporal.namespace,
          meter,
          intervalMs: config.reviewQueueIntervalMs,
          onError: (err) => logger.warn({ error: String(err) }, 'review queue count failed'),
        })
      : () => undefined;
    const listener =
      sqs && config.notificationQueueUrl
        ? new TextractNotificationListener({
            sqs,
            queueUrl: config.notificationQueueUrl,
            signal: signalDocumentWorkflow(
              new Client({ connection, namespace: config.temporal.namespace, dataConverter }),
              // Governed: a document's lease goes back as its message arrives.
              config.textract.maxConcurrentJobs > 0,
            ),
            log: logger,
            onOutcome: countNotifications(meter),
          })
        : undefined;
    if (config.notifications && !listener) {
      logger.warn(
        'Textract jobs notify an SNS topic but this worker does not listen (DOCKET_TEXTRACT_QUEUE_URL unset): ' +
          'unless another process relays them, completion is found by the fallback checks only',
      );
    }
    listener?.start();
    if (config.queues !== 'textract' && config.textract.maxConcurrentJobs > 0) {
      // Documents still start it themselves (signalWithStart) if this fails, a first burst at some cost;
      // so it may hold the worker off its queues for 10 seconds at most.
      const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter });
      await client
        .withDeadline(Date.now() + 10_000, () =>
          ensureQuotaWorkflow(client, config.taskQueue, config.textract.maxConcurrentJobs),
        )
        .catch((err: unknown) =>
          logger.warn({ error: String(err) }, 'starting the quota workflow failed; documents will start it'),
        );
    }
    logger.info(
      {
        address: config.temporal.connection.address,
        namespace: config.temporal.namespace,
        taskQueue: config.taskQueue,
        queues: config.queues,
        textract: config.textract,
        metrics: metricsAddress ? `http://${metricsAddress}/metrics` : 'off',
        escalation: escalationTargets,
        deployment: config.versioning.deploymentName,
        buildId: config.versioning.buildId,
        versioning: config.versioning.enabled ? 'on' : 'off',
        textractCompletion: config.notifications ? 'notification' : 'polling',
        notificationListener: listener ? 'on' : 'off',
      },
      'docket worker running',
    );
    const stopSettingCurrent = new AbortController();
    try {
      const running = Promise.all(workers.map((worker) => worker.run()));
      if (config.versioning.setCurrent) {
        // The server registers a version when its worker polls; then it can become current.
        void setCurrentVersion({
          connection,
          namespace: config.temporal.namespace,
          deploymentName: config.versioning.deploymentName,
          buildId: config.versioning.buildId,
          identity: workers[0]?.options.identity ?? 'docket-worker',
          signal: stopSettingCurrent.signal,
        }).then(
          () => logger.info({ buildId: config.versioning.buildId }, 'worker deployment version set current'),
          (err: unknown) => logger.error({ error: String(err) }, 'setting the current version failed'),
        );
      }
      await running;
    } finally {
      stopSettingCurrent.abort();
      stopWatching();
      await listener?.stop();
    }
    logger.info({ taskQueue: config.taskQueue }, 'docket worker stopped');
  } finally {
    await connection.close();
    s3.destroy();
    textract.destroy();
    kms.destroy();
    sns?.destroy();
    sqs?.destroy();
    if (bundle.origin === 'child-process')
      fs.rmSync(path.dirname(bundle.codePath), { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('docket worker failed:', err);
  process.exit(1);
});
