/*
 * Benchmark of the streamed output (activities/output.ts) against moto. Prints figures against
 * issue 11's goals (peak RSS of a 3,000-page document < 512 MB, and < 1.5 × a 10-page one's);
 * asserts nothing.
 *
 *   npx tsx scripts/bench-output.ts                  # 10 and 3,000 pages
 *   npx tsx scripts/bench-output.ts --pages 10,500   # other sizes
 *   npx tsx scripts/bench-output.ts --node-flags=--max-semi-space-size=16   # V8 flags of the writer
 *
 * Starts its own moto on a free port, writes synthetic normalized parts (every page with 50 lines,
 * 20 form fields, a query answer and a 10×5 table, every tenth table continuing onto the next page;
 * 2 pages per part), then runs writeDocumentOutput once per size, each in a fresh child process that
 * reports its peak RSS (VmHWM), its RSS before the write, and the time the write took. The V8 figures
 * tell retained memory (old space in use) from V8's young generation, which grows to its maximum
 * under any sustained allocation and stays committed: most of a large document's extra RSS.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { startMotoServer } from '@docket/local/stack/moto-server';
import { freePort } from '@docket/local/stack/ports';
import { localAwsConfig, provisionLocalResources, type LocalResources } from '@docket/local/stack/resources';
import { resolveTools } from '@docket/local/stack/tools';
import { createOutputActivities, type WriteOutputInput } from '../activities/output';
import { putJson } from '../lib/aws/s3';
import { partKey } from '../lib/extraction';
import { syntheticParts } from '../test/support/output-fixtures';

const pagesPerPart = 2;
const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '10,3000' },
    // e.g. --node-flags=--max-semi-space-size=16: V8 settings of the writer process.
    'node-flags': { type: 'string', default: '' },
    child: { type: 'string' },
  },
});

/** What the parent hands a child: everything writeDocumentOutput needs. */
interface ChildTask {
  endpoint: string;
  input: WriteOutputInput;
}

interface ChildResult {
  rssBefore: number;
  peakRss: number;
  maxRss: number;
  ms: number;
  /** V8's young generation (new space) as committed at the end, and the old space in use. */
  newSpace: number;
  oldSpaceUsed: number;
}

async function main(): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-output-'));
  const host = '127.0.0.1';
  const port = await freePort(host);
  const moto = await startMotoServer({
    bin: resolveTools().motoServer,
    host,
    port,
    logFile: path.join(dataDir, 'moto.log'),
  });
  const endpoint = `http://${host}:${port}`;
  const s3 = new S3Client({ ...localAwsConfig(endpoint), forcePathStyle: true });
  try {
    const resources = await provisionLocalResources(endpoint);
    const flags = args['node-flags'] ? `; writer flags ${args['node-flags']}` : '';
    console.log(`moto on ${endpoint}; ${pagesPerPart} pages per normalized part${flags}\n`);
    const sizes = (args.pages ?? '')
      .split(',')
      .map(Number)
      .filter((n) => n > 0);
    const peaks = new Map<number, number>();
    for (const pages of sizes) {
      const documentId = `bench-output-${pages}-${run}`;
      const began = Date.now();
      const partsWritten = await writeParts(s3, resources.resultsBucket, prefixOf(documentId), pages);
      const prepared = (Date.now() - began) / 1000;
      const result = await inChild({ endpoint, input: inputFor(resources, documentId, pages, partsWritten) });
      const head = await s3.send(
        new HeadObjectCommand({
          Bucket: resources.outputBucket,
          Key: `documents/${documentId}/document.json.encrypted`,
        }),
      );
      const bytes = head.ContentLength ?? 0;
      const uploadParts = /-(\d+)"$/.exec(head.ETag ?? '')?.[1] ?? '1';
      peaks.set(pages, result.peakRss);
      console.log(
        `${String(pages).padStart(5)} pages (${partsWritten} parts written in ${prepared.toFixed(1)} s): ` +
          `peak RSS ${mb(result.peakRss)} (maxRSS ${mb(result.maxRss)}; before the write ${mb(result.rssBefore)}, ` +
          `so +${mb(result.peakRss - result.rssBefore)}), ${(result.ms / 1000).toFixed(1)} s, ` +
          `${mb(bytes, 1)} written in ${uploadParts} upload part(s), ${Math.round(bytes / pages)} bytes/page; ` +
          `V8 new space ${mb(result.newSpace)}, old space in use ${mb(result.oldSpaceUsed)}`,
      );
    }
    const [small, large] = [peaks.get(10), peaks.get(3000)];
    if (small && large) {
      console.log(
        `\n3,000 pages peak RSS < 512 MB: ${large < 512 * 2 ** 20 ? 'ok' : 'OVER'}; ` +
          `ratio 3,000 / 10 pages ${(large / small).toFixed(2)} (goal < 1.5: ${large / small < 1.5 ? 'ok' : 'OVER'})`,
      );
    }
  } finally {
    s3.destroy();
    await moto.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const prefixOf = (documentId: string) => `documents/${documentId}/textract/job-bench`;

/** Writes the synthetic parts, 16 at a time; returns how many. */
async function writeParts(s3: S3Client, bucket: string, prefix: string, pages: number): Promise<number> {
  let n = 0;
  let pending: Promise<void>[] = [];
  for (const part of syntheticParts(pages, pagesPerPart)) {
    pending.push(putJson(s3, bucket, partKey(prefix, 'normalized', ++n), part));
    if (pending.length === 16) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  return n;
}

function inputFor(
  r: LocalResources,
  documentId: string,
  pages: number,
  partsWritten: number,
): WriteOutputInput {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    kind: 'EXTRACTED',
    documentId,
    checksum: 'ab'.repeat(32),
    source: { bucket: r.inputBucket, key: `bench/${documentId}.pdf` },
    profile: 'bench',
    output: { bucket: r.outputBucket, kmsKeyId: r.kmsAlias },
    completedAt: at,
    textract: { jobId: 'job-bench', api: 'ANALYSIS', status: 'SUCCEEDED', pages, warnings: [] },
    results: { bucket: r.resultsBucket, prefix: prefixOf(documentId), partsWritten },
    review: { items: [], audit: [] },
    // One by id and one by query alias (an extra pass over the parts), as a reviewed document has.
    corrections: [
      { fieldId: 'p1-f1', name: 'Field 1', text: 'corrected', reviewer: 'bench', at },
      { name: 'invoice_number', text: 'INV-1', reviewer: 'bench', at },
    ],
  };
}

/** Runs one write in a fresh process (tsx, one process so /proc/self is the writer). */
function inChild(task: ChildTask): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const flags = (args['node-flags'] ?? '').split(' ').filter(Boolean);
    const child = spawn(
      process.execPath,
      [...flags, '--import', 'tsx', __filename, '--child', JSON.stringify(task)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(line) as ChildResult);
      else reject(new Error(`the writer exited with ${code}:\n${out}`));
    });
  });
}

async function child(task: ChildTask): Promise<void> {
  // Loaded here, as in a worker: the activity environment brings @temporalio/worker's runtime.
  const { MockActivityEnvironment } = await import('@temporalio/testing');
  const { DefaultLogger } = await import('@temporalio/worker');
  const aws = localAwsConfig(task.endpoint);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const kms = new KMSClient(aws);
  const { writeDocumentOutput } = createOutputActivities({ s3, kms });
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
  const rssBefore = status('VmRSS');
  const began = performance.now();
  await env.run(writeDocumentOutput, task.input);
  const ms = performance.now() - began;
  s3.destroy();
  kms.destroy();
  const spaces = new Map(v8.getHeapSpaceStatistics().map((space) => [space.space_name, space]));
  const result: ChildResult = {
    rssBefore,
    peakRss: status('VmHWM'),
    maxRss: process.resourceUsage().maxRSS * 1024,
    ms,
    newSpace: spaces.get('new_space')?.space_size ?? 0,
    oldSpaceUsed: spaces.get('old_space')?.space_used_size ?? 0,
  };
  console.log(JSON.stringify(result));
}

/** A /proc/self/status figure in bytes (Linux), 0 when unavailable. */
function status(field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      fs.readFileSync('/proc/self/status', 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function mb(bytes: number, digits = 0): string {
  return `${(bytes / 2 ** 20).toFixed(digits)} MB`;
}

(args.child ? child(JSON.parse(args.child) as ChildTask) : main()).catch((err: unknown) => {
  console.error('bench-output failed:', err);
  process.exit(1);
});
