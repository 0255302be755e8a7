/*
 * `npm run demo`: docket's main job, end to end on a laptop. Starts the local stack and a worker,
 * sends four sample documents through the pipeline with live progress, approves the one that waits
 * for a person, prints every outcome and a decrypted output, then stops everything. With --keep the
 * stack and the worker keep running, the API serves the review desk, and one more scan waits there
 * for a person. Exit status 0 when every sample ends as expected.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import { loadClientConfig } from '../clients/config';
import { DocketClient } from '../clients/documents';
import { isSchema2Output } from '../lib/exports/formats';
import { cliReviewer } from '../clients/cli-identity';
import { type DocumentState, DocumentStatus } from '../lib/contract';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { startProcess, waitUntil, type ManagedProcess } from '@docket/local/stack/process';
import { envVars, startStack, type RunningStack } from '@docket/local/stack/stack';
import { repoRoot } from '@docket/local/stack/tools';
import { corpusTextractDir, docketStackPlugins } from './stack';

const samplesDir = path.join(repoRoot, 'demo', 'samples');
const profilesFile = path.join(repoRoot, 'demo', 'profiles.json');
/** The development user the demo reviews as (a reviewer on the stack's development issuer). */
const reviewerLogin = 'alice';

interface Sample {
  label: string;
  file: string;
  /** Key in the input bucket; the duplicate is the same bytes under another key. */
  key: string;
  expect: DocumentStatus;
  /** Whether it should have gone through AWAITING_REVIEW on the way. */
  review: boolean;
  documentId: string;
}

function reviewed(state: DocumentState | undefined): boolean {
  return Boolean(state?.transitions.some((t) => t.status === DocumentStatus.AWAITING_REVIEW));
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${name} must be a port number, got '${raw}'`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { keep: { type: 'boolean' } }, strict: true });
  const run = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14) + '-' + randomUUID().slice(0, 4);
  const samples: Sample[] = [
    {
      label: 'clean invoice',
      file: 'clean-invoice.pdf',
      key: `demo/${run}/clean-invoice.pdf`,
      expect: 'SUCCEEDED',
      review: false,
    },
    {
      label: 'degraded scan',
      file: 'degraded-scan.png',
      key: `demo/${run}/degraded-scan.png`,
      expect: 'SUCCEEDED',
      review: true,
    },
    {
      label: 'same invoice again',
      file: 'clean-invoice.pdf',
      key: `demo/${run}/copy-of-invoice.pdf`,
      expect: 'DUPLICATE',
      review: false,
    },
    {
      label: 'not a document',
      file: 'meeting-notes.txt',
      key: `demo/${run}/meeting-notes.txt`,
      expect: 'FAILED',
      review: false,
    },
  ].map((s, i) => ({
    ...s,
    expect: s.expect as DocumentStatus,
    // Numbered, not named after the file: ids are in the clear in logs and the Temporal UI.
    documentId: `demo-${run}-${i + 1}`,
  }));

  console.log('docket demo: starting the local stack (Temporal dev server, moto, local Textract)…');
  const stack = await startStack({
    host: process.env[envVars.host] ?? '127.0.0.1',
    temporalPort: port(envVars.temporalPort, 7233),
    temporalUiPort: port(envVars.temporalUiPort, 8233),
    motoPort: port(envVars.motoPort, 5055),
    textractPort: port(envVars.textractPort, 9233),
    namespace: 'default',
    dataDir: path.resolve(process.env[envVars.dataDir] ?? path.join(repoRoot, '.data')),
    ...docketStackPlugins,
    textractFixturesDir: corpusTextractDir,
  });
  let worker: ManagedProcess | undefined;
  let api: ManagedProcess | undefined;
  let client: DocketClient | undefined;
  const shutdown = async () => {
    await client?.close().catch(() => undefined);
    await api?.stop(15_000);
    await worker?.stop(15_000);
    await stack.stop();
  };
  try {
    const env = { ...stack.env(), DOCKET_PROFILES_FILE: profilesFile, DOCKET_METRICS_ADDRESS: '' };
    await endStaleQuotaWorkflows(stack);
    worker = await startWorker(stack, env);
    // The AWS SDK reads endpoints, region and credentials from the environment, as in production.
    Object.assign(process.env, env);
    client = await DocketClient.connect(loadClientConfig());
    const outcome = await runSamples(client, stack, samples);
    printSummary(stack, samples, outcome);
    await printOutput(client, samples[0]!);
    const allExpected = samples.every(
      (s) =>
        outcome.get(s.documentId)?.status === s.expect && reviewed(outcome.get(s.documentId)) === s.review,
    );
    if (values.keep) {
      const apiPort = port('DOCKET_API_PORT', 8080);
      const apiEnv = {
        ...env,
        DOCKET_API_PORT: String(apiPort),
        DOCKET_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      };
      api = await startApi(stack, apiEnv);
      const waiting = await leaveOneForReview(client, stack, run);
      console.log('\n--keep: the stack, the worker and the API keep running. Press Ctrl-C to stop them.');
      console.log(`  review desk: http://127.0.0.1:${apiPort}/desk  (sign in as alice or bob)`);
      console.log(`      ${waiting} waits there for a person: correct its box in place, then approve`);
      console.log(`  try: export $(cat ${path.join(stack.dataDir, 'demo.env')} | xargs) && npx docket list`);
      fs.writeFileSync(
        path.join(stack.dataDir, 'demo.env'),
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n') + '\n',
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
    return allExpected ? 0 : 1;
  } finally {
    console.log('docket demo: stopping the worker and the stack…');
    await shutdown();
  }
}

/** A docket process as `npm run dev:*` runs it (tsx), logging to the stack's logs folder. */
async function startService(
  stack: RunningStack,
  service: { name: string; script: string; log: string; ready: string },
  env: Record<string, string>,
): Promise<ManagedProcess> {
  const proc = startProcess({
    name: service.name,
    command: path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
    args: [path.join(repoRoot, service.script)],
    cwd: repoRoot,
    env,
    logFile: path.join(stack.dataDir, 'logs', service.log),
  });
  await waitUntil(
    `the ${service.name} to start`,
    () => Promise.resolve(proc.tail(50).includes(service.ready)),
    {
      timeoutMs: 90_000,
      process: proc,
    },
  );
  console.log(`docket demo: ${service.name} running (log: ${proc.logFile})`);
  return proc;
}

/**
 * Temporal's data outlives a run of the demo, moto's does not: a Textract quota workflow left running
 * by an earlier run holds payloads sealed with that run's KMS key, which no longer exists, so its
 * tasks fail and no document would ever get a Textract lease. End it; the worker starts a fresh one.
 */
async function endStaleQuotaWorkflows(stack: RunningStack): Promise<void> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const temporal = new Client({ connection, namespace: stack.namespace });
    const query = `WorkflowType = 'textractQuotaWorkflow' AND ExecutionStatus = 'Running'`;
    for await (const wf of temporal.workflow.list({ query })) {
      await temporal.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('a new demo run: the local KMS key its state was sealed with is gone');
    }
  } finally {
    await connection.close();
  }
}

function startWorker(stack: RunningStack, env: Record<string, string>): Promise<ManagedProcess> {
  const worker = {
    name: 'docket worker',
    script: 'workers/main.ts',
    log: 'worker.log',
    ready: 'docket worker running',
  };
  return startService(stack, worker, {
    ...env,
    DOCKET_POLL_INITIAL_INTERVAL_MS: '300',
    DOCKET_POLL_MAX_INTERVAL_MS: '2000',
  });
}

/** The HTTP API, and so the review desk, on the stack's environment. */
function startApi(stack: RunningStack, env: Record<string, string>): Promise<ManagedProcess> {
  const api = {
    name: 'docket API',
    script: 'clients/api/main.ts',
    log: 'api.log',
    ready: 'docket api listening',
  };
  return startService(stack, api, env);
}

/**
 * Starts one more degraded scan and waits until it is AWAITING_REVIEW, for a person at the desk. Its
 * bytes carry the run in a PNG text chunk: the same pixels, but not a duplicate of the first scan.
 */
async function leaveOneForReview(client: DocketClient, stack: RunningStack, run: string): Promise<string> {
  const documentId = `demo-${run}-review`;
  const key = `demo/${run}/scan-for-the-desk.png`;
  const png = withTextChunk(
    fs.readFileSync(path.join(samplesDir, 'degraded-scan.png')),
    `docket demo ${run}`,
  );
  await client.s3.send(new PutObjectCommand({ Bucket: stack.resources.inputBucket, Key: key, Body: png }));
  await client.start({
    source: `s3://${stack.resources.inputBucket}/${key}`,
    profile: 'demo-invoice',
    documentId,
  });
  const deadline = Date.now() + 120_000;
  let status: string = DocumentStatus.RECEIVED;
  while (status !== DocumentStatus.AWAITING_REVIEW && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    status = (await client.status(documentId)).status;
  }
  if (status !== DocumentStatus.AWAITING_REVIEW) {
    throw new Error(`${documentId} is ${status}, not awaiting review: see the worker log`);
  }
  return documentId;
}

/** A PNG with a tEXt chunk (keyword "Comment") inserted before IEND: same image, other bytes. */
function withTextChunk(png: Buffer, comment: string): Buffer {
  const iend = png.length - 12;
  if (png.toString('latin1', iend + 4, iend + 8) !== 'IEND') throw new Error('not a PNG ending in IEND');
  const data = Buffer.from(`Comment\0${comment}`, 'latin1');
  const type = Buffer.from('tEXt', 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([type, data])));
  return Buffer.concat([png.subarray(0, iend), length, type, data, crc, png.subarray(iend)]);
}

async function runSamples(client: DocketClient, stack: RunningStack, samples: Sample[]) {
  const bucket = stack.resources.inputBucket;
  for (const s of samples) {
    await client.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: s.key,
        Body: fs.readFileSync(path.join(samplesDir, s.file)),
      }),
    );
    const started = await client.start({
      source: `s3://${bucket}/${s.key}`,
      profile: 'demo-invoice',
      documentId: s.documentId,
    });
    console.log(`  started  ${s.label.padEnd(20)} ${started.documentId}`);
    if (s === samples[0]) {
      // Let the original claim its checksum first, so the copy is the one that ends DUPLICATE.
      while ((await client.status(s.documentId)).status === DocumentStatus.RECEIVED) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  const last = new Map<string, DocumentState>();
  const approved = new Set<string>();
  const settled: string[] = [DocumentStatus.SUCCEEDED, DocumentStatus.FAILED, DocumentStatus.DUPLICATE];
  const deadline = Date.now() + 5 * 60_000;
  while (
    samples.some((s) => !settled.includes(last.get(s.documentId)?.status ?? '')) &&
    Date.now() < deadline
  ) {
    for (const s of samples) {
      const state = await client.status(s.documentId);
      if (last.get(s.documentId)?.status !== state.status) {
        console.log(`  ${state.status.padEnd(16)} ${s.label}`);
      }
      last.set(s.documentId, state);
      if (state.status === DocumentStatus.AWAITING_REVIEW && !approved.has(s.documentId)) {
        approved.add(s.documentId);
        for (const item of state.review) {
          const conf = item.confidence === undefined ? 'missing' : `confidence ${item.confidence.toFixed(1)}`;
          console.log(`      needs review: ${item.field} (${item.reason}, ${conf} < ${item.threshold})`);
        }
        console.log(
          `      a person would run: DOCKET_TOKEN=$(npm run -s token -- ${reviewerLogin}) npx docket approve ${s.documentId}`,
        );
        console.log(`      (or correct first: npx docket correct ${s.documentId} -f <field>=<value>)`);
        // Signed in as the CLI is: a development token, verified, gives the name and subject recorded.
        const token = await fetchDevToken(stack.auth.issuer, reviewerLogin);
        const who = await cliReviewer({}, { ...stack.env(), DOCKET_TOKEN: token });
        await client.review(s.documentId, { action: 'approve', comment: 'approved by npm run demo', ...who });
        console.log(
          `      the demo approves it now as ${who.reviewer} (${who.reviewerId}), signed in through the development issuer`,
        );
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

function printSummary(stack: RunningStack, samples: Sample[], outcome: Map<string, DocumentState>): void {
  console.log('\nOutcomes');
  for (const s of samples) {
    const state = outcome.get(s.documentId);
    const got = state?.status ?? 'unknown';
    const mark = got === s.expect && reviewed(state) === s.review ? 'ok ' : 'UNEXPECTED';
    const detail = state?.failure
      ? `${state.failure.type}: ${state.failure.message}`
      : state?.duplicateOf
        ? `duplicate of ${state.duplicateOf.documentId}`
        : state?.output
          ? `s3://${state.output.bucket}/${state.output.key}`
          : '';
    const via = reviewed(state) ? 'after review' : '';
    console.log(`  ${mark} ${s.label.padEnd(20)} ${got.padEnd(10)} ${via.padEnd(13)} ${detail}`);
  }
  const query = encodeURIComponent(`WorkflowType="documentWorkflow"`);
  console.log(`\nTemporal UI: ${stack.temporalUiUrl}/namespaces/${stack.namespace}/workflows?query=${query}`);
  console.log(`  filter by status with a query like: DocumentStatus="SUCCEEDED"`);
}

/** The demo's own sample data, so printing it is fine; docket itself never logs field values. */
async function printOutput(client: DocketClient, sample: Sample): Promise<void> {
  const doc = await client.output(sample.documentId);
  if (!isSchema2Output(doc)) throw new Error(`the output of ${sample.documentId} is not of schema 2`);
  console.log(`\nDecrypted output of the ${sample.label} (npx docket output ${sample.documentId}):`);
  console.log(
    `  status ${doc.status}, checksum ${doc.checksum.slice(0, 16)}…, Textract job ${doc.textract?.jobId.slice(0, 16)}…`,
  );
  for (const f of doc.pages.flatMap((page) => page.fields)) {
    console.log(
      `  ${f.name.padEnd(16)} ${f.value.text.padEnd(22)} confidence ${f.value.confidence.toFixed(1)}`,
    );
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(`docket demo: ${(err as Error).message}`);
    process.exit(1);
  });
