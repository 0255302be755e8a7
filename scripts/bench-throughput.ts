/*
 * `bench-scale --throughput` (issue 13): documents per second through docket against a plain script
 * making the same AWS calls (checksum read, claim put, Start, Get until done, result pages, output put),
 * at the same concurrency, on a zero-latency local Textract with no quota. Runs alternate (docket,
 * script, docket, ...) so both see the same machine load; prints min/median/max of the ratio.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  GetDocumentAnalysisCommand,
  StartDocumentAnalysisCommand,
  TextractClient,
} from '@aws-sdk/client-textract';
import type { temporal } from '@temporalio/proto';
import { localAwsConfig } from '@docket/local/stack/resources';
import { documentStartOptions } from '../lib/contract';
import type { documentWorkflow } from '../workflows';
import {
  benchClient,
  benchProfile,
  benchWorkerEnv,
  cpuSeconds,
  startBenchStack,
  startWorker,
} from './bench-stack';

export interface ThroughputOptions {
  docs: number;
  concurrency: number;
  rounds: number;
  /** Print one document's history with the time of each event. */
  timeline?: boolean;
  /** Extra environment for the docket worker (e.g. to compare worker settings). */
  workerEnv?: Record<string, string>;
}

/** Runs `work` over `n` items with at most `concurrency` at once; returns documents per second. */
async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const began = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
  return n / ((Date.now() - began) / 1000);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? 0, median: s[Math.floor(s.length / 2)] ?? 0, max: s[s.length - 1] ?? 0 };
};
const fmt = (x: { min: number; median: number; max: number }, digits = 2) =>
  `${x.min.toFixed(digits)} / ${x.median.toFixed(digits)} / ${x.max.toFixed(digits)}`;

/** History events and workflow tasks of one finished document (the server round trips it cost). */
function roundTrips(events: temporal.api.history.v1.IHistoryEvent[]) {
  let workflowTasks = 0;
  let activities = 0;
  let localActivities = 0;
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) workflowTasks++;
    if (e.activityTaskScheduledEventAttributes) activities++;
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') localActivities++;
  }
  return { events: events.length, workflowTasks, activities, localActivities };
}

export async function runThroughput(o: ThroughputOptions): Promise<void> {
  const stack = await startBenchStack('throughput');
  const account = `docket-tp-${randomUUID().slice(0, 8)}`;
  await fetch(`${stack.textractEndpoint}/__docket/faults?account=${account}`, {
    method: 'PUT',
    body: JSON.stringify({ documents: [{ match: '*throughput/*', jobMs: 0, synthetic: { pages: 1 } }] }),
  });
  const aws = localAwsConfig(stack.awsEndpoint);
  const creds = { ...aws, credentials: { accessKeyId: account, secretAccessKey: 'local' } };
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const kms = new KMSClient(aws);
  const textract = new TextractClient({ ...creds, endpoint: stack.textractEndpoint });
  const r = stack.resources;
  const taskQueue = `throughput-${randomUUID().slice(0, 8)}`;
  // No quota here: the governor's queues run at a rate far above what the benchmark reaches.
  const worker = await startWorker(
    benchWorkerEnv(stack, account, taskQueue, {
      DOCKET_TEXTRACT_START_TPS: '1000',
      DOCKET_TEXTRACT_GET_TPS: '1000',
      DOCKET_TEXTRACT_MAX_JOBS: '1000',
      ...o.workerEnv,
    }),
  );
  const { connection, client } = await benchClient(stack, kms);
  const profile = benchProfile(stack, 'throughput');
  /** Uploads `n` distinct sources first: uploading is not what is measured. */
  const upload = async (label: string) => {
    const keys: string[] = [];
    for (let i = 0; i < o.docs; i++) {
      const key = `throughput/${label}/doc-${i}.pdf`;
      const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(256)]);
      await s3.send(new PutObjectCommand({ Bucket: r.inputBucket, Key: key, Body: body }));
      keys.push(key);
    }
    return keys;
  };

  const docket = async (round: number) => {
    const label = `docket-${round}-${randomUUID().slice(0, 8)}`;
    const keys = await upload(label);
    const ids: string[] = [];
    const rate = await pool(o.docs, o.concurrency, async (i) => {
      const input = {
        documentId: `${label}-${i}`,
        source: { bucket: r.inputBucket, key: keys[i] as string },
        profile,
      };
      const handle = await client.workflow.start<typeof documentWorkflow>(
        'documentWorkflow',
        documentStartOptions(input, taskQueue),
      );
      ids.push(handle.workflowId);
      await handle.result();
    });
    return { rate, ids };
  };

  const script = async (round: number) => {
    const label = `script-${round}-${randomUUID().slice(0, 8)}`;
    const keys = await upload(label);
    return pool(o.docs, o.concurrency, async (i) => {
      const key = keys[i] as string;
      const obj = await s3.send(new GetObjectCommand({ Bucket: r.inputBucket, Key: key }));
      const checksum = createHash('sha256')
        .update(await (obj.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())
        .digest('hex');
      await s3.send(
        new PutObjectCommand({
          Bucket: r.resultsBucket,
          Key: `claims/${checksum}.json`,
          Body: JSON.stringify({ documentId: `${label}-${i}`, state: 'PROCESSING' }),
          IfNoneMatch: '*',
        }),
      );
      const { JobId } = await textract.send(
        new StartDocumentAnalysisCommand({
          DocumentLocation: { S3Object: { Bucket: r.inputBucket, Name: key } },
          FeatureTypes: ['FORMS'],
        }),
      );
      let page = await textract.send(new GetDocumentAnalysisCommand({ JobId }));
      while (page.JobStatus === 'IN_PROGRESS') {
        await new Promise((res) => setTimeout(res, 100));
        page = await textract.send(new GetDocumentAnalysisCommand({ JobId }));
      }
      const blocks = [...(page.Blocks ?? [])];
      while (page.NextToken) {
        page = await textract.send(new GetDocumentAnalysisCommand({ JobId, NextToken: page.NextToken }));
        blocks.push(...(page.Blocks ?? []));
      }
      await s3.send(
        new PutObjectCommand({
          Bucket: r.outputBucket,
          Key: `throughput/${label}/${i}.json`,
          Body: JSON.stringify({ checksum, blocks: blocks.length }),
        }),
      );
    });
  };

  /** CPU seconds of each process so far: the stack's servers, the worker, this process (the clients). */
  const cpu = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const p of stack.processes) out[p.name] = cpuSeconds(p.pid);
    out['docket worker'] = worker.pid ? cpuSeconds(worker.pid) : 0;
    const self = process.cpuUsage();
    out['benchmark (clients)'] = (self.user + self.system) / 1e6;
    return out;
  };
  /** CPU milliseconds per document of each process over a phase, summed over rounds. */
  const perDoc: Record<'docket' | 'script', Record<string, number>> = { docket: {}, script: {} };
  const measured = async <T>(phase: 'docket' | 'script', run: () => Promise<T>): Promise<T> => {
    const before = cpu();
    const result = await run();
    for (const [name, after] of Object.entries(cpu())) {
      const ms = ((after - (before[name] ?? 0)) * 1000) / (o.docs * o.rounds);
      perDoc[phase][name] = (perDoc[phase][name] ?? 0) + ms;
    }
    return result;
  };

  const docketRates: number[] = [];
  const scriptRates: number[] = [];
  let lastIds: string[] = [];
  try {
    for (let round = 0; round < o.rounds; round++) {
      const d = await measured('docket', () => docket(round));
      docketRates.push(d.rate);
      lastIds = d.ids;
      scriptRates.push(await measured('script', () => script(round)));
      console.log(
        `round ${round + 1}: docket ${d.rate.toFixed(1)} docs/s, script ${scriptRates[round]?.toFixed(1)} docs/s, ` +
          `ratio ${(d.rate / (scriptRates[round] ?? 1)).toFixed(2)}`,
      );
    }
    const ratios = docketRates.map((d, i) => d / (scriptRates[i] ?? 1));
    const trips: ReturnType<typeof roundTrips>[] = [];
    for (const id of lastIds.slice(0, 20)) {
      trips.push(roundTrips((await client.workflow.getHandle(id).fetchHistory()).events ?? []));
    }
    if (o.timeline && lastIds[0]) {
      const events = (await client.workflow.getHandle(lastIds[0]).fetchHistory()).events ?? [];
      const t0 = Number(events[0]?.eventTime?.seconds ?? 0) * 1000 + (events[0]?.eventTime?.nanos ?? 0) / 1e6;
      for (const e of events) {
        const t = Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
        const type = Object.keys(e).find((k) => k.endsWith('EventAttributes')) ?? '?';
        console.log(`  ${(t - t0).toFixed(0).padStart(6)} ms  ${type.replace('EventAttributes', '')}`);
      }
    }
    const median = (k: keyof ReturnType<typeof roundTrips>) => stats(trips.map((t) => t[k])).median;
    console.log(
      `throughput, ${o.docs} documents at concurrency ${o.concurrency}, ${o.rounds} interleaved rounds ` +
        `(load ${os.loadavg()[0]?.toFixed(2)}):`,
    );
    console.log(`  docket docs/s (min/median/max)  ${fmt(stats(docketRates), 1)}`);
    console.log(`  script docs/s (min/median/max)  ${fmt(stats(scriptRates), 1)}`);
    console.log(`  ratio docket/script             ${fmt(stats(ratios))}`);
    console.log(
      `  per clean document (median of ${trips.length}): history events ${median('events')}, ` +
        `workflow tasks ${median('workflowTasks')}, activities ${median('activities')}, ` +
        `local activities ${median('localActivities')}`,
    );
    // Uploads happen inside each phase too: they cost both sides the same.
    console.log('  CPU ms per document (docket / script), uploads included:');
    let total = { docket: 0, script: 0 };
    for (const name of Object.keys(perDoc.docket)) {
      const d = perDoc.docket[name] ?? 0;
      const sc = perDoc.script[name] ?? 0;
      total = { docket: total.docket + d, script: total.script + sc };
      console.log(`    ${name.padEnd(22)} ${d.toFixed(0).padStart(6)} / ${sc.toFixed(0).padStart(6)}`);
    }
    console.log(
      `    ${'all'.padEnd(22)} ${total.docket.toFixed(0).padStart(6)} / ${total.script.toFixed(0).padStart(6)}`,
    );
    const serverMs = perDoc.docket['temporal dev server'] ?? 0;
    if (serverMs > 0) {
      const cores = os.availableParallelism();
      console.log(
        `  on ${cores} cores the Temporal server's CPU alone allows at most ${((cores * 1000) / serverMs).toFixed(1)} docs/s ` +
          `(ratio ${((cores * 1000) / serverMs / (stats(scriptRates).median || 1)).toFixed(2)} against the script's median)`,
      );
    }
  } finally {
    worker.kill('SIGTERM');
    await connection.close();
    await stack.stop();
    s3.destroy();
    kms.destroy();
    textract.destroy();
  }
}
