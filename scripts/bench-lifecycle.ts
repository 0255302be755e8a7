/*
 * Benchmark of the document lifecycle on the local stack. Prints figures against issue 4's budgets;
 * asserts nothing.
 *
 *   npx tsx scripts/bench-lifecycle.ts              # starts its own stack on free ports
 *   npx tsx scripts/bench-lifecycle.ts --running    # uses the stack of `npm run stack` (.data/stack.json)
 *   npx tsx scripts/bench-lifecycle.ts --pages 3000,10
 *
 * Figures: history events and estimated Temporal Cloud actions of a clean one-page document, the
 * largest payload in any history, Textract calls per document, and a worker process's peak RSS while
 * collecting a large synthetic result (every page with a 10-row table) and writing its output, versus
 * a small one.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { TextractClient } from '@aws-sdk/client-textract';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createTextractQueueWorkers, runAlongside } from '../workers/textract-queues';
import { createActivities } from '../activities';
import { localAwsConfig, localCredentials } from '@docket/local/stack/resources';
import { corpusTextractDir, docketStackPlugins } from '../demo/stack';
import { stackEnv, startStackOnFreePorts, type StackEndpoints } from '@docket/local/stack/stack';
import { documentStartOptions, type DocumentWorkflowInput } from '../lib/contract';
import { encryptedDataConverter } from '../lib/payload-codec';
import { TextractApi, TextractFeature, type DocumentProfile } from '../lib/profile';
import type { documentWorkflow } from '../workflows';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const repoRoot = path.resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: { running: { type: 'boolean', default: false }, pages: { type: 'string', default: '10,3000' } },
});
const account = `docket-bench-${randomUUID().slice(0, 8)}`;
const run = randomUUID();

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const own = args.running ? undefined : await startOwnStack();
  const stack: StackEndpoints =
    own ??
    (JSON.parse(fs.readFileSync(path.join(repoRoot, '.data', 'stack.json'), 'utf8')) as StackEndpoints);
  console.log(`stack: ${own ? 'started for this run' : 'running'} (Temporal ${stack.temporalAddress})`);
  const aws = localAwsConfig(stack.awsEndpoint);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const kms = new KMSClient(aws);
  const calls = new Map<string, number>();
  const textract = new TextractClient({
    ...aws,
    endpoint: stack.textractEndpoint,
    credentials: { ...localCredentials, accessKeyId: account },
  });
  textract.middlewareStack.add(
    (next, context) => (request) => {
      const input = request.input as { MaxResults?: number };
      const op = context.commandName?.replace(/Command$/, '') ?? 'unknown';
      const name = op.startsWith('Get') ? `${op} (${input.MaxResults === 1 ? 'poll' : 'page'})` : op;
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return next(request);
    },
    { step: 'initialize' },
  );
  const r = stack.resources;
  const dataConverter = encryptedDataConverter({ kms, kmsKeyId: r.kmsAlias });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.namespace, dataConverter });
  const profile: DocumentProfile = {
    name: 'bench',
    textract: { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS, TextractFeature.TABLES] },
    defaultThreshold: 0,
    output: { bucket: r.outputBucket, kmsKeyId: r.kmsAlias },
  };
  const start = (taskQueue: string, input: DocumentWorkflowInput) =>
    client.workflow.start<typeof documentWorkflow>('documentWorkflow', {
      ...documentStartOptions(input, taskQueue),
    });
  const upload = async (key: string, body: Uint8Array) => {
    await s3.send(new PutObjectCommand({ Bucket: r.inputBucket, Key: key, Body: body }));
    return { bucket: r.inputBucket, key };
  };
  let largestPayload = { bytes: 0, where: '' };
  const history = async (workflowId: string) => {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const largest = largestPayloadOf(events);
    if (largest > largestPayload.bytes) largestPayload = { bytes: largest, where: workflowId };
    return events;
  };

  try {
    // 1. A clean one-page document, worker in process (Textract calls counted by SDK middleware).
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      logger: quiet,
    });
    const taskQueue = `bench-${run}`;
    const common = {
      connection: nativeConnection,
      namespace: stack.namespace,
      dataConverter,
      activities: createActivities({ s3, kms, textract, resultsBucket: r.resultsBucket }),
    };
    const worker = await Worker.create({ ...common, taskQueue, workflowBundle });
    const textractWorkers = await createTextractQueueWorkers(common, taskQueue);
    const invoice = fs.readFileSync(
      path.join(repoRoot, 'test', 'fixtures', 'corpus', 'documents', 'sample-invoice.pdf'),
    );
    // Unique bytes (no dedup with earlier runs); the file name selects the recorded Textract response.
    const source = await upload(
      `bench/${run}/sample-invoice.pdf`,
      Buffer.concat([invoice, Buffer.from(`\n%${run}\n`)]),
    );
    const jobsBefore = await textractStats(stack);
    const clean = await runAlongside(
      textractWorkers,
      worker.runUntil(async () => {
        const handle = await start(taskQueue, { documentId: `bench-clean-${run}`, source, profile });
        await handle.result();
        return history(handle.workflowId);
      }),
    );
    await nativeConnection.close();
    const jobsAfter = await textractStats(stack);
    const actions = estimateActions(clean);
    console.log('\nclean one-page document (recorded sample-invoice.pdf response)');
    console.log(
      `  history events              ${clean.length}  (budget ≤ 40: ${clean.length <= 40 ? 'ok' : 'OVER'})`,
    );
    console.log(
      `  Temporal Cloud actions      ≈ ${actions.total}  (budget ≤ 10: ${actions.total <= 10 ? 'ok' : 'OVER'})`,
    );
    for (const [what, n] of actions.parts) console.log(`    ${what.padEnd(44)} ${n}`);
    console.log('    (queries are billed too but leave no history; none were made)');
    console.log("  Textract calls (SDK middleware on the worker's client)");
    for (const [name, n] of [...calls].sort()) console.log(`    ${name.padEnd(44)} ${n}`);
    console.log(`    local Textract jobs created (GET /__docket/stats)  ${jobsAfter.jobs - jobsBefore.jobs}`);

    // 2. Worker process peak RSS: a small and a large synthetic result, one fresh process each.
    console.log('\nworker process RSS while collecting synthetic results (one fresh worker process each)');
    const rss = new Map<number, number>();
    for (const pages of (args.pages ?? '')
      .split(',')
      .map(Number)
      .filter((n) => n > 0)) {
      const key = `bench/${run}/synthetic-${pages}.pdf`;
      // Every page with a 10-row table: the output writes tables as well as lines (issue 11's case).
      await setRule(stack, [{ match: `*${key}`, jobMs: 0, synthetic: { pages, tableRows: 10 } }]);
      const src = await upload(key, Buffer.from(`%PDF-1.7\n% ${run} ${pages}\n`));
      const queue = `bench-rss-${pages}-${run}`;
      const proc = await spawnWorker(stack, queue);
      const began = Date.now();
      const handle = await start(queue, {
        documentId: `bench-synthetic-${pages}-${run}`,
        source: src,
        profile,
      });
      let peakDuring = 0;
      const sampler = setInterval(
        () => (peakDuring = Math.max(peakDuring, readStatus(proc.pid, 'VmRSS'))),
        100,
      );
      try {
        await handle.result();
      } finally {
        clearInterval(sampler);
      }
      const hwm = readStatus(proc.pid, 'VmHWM');
      proc.kill();
      const events = await history(handle.workflowId);
      rss.set(pages, Math.max(hwm, peakDuring));
      console.log(
        `  ${String(pages).padStart(5)} pages: peak RSS ${mb(Math.max(hwm, peakDuring))} (at start: ${mb(proc.readyRss)}; ` +
          `sampled during the document: ${mb(peakDuring)}), ${((Date.now() - began) / 1000).toFixed(1)} s, ${events.length} history events`,
      );
    }
    const [small, large] = [rss.get(10), rss.get(3000)];
    if (small && large) {
      console.log(
        `  3,000 pages peak < 512 MB: ${large < 512 * 2 ** 20 ? 'ok' : 'OVER'}; ratio 3,000 / 10 pages ${(large / small).toFixed(2)} (budget < 1.5)`,
      );
    }
    console.log(
      `\nlargest payload in any history: ${largestPayload.bytes} bytes (budget < 64 KB: ${largestPayload.bytes < 65536 ? 'ok' : 'OVER'}) in ${largestPayload.where}`,
    );
  } finally {
    await setRule(stack, []).catch(() => undefined);
    await connection.close();
    for (const c of [s3, kms, textract]) c.destroy();
    await own?.stop();
    if (own) fs.rmSync(own.dataDir, { recursive: true, force: true });
  }
}

function startOwnStack() {
  return startStackOnFreePorts({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-')),
    ...docketStackPlugins,
    textractFixturesDir: corpusTextractDir,
  });
}

/**
 * Temporal Cloud actions read off the history: the start, every activity attempt (the started event
 * of an activity's last attempt carries its attempt number), timers, signals, accepted updates and
 * search-attribute upserts. Heartbeats are billed when they reach the server but leave no event; they
 * are estimated as one per heartbeating attempt (the first is sent at once) plus one per 0.8 ×
 * heartbeatTimeout the activity ran, the SDK's throttle interval.
 */
function estimateActions(events: HistoryEvent[]) {
  const scheduled = new Map<number, temporal.api.history.v1.IActivityTaskScheduledEventAttributes>();
  const startedAt = new Map<number, number>();
  let attempts = 0;
  let heartbeats = 0;
  const count = (pick: (e: HistoryEvent) => unknown) => events.filter(pick).length;
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(Number(e.eventId), s);
    const st = e.activityTaskStartedEventAttributes;
    if (st) {
      attempts += st.attempt ?? 1;
      startedAt.set(Number(e.eventId), millis(e.eventTime));
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const attrs = scheduled.get(Number(done.scheduledEventId));
      const heartbeatMs = Number(attrs?.heartbeatTimeout?.seconds ?? 0) * 1000;
      const name = attrs?.activityType?.name ?? '';
      if (heartbeatMs > 0 && (name === 'waitForTextractJob' || name === 'collectTextractResults')) {
        const ranMs =
          millis(e.eventTime) - (startedAt.get(Number(done.startedEventId)) ?? millis(e.eventTime));
        heartbeats += 1 + Math.floor(ranMs / (0.8 * heartbeatMs));
      }
    }
  }
  const parts: [string, number][] = [
    ['workflow start', 1],
    ['activity attempts', attempts],
    ['heartbeats reaching the server (estimate)', heartbeats],
    ['timers', count((e) => e.timerStartedEventAttributes)],
    ['signals', count((e) => e.workflowExecutionSignaledEventAttributes)],
    ['updates accepted', count((e) => e.workflowExecutionUpdateAcceptedEventAttributes)],
    ['search attribute upserts', count((e) => e.upsertWorkflowSearchAttributesEventAttributes)],
  ];
  return { parts, total: parts.reduce((sum, [, n]) => sum + n, 0) };
}

function millis(t: HistoryEvent['eventTime']): number {
  return Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
}

/** The largest payload (encoded: encrypted bytes as stored on the server) anywhere in the events. */
function largestPayloadOf(value: unknown): number {
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return 0;
  let max = 0;
  const obj = value as Record<string, unknown>;
  if (obj.data instanceof Uint8Array && typeof obj.metadata === 'object') {
    max =
      obj.data.length +
      Object.values(obj.metadata ?? {}).reduce<number>((n, v) => n + ((v as Uint8Array)?.length ?? 0), 0);
  }
  for (const child of Object.values(obj)) max = Math.max(max, largestPayloadOf(child));
  return max;
}

async function textractStats(stack: StackEndpoints): Promise<{ jobs: number }> {
  return (await (await fetch(`${stack.textractEndpoint}/__docket/stats`)).json()) as { jobs: number };
}

async function setRule(stack: StackEndpoints, documents: unknown[]): Promise<void> {
  const res = await fetch(`${stack.textractEndpoint}/__docket/faults?account=${account}`, {
    method: 'PUT',
    body: JSON.stringify({ documents }),
  });
  if (!res.ok) throw new Error(`local Textract faults: ${res.status} ${await res.text()}`);
}

/** `node --import tsx workers/main.ts` (one process, so /proc/<pid> is the worker itself). */
async function spawnWorker(stack: StackEndpoints, taskQueue: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...stackEnv(stack),
      AWS_ACCESS_KEY_ID: account,
      DOCKET_TASK_QUEUE: taskQueue,
      DOCKET_METRICS_ADDRESS: '',
      DOCKET_POLL_INITIAL_INTERVAL_MS: '200',
      DOCKET_POLL_MAX_INTERVAL_MS: '1000',
      DOCKET_LOG_LEVEL: 'info',
    },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-10_000);
      if (output.includes('docket worker running')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(`worker exited before polling:\n${output}`)));
  });
  const pid = child.pid ?? 0;
  return { pid, readyRss: readStatus(pid, 'VmHWM'), kill: () => child.kill('SIGKILL') };
}

/** A /proc/<pid>/status figure in bytes (Linux), 0 when unavailable. */
function readStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

main().catch((err: unknown) => {
  console.error('bench-lifecycle failed:', err);
  process.exit(1);
});
