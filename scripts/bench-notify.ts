/*
 * Benchmark of Textract completion by notification against polling, on the local stack. Prints, per
 * mode, the status looks per job (Get* with MaxResults 1, or a collection attempt that found the job
 * still running) and the delay from the job's end to the
 * start of collection (the first Get* page read), p50/p90; asserts nothing.
 *
 *   npx tsx scripts/bench-notify.ts                      # own stack on free ports, 10 jobs of 60 s
 *   npx tsx scripts/bench-notify.ts --running            # the stack of `npm run stack` (.data/stack.json)
 *   npx tsx scripts/bench-notify.ts --docs 20 --job-ms 45000
 *
 * The local Textract's `jobMs` rule fixes each job's duration; the job's end is taken as the Start
 * answer's arrival plus jobMs (the job's clock starts just before that answer is sent, so the delay is
 * overstated by at most that round trip). Workers run in this process with the product's defaults:
 * polls back off 1 s → 30 s; notified jobs are first checked after 2 minutes, then every 5.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TextractClient } from '@aws-sdk/client-textract';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createTextractQueueWorkers, runAlongside } from '../workers/textract-queues';
import { localAwsConfig, localCredentials } from '@docket/local/stack/resources';
import { startStackOnFreePorts, type StackEndpoints } from '@docket/local/stack/stack';
import { docketStackPlugins } from '../demo/stack';
import { documentStartOptions } from '../lib/contract';
import { encryptedDataConverter } from '../lib/payload-codec';
import { TextractApi, TextractFeature, type DocumentProfile } from '../lib/profile';
import { signalDocumentWorkflow, TextractNotificationListener } from '../workers/textract-notifications';
import type { documentWorkflow } from '../workflows';

const repoRoot = path.resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    running: { type: 'boolean', default: false },
    docs: { type: 'string', default: '10' },
    'job-ms': { type: 'string', default: '60000' },
  },
});
const docs = Number(args.docs);
const jobMs = Number(args['job-ms']);
const account = `docket-bench-notify-${randomUUID().slice(0, 8)}`;
const run = randomUUID();

/** Per Textract job: when its Start answered, its status polls, when its first page was read. */
interface JobTimes {
  startedAt: number;
  polls: number;
  collectAt?: number;
  /** Notified jobs: when Textract says the job ended (the message's Timestamp), and when it was signalled. */
  finishedAt?: number;
  signalledAt?: number;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const own = args.running
    ? undefined
    : await startStackOnFreePorts({
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-notify-')),
        ...docketStackPlugins,
      });
  const stack: StackEndpoints =
    own ??
    (JSON.parse(fs.readFileSync(path.join(repoRoot, '.data', 'stack.json'), 'utf8')) as StackEndpoints);
  const aws = localAwsConfig(stack.awsEndpoint);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const kms = new KMSClient(aws);
  const sqs = new SQSClient(aws);
  const jobs = new Map<string, JobTimes>();
  const textract = new TextractClient({
    ...aws,
    endpoint: stack.textractEndpoint,
    credentials: { ...localCredentials, accessKeyId: account },
  });
  textract.middlewareStack.add(
    (next, context) => async (request) => {
      const input = request.input as { JobId?: string; MaxResults?: number };
      const op = context.commandName ?? '';
      const job = op.startsWith('Get') && input.JobId ? jobs.get(input.JobId) : undefined;
      const sentAt = Date.now();
      const out = await next(request);
      if (job) {
        // A status poll (MaxResults 1), or a collection attempt that found the job still running, is a
        // look; the first result page of the finished job starts collection.
        const running = (out.output as { JobStatus?: string }).JobStatus === 'IN_PROGRESS';
        if (input.MaxResults === 1 || running) job.polls++;
        else job.collectAt ??= sentAt;
      }
      const jobId = (out.output as { JobId?: string }).JobId;
      if (op.startsWith('Start') && jobId && !jobs.has(jobId))
        jobs.set(jobId, { startedAt: Date.now(), polls: 0 });
      return out;
    },
    { step: 'initialize', name: 'benchNotifyCounter' },
  );
  const r = stack.resources;
  const rules = await fetch(`${stack.textractEndpoint}/__docket/faults?account=${account}`, {
    method: 'PUT',
    body: JSON.stringify({ documents: [{ match: `bench-notify/${run}/*`, jobMs, synthetic: { pages: 1 } }] }),
  });
  if (!rules.ok) throw new Error(`local Textract faults: ${rules.status}`);
  const dataConverter = encryptedDataConverter({ kms, kmsKeyId: r.kmsAlias });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.namespace, dataConverter });
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: quiet,
  });
  const profile: DocumentProfile = {
    name: 'bench-notify',
    textract: { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS] },
    defaultThreshold: 0,
    output: { bucket: r.outputBucket, kmsKeyId: r.kmsAlias },
  };
  const signal = signalDocumentWorkflow(client);
  console.log(`${docs} documents per mode, Textract jobs of ${jobMs / 1000} s`);
  try {
    for (const mode of ['polling', 'notification'] as const) {
      jobs.clear();
      const taskQueue = `bench-notify-${mode}-${run}`;
      const common = {
        connection: nativeConnection,
        namespace: stack.namespace,
        dataConverter,
        activities: createActivities({
          s3,
          kms,
          textract,
          resultsBucket: r.resultsBucket,
          ...(mode === 'notification'
            ? { notificationChannel: { snsTopicArn: r.textractTopicArn, roleArn: r.textractRoleArn } }
            : {}),
        }),
      };
      const worker = await Worker.create({ ...common, taskQueue, workflowBundle });
      // The governor's Start*/Get* queues: without workers there, every document waits at Start.
      const textractWorkers = await createTextractQueueWorkers(common, taskQueue);
      const listener = new TextractNotificationListener({
        sqs,
        queueUrl: r.textractQueueUrl,
        signal: async (notice) => {
          const result = await signal(notice);
          const job = jobs.get(notice.signal.jobId);
          if (job) Object.assign(job, { finishedAt: notice.signal.finishedAt, signalledAt: Date.now() });
          return result;
        },
        log: { info: noop, warn: (meta, message) => console.warn(message, meta) },
      });
      if (mode === 'notification') listener.start();
      const handles = await Promise.all(
        Array.from({ length: docs }, async (_, i) => {
          const key = `bench-notify/${run}/${mode}-${i}.pdf`;
          await s3.send(
            new PutObjectCommand({ Bucket: r.inputBucket, Key: key, Body: `%PDF-1.7\n${run} ${mode} ${i}` }),
          );
          const input = {
            documentId: `bench-notify-${mode}-${i}-${run.slice(0, 8)}`,
            source: { bucket: r.inputBucket, key },
            profile,
          };
          return client.workflow.start<typeof documentWorkflow>(
            'documentWorkflow',
            documentStartOptions(input, taskQueue),
          );
        }),
      );
      await runAlongside(textractWorkers, worker.runUntil(Promise.all(handles.map((h) => h.result()))));
      await listener.stop();
      const times = [...jobs.values()];
      const polls = times.map((t) => t.polls);
      const delays = times.map((t) => (t.collectAt ?? NaN) - (t.startedAt + jobMs));
      console.log(
        `${mode.padEnd(12)} polls per job: mean ${mean(polls).toFixed(2)}, max ${Math.max(...polls)}; ` +
          `job end → collection: p50 ${ms(quantile(delays, 0.5))}, p90 ${ms(quantile(delays, 0.9))}, ` +
          `max ${ms(Math.max(...delays))} (${times.length} jobs)`,
      );
      const notified = times.filter((t) => t.finishedAt !== undefined && t.signalledAt !== undefined);
      if (notified.length > 0) {
        const toSignal = notified.map((t) => (t.signalledAt ?? 0) - (t.finishedAt ?? 0));
        const toCollect = notified.map((t) => (t.collectAt ?? NaN) - (t.signalledAt ?? 0));
        const fromTimestamp = notified.map((t) => (t.collectAt ?? NaN) - (t.finishedAt ?? 0));
        console.log(
          `${''.padEnd(12)} message Timestamp → signal sent: p50 ${ms(quantile(toSignal, 0.5))}; ` +
            `signal → collection: p50 ${ms(quantile(toCollect, 0.5))}; ` +
            `Timestamp → collection: p50 ${ms(quantile(fromTimestamp, 0.5))}, p90 ${ms(quantile(fromTimestamp, 0.9))}`,
        );
      }
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
    for (const c of [s3, kms, sqs, textract]) c.destroy();
    await own?.stop();
  }
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function noop(): void {}
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
