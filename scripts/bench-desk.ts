/*
 * Benchmark of the review desk on the local stack: how long until the document view of a 20-page
 * scanned PDF is usable (page 1's image loaded and every box drawn), and how long each page image
 * takes. Prints figures; asserts nothing.
 *
 *   npx tsx scripts/bench-desk.ts              # starts its own stack on free ports
 *   npx tsx scripts/bench-desk.ts --running    # uses the stack of `npm run stack` (.data/stack.json)
 *   npx tsx scripts/bench-desk.ts --pages 20 --views 5
 *
 * The PDF is made of the corpus's scanned pages (form.png, paystub.jpg, receipt.jpg, in turn) as
 * images without a text layer, so the local Textract OCRs every page: that takes minutes, and is
 * reported but not what is measured. The API runs in this process, built as the API process builds
 * it (the stack's DOCKET_AUTH_* settings); the browser signs in as the development issuer's reviewer
 * alice before anything is timed, and the JSON requests carry her development token.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createTextractQueueWorkers, runAlongside } from '../workers/textract-queues';
import { createActivities } from '../activities';
import { loadApiConfig } from '../clients/api/config';
import { apiAuthOptions } from '../clients/api/auth';
import { buildApi } from '../clients/api/server';
import { loadClientConfig } from '../clients/config';
import { DocketClient } from '../clients/documents';
import { DocumentStatus, documentWorkflowId } from '../lib/contract';
import { encryptedDataConverter } from '../lib/payload-codec';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { freePort } from '@docket/local/stack/ports';
import { localAwsConfig, localCredentials } from '@docket/local/stack/resources';
import { stackEnv, startStackOnFreePorts, type StackEndpoints } from '@docket/local/stack/stack';
import { corpusTextractDir, docketStackPlugins } from '../demo/stack';
import { launchChromium } from '../test/support/browser';
import { corpusScans, scannedPdf } from './scanned-pdf';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { KMSClient } from '@aws-sdk/client-kms';
import { TextractClient } from '@aws-sdk/client-textract';

const repoRoot = path.resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    running: { type: 'boolean', default: false },
    pages: { type: 'string', default: '20' },
    views: { type: 'string', default: '5' },
  },
});
const run = randomUUID().slice(0, 8);

const ms = (n: number) => `${Math.round(n)} ms`;
function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${ms(at(0.5))}, min ${ms(sorted[0]!)}, max ${ms(sorted[sorted.length - 1]!)}`;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const pageCount = Number(args.pages);
  const views = Number(args.views);
  const own = args.running
    ? undefined
    : await startStackOnFreePorts({
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-desk-')),
        ...docketStackPlugins,
        textractFixturesDir: corpusTextractDir,
      });
  const stack: StackEndpoints =
    own ??
    (JSON.parse(fs.readFileSync(path.join(repoRoot, '.data', 'stack.json'), 'utf8')) as StackEndpoints);
  const env = stackEnv(stack);
  Object.assign(process.env, env);
  const r = stack.resources;
  const aws = localAwsConfig(stack.awsEndpoint);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  const kms = new KMSClient(aws);
  const textract = new TextractClient({
    ...aws,
    endpoint: stack.textractEndpoint,
    credentials: { ...localCredentials, accessKeyId: `docket-bench-desk-${run}` },
  });
  const taskQueue = `bench-desk-${run}`;
  const profilesFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'docket-bench-desk-')),
    'profiles.json',
  );
  // Every field below 99.9 needs review: the document waits in the desk with boxes on every page.
  fs.writeFileSync(
    profilesFile,
    JSON.stringify({
      'bench-desk': { textract: { api: 'ANALYSIS', features: ['FORMS'] }, defaultThreshold: 99.9 },
    }),
  );
  const docket = await DocketClient.connect(
    loadClientConfig({ ...process.env, DOCKET_PROFILES_FILE: profilesFile, DOCKET_TASK_QUEUE: taskQueue }),
  );
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const common = {
    connection: nativeConnection,
    namespace: stack.namespace,
    dataConverter: encryptedDataConverter({ kms, kmsKeyId: r.kmsAlias }),
    activities: createActivities({ s3, kms, textract, resultsBucket: r.resultsBucket }),
  };
  const worker = await Worker.create({
    ...common,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      logger: quiet,
    }),
  });
  const textractWorkers = await createTextractQueueWorkers(common, taskQueue);
  // As clients/api/main.ts builds it: the real token check, its public URL where it listens.
  const port = await freePort('127.0.0.1');
  const apiConfig = loadApiConfig({ ...process.env, DOCKET_API_PORT: String(port) });
  const app = buildApi(docket, {
    auth: apiAuthOptions(apiConfig.auth),
  });
  const baseUrl = await app.listen({ host: '127.0.0.1', port });
  const reviewer = 'alice';
  const authorization = `Bearer ${await fetchDevToken(stack.auth.issuer, reviewer)}`;
  const browser = await launchChromium({ allowedOrigins: [baseUrl, stack.auth.issuer] });

  try {
    await runAlongside(
      textractWorkers,
      worker.runUntil(async () => {
        const scans = await corpusScans();
        const pdf = scannedPdf(Array.from({ length: pageCount }, (_, i) => scans[i % scans.length]!));
        const key = `bench-desk/${run}/scan.pdf`;
        await s3.send(new PutObjectCommand({ Bucket: r.inputBucket, Key: key, Body: pdf }));
        const documentId = `bench-desk-${run}`;
        console.log(`${pageCount}-page scanned PDF: ${(pdf.length / 1024 / 1024).toFixed(1)} MB`);
        const started = Date.now();
        await docket.start({ source: `s3://${r.inputBucket}/${key}`, profile: 'bench-desk', documentId });
        for (;;) {
          const state = await docket.status(documentId).catch(() => undefined);
          if (state?.status === DocumentStatus.AWAITING_REVIEW) break;
          if (state && state.status !== 'RECEIVED' && state.status !== 'PROCESSING') {
            throw new Error(`the document ended ${state.status}: ${state.failure?.message ?? ''}`);
          }
          await new Promise((res) => setTimeout(res, 1000));
        }
        console.log(
          `  OCR by the local Textract until AWAITING_REVIEW: ${((Date.now() - started) / 1000).toFixed(0)} s (not measured below)`,
        );

        const fieldsStart = performance.now();
        const fields = (await (
          await fetch(`${baseUrl}/documents/${documentId}/fields`, { headers: { authorization } })
        ).json()) as {
          fields: unknown[];
        };
        console.log(
          `  GET /documents/:id/fields: ${fields.fields.length} fields in ${ms(performance.now() - fieldsStart)}`,
        );

        // Chromium's start and the sign-in are not the desk's: signed in (the issuer's login_hint picks
        // the user) and on the queue before anything is timed. The session cookie serves every view.
        const warm = await browser.context.newPage();
        await warm.goto(`${baseUrl}/auth/login?login_hint=${reviewer}&next=${encodeURIComponent('/desk')}`);
        await warm.waitForURL(`${baseUrl}/desk`);
        await warm.close();
        const usable: number[] = [];
        for (let i = 0; i < views; i++) {
          const page = await browser.context.newPage();
          const t0 = performance.now();
          await page.goto(`${baseUrl}/desk/documents/${documentId}`);
          await page.locator('body[data-ready="true"]').waitFor({ timeout: 120_000 });
          usable.push(performance.now() - t0);
          const boxes = await page.locator('.box').count();
          if (i === 0) console.log(`  document view: ${boxes} boxes drawn on page 1`);
          await page.close();
        }
        console.log(
          `  time until the document view is usable (page 1 image + boxes), ${views} loads: ${stats(usable)}`,
        );
        console.log(`    first load (source not yet in memory): ${ms(usable[0]!)}`);

        const perPage: number[] = [];
        let bytes = 0;
        for (let n = 1; n <= pageCount; n++) {
          const t0 = performance.now();
          const res = await fetch(`${baseUrl}/documents/${documentId}/pages/${n}`, {
            headers: { authorization },
          });
          const body = Buffer.from(await res.arrayBuffer());
          perPage.push(performance.now() - t0);
          if (res.status !== 200) throw new Error(`page ${n}: HTTP ${res.status}`);
          bytes += body.length;
        }
        console.log(`  GET /documents/:id/pages/:n, each of ${pageCount} pages: ${stats(perPage)}`);
        console.log(`    PNG size: ${(bytes / pageCount / 1024).toFixed(0)} KB per page on average`);
        await docket.temporal.workflow.getHandle(documentWorkflowId(documentId)).terminate('benchmark done');
      }),
    );
  } finally {
    await browser.close();
    await app.close();
    await docket.close();
    await nativeConnection.close();
    for (const c of [s3, kms, textract]) c.destroy();
    await own?.stop();
  }
}

main().catch((err: unknown) => {
  console.error('bench-desk failed:', err);
  process.exit(1);
});
