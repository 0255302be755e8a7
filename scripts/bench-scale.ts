/*
 * Textract at scale on the local stack with the local Textract's quota emulation (issue 13). Prints
 * figures; asserts nothing.
 *
 *   npx tsx scripts/bench-scale.ts --docs 1000 --start-tps 5 --get-tps 10 --jobs 10 --job-ms 3000
 *   npx tsx scripts/bench-scale.ts --docs 200 --jobs 100 --job-ms 60000 --workers 2
 *   npx tsx scripts/bench-scale.ts --throughput [--docs 200] [--concurrency 20] [--rounds 3]
 *
 * Figures: documents and FAILED, Textract calls and throttled calls per operation, refusals over
 * the job cap, peak concurrent jobs vs the cap, total time vs what the quota allows, Temporal actions
 * per document (from histories), peak RSS of the worker processes.
 * --throughput: docket's documents per second against a plain script making the same AWS calls, on a
 * zero-latency Textract without quota (scripts/bench-throughput.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { localAwsConfig } from '@docket/local/stack/resources';
import type { AccountCounters } from '@docket/local/textract/counters';
import { documentStartOptions } from '../lib/contract';
import { textractQuotaWorkflowId } from '../lib/quota';
import { billedActions } from '../test/support/billed-actions';
import type { documentWorkflow } from '../workflows';
import { benchClient, benchProfile, benchWorkerEnv, startBenchStack, startWorker } from './bench-stack';
import { runThroughput } from './bench-throughput';

const { values: a } = parseArgs({
  options: {
    docs: { type: 'string', default: '20' },
    'start-tps': { type: 'string', default: '5' },
    'get-tps': { type: 'string', default: '10' },
    jobs: { type: 'string', default: '10' },
    'job-ms': { type: 'string', default: '3000' },
    workers: { type: 'string', default: '1' },
    throughput: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    timeline: { type: 'boolean', default: false },
  },
});
const docs = Number(a.docs);
const startTps = Number(a['start-tps']);
const getTps = Number(a['get-tps']);
const jobs = Number(a.jobs);
const jobMs = Number(a['job-ms']);
const workers = Number(a.workers);
const account = `docket-scale-${randomUUID().slice(0, 8)}`;
const run = randomUUID();

async function main(): Promise<void> {
  const stack = await startBenchStack('scale');
  const admin = (p: string, init?: RequestInit) =>
    fetch(`${stack.textractEndpoint}/__docket/${p}?account=${account}`, init);
  await admin('faults', {
    method: 'PUT',
    body: JSON.stringify({
      tps: { StartDocumentAnalysis: startTps, GetDocumentAnalysis: getTps },
      maxConcurrentJobs: jobs,
      documents: [{ match: `*${run}/*`, jobMs, synthetic: { pages: 1 } }],
    }),
  });
  const aws = localAwsConfig(stack.awsEndpoint);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const kms = new KMSClient(aws);
  const r = stack.resources;
  const taskQueue = `scale-${run}`;
  const env = benchWorkerEnv(stack, account, taskQueue, {
    DOCKET_TEXTRACT_START_TPS: String(startTps),
    DOCKET_TEXTRACT_GET_TPS: String(getTps),
    DOCKET_TEXTRACT_MAX_JOBS: String(jobs),
    DOCKET_TEXTRACT_PROCESSES: String(workers),
  });
  const children: ChildProcess[] = [];
  const peakRss = new Map<number, number>();
  for (let i = 0; i < workers; i++) children.push(await startWorker(env));
  const rssTimer = setInterval(() => {
    for (const c of children) {
      try {
        const status = fs.readFileSync(`/proc/${c.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakRss.set(c.pid ?? 0, Math.max(peakRss.get(c.pid ?? 0) ?? 0, kb));
      } catch {
        // exited
      }
    }
  }, 500);

  const { connection, client } = await benchClient(stack, kms);
  const profile = benchProfile(stack, 'scale');
  const began = Date.now();
  const handles = [];
  for (let i = 0; i < docs; i++) {
    const key = `scale/${run}/doc-${i}.pdf`;
    const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(256)]);
    await s3.send(new PutObjectCommand({ Bucket: r.inputBucket, Key: key, Body: body }));
    const input = { documentId: `scale-${i}-${run}`, source: { bucket: r.inputBucket, key }, profile };
    handles.push(
      await client.workflow.start<typeof documentWorkflow>(
        'documentWorkflow',
        documentStartOptions(input, taskQueue),
      ),
    );
  }
  const outcomes = await Promise.all(
    handles.map((h) =>
      h.result().then(
        () => 'ok',
        () => 'FAILED',
      ),
    ),
  );
  const seconds = (Date.now() - began) / 1000;
  clearInterval(rssTimer);
  const counters = (await (await admin('counters')).json()) as AccountCounters;
  // Billed actions per document: its own history, plus an equal share of the quota workflow's (every
  // run of it: grants it signals, releases clients signal to it, its reaper, continue-as-new).
  let quotaActions = 0;
  for await (const run of client.workflow.list({
    query: `WorkflowId = '${textractQuotaWorkflowId(taskQueue)}'`,
  })) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    quotaActions += billedActions(history.events ?? []).total;
  }
  const quotaShare = quotaActions / docs;
  const actions: number[] = [];
  const kinds = new Map<string, number>();
  // Spread over the run: the first documents, started before any quota workflow runs, all ask
  // through the local activity's signalWithStart and are not typical.
  const step = Math.max(1, Math.floor(handles.length / 50));
  const sample = handles.filter((_, i) => i % step === 0).slice(0, 50);
  for (const h of sample) {
    const billed = billedActions((await h.fetchHistory()).events ?? []);
    actions.push(billed.total + quotaShare);
    for (const [kind, n] of Object.entries(billed.byKind)) kinds.set(kind, (kinds.get(kind) ?? 0) + n);
  }
  actions.sort((x, y) => x - y);
  // The quota allows: Start* at startTps, and at most `jobs` jobs of jobMs at once.
  const allowed = Math.max(docs / startTps, (Math.ceil(docs / jobs) * jobMs) / 1000);
  console.log(
    `documents ${docs}, FAILED ${outcomes.filter((o) => o === 'FAILED').length}, workers ${workers}`,
  );
  for (const [op, c] of Object.entries(counters.operations)) {
    console.log(
      `  ${op.padEnd(24)} calls ${c.calls}, throttled ${c.throttled}, over job cap ${c.limitExceeded}`,
    );
  }
  console.log(`peak concurrent jobs ${counters.peakConcurrentJobs} (cap ${jobs})`);
  console.log(
    `total ${seconds.toFixed(1)} s; the quota allows ~${allowed.toFixed(1)} s (ratio ${(seconds / allowed).toFixed(2)})`,
  );
  console.log(
    `Temporal actions per document (${actions.length} histories spread over the run, Temporal Cloud's rules, with ${quotaShare.toFixed(2)} of the quota workflow's): min ${actions[0]!.toFixed(1)}, median ${actions[Math.floor(actions.length / 2)]!.toFixed(1)}, max ${actions[actions.length - 1]!.toFixed(1)}`,
  );
  console.log(
    `  by kind (mean per document): ${[...kinds].map(([k, n]) => `${k} ${(n / sample.length).toFixed(2)}`).join(', ')}; quota workflow ${quotaShare.toFixed(2)}`,
  );
  console.log(
    `worker peak RSS: ${[...peakRss.values()].map((kb) => `${Math.round(kb / 1024)} MB`).join(', ')}`,
  );
  for (const c of children) c.kill('SIGTERM');
  await connection.close();
  await stack.stop();
  s3.destroy();
  kms.destroy();
}

(a.throughput
  ? runThroughput({
      docs: process.argv.includes('--docs') ? docs : 200,
      concurrency: Number(a.concurrency),
      rounds: Number(a.rounds),
      timeline: a.timeline,
    })
  : main()
).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
