/*
 * Benchmark of docket's local Textract against real Textract: per-document multiset word F1 of its
 * WORD blocks vs the recorded real WORD blocks for every document in test/fixtures/corpus/documents, pages
 * per second (the corpus at once, then OCR alone: `--rounds` passes over its images), the same F1
 * for corpus images as a user might send them instead (turned sideways or upside down, or a 25 MP
 * photo), and the service's RSS while a synthetic 3,000-page result streams through Get*.
 *
 * Then FORMS pairing, QUERIES and unruled TABLES alone, on the recorded responses' own words
 * (scripts/fidelity/recorded-words.ts),
 * table cell-text F1 per corpus document with tables (scripts/fidelity/tables.ts), and LAYOUT blocks
 * matched by type and place (scripts/fidelity/layout.ts).
 *
 *   npx tsx scripts/textract-fidelity.ts [--skip-rss] [--rss-only] [--tables-only] [--pages 3000] [--rounds 4]
 *
 * Starts its own moto and local Textract (recorded responses off, so every word comes from OCR or a
 * PDF text layer). DOCKET_TEXTRACT_* variables (DPI, PSM, TEXT_LAYER, OCR_WORKERS) pass through.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetDocumentAnalysisCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentAnalysisCommand,
  StartDocumentTextDetectionCommand,
  TextractClient,
  type Block,
} from '@aws-sdk/client-textract';
import { startMotoServer } from '@docket/local/stack/moto-server';
import { freePort } from '@docket/local/stack/ports';
import { localAwsConfig } from '@docket/local/stack/resources';
import { repoRoot, resolveTools } from '@docket/local/stack/tools';
import { startLocalTextract } from '@docket/local/textract/launch';
import { pairScore, tickScore } from '@docket/local/textract/form-fidelity';
import { wordF1 } from '@docket/local/textract/word-f1';
import { pairsFromWords, queriesFromWords, tablesFromWords } from './fidelity/recorded-words';
import { scannedPdf } from './fidelity/scanned-pdf';
import { layoutFidelity } from './fidelity/layout';
import { tableFidelity } from './fidelity/tables';
import { degrade, degradations } from './fidelity-variants';

const corpus = path.join(repoRoot, 'test', 'fixtures', 'corpus');
const bucket = 'docket-fidelity';

function reference(name: string): Block[] {
  for (const suffix of ['.text-detection.json', '.analysis.json']) {
    const file = path.join(corpus, 'textract', name + suffix);
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { Blocks: Block[] }).Blocks;
  }
  throw new Error(`no recorded Textract response for ${name}`);
}

/** The recorded real analysis (FORMS) of a corpus document, when there is one. */
function analysisReference(name: string): Block[] | undefined {
  const file = path.join(corpus, 'textract', `${name}.analysis.json`);
  if (!fs.existsSync(file)) return undefined;
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { Blocks: Block[] }).Blocks;
}

/**
 * Runs a text-detection job (or a FORMS analysis with `forms`) to the end; `onPage` sees each Get*
 * page (the blocks are kept only without it).
 */
async function runJob(
  textract: TextractClient,
  key: string,
  onPage?: (blocks: Block[]) => void,
  forms = false,
): Promise<{ blocks: Block[]; pages: number }> {
  const location = { DocumentLocation: { S3Object: { Bucket: bucket, Name: key } } };
  const { JobId } = forms
    ? await textract.send(new StartDocumentAnalysisCommand({ ...location, FeatureTypes: ['FORMS'] }))
    : await textract.send(new StartDocumentTextDetectionCommand(location));
  return jobResult(textract, JobId, onPage, forms);
}

/** A started job's blocks (or each page's, to `onPage`) once it has finished, polled every 100 ms. */
async function jobResult(
  textract: TextractClient,
  JobId: string | undefined,
  onPage?: (blocks: Block[]) => void,
  forms = false,
): Promise<{ blocks: Block[]; pages: number }> {
  const blocks: Block[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const res = forms
      ? await textract.send(new GetDocumentAnalysisCommand({ JobId, NextToken: token }))
      : await textract.send(new GetDocumentTextDetectionCommand({ JobId, NextToken: token }));
    if (res.JobStatus === 'IN_PROGRESS') {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (res.JobStatus === 'FAILED') throw new Error(`job ${JobId} failed: ${res.StatusMessage}`);
    pages = res.DocumentMetadata?.Pages ?? 0;
    if (onPage) onPage(res.Blocks ?? []);
    else blocks.push(...(res.Blocks ?? []));
    token = res.NextToken;
    if (!token) return { blocks, pages };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'skip-rss': { type: 'boolean' },
      'rss-only': { type: 'boolean' },
      pages: { type: 'string' },
      rounds: { type: 'string' },
      'tables-only': { type: 'boolean' },
    },
  });
  const host = '127.0.0.1';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-fidelity-'));
  const motoPort = await freePort(host);
  const moto = await startMotoServer({
    bin: resolveTools().motoServer,
    host,
    port: motoPort,
    logFile: path.join(dataDir, 'moto.log'),
  });
  const motoEndpoint = `http://${host}:${motoPort}`;
  const syntheticPages = Number(values.pages ?? 3000);
  const start = async (name: string) =>
    startLocalTextract({
      host,
      port: await freePort(host),
      awsEndpoint: motoEndpoint,
      logFile: path.join(dataDir, `${name}.log`),
      env: {
        DOCKET_TEXTRACT_MIN_JOB_MS: '0',
        DOCKET_TEXTRACT_FAULTS: JSON.stringify({
          documents: [{ match: 'synthetic/*', synthetic: { pages: syntheticPages } }],
        }),
      },
    });
  const aws = localAwsConfig(motoEndpoint);
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (!values['rss-only']) {
      const service = await start('textract-ocr');
      const textract = new TextractClient({ ...aws, endpoint: service.endpoint });
      await fidelity(s3, textract, Number(values.rounds ?? 4), values['tables-only'] === true).finally(() =>
        textract.destroy(),
      );
      await service.process.stop();
    }
    if (!values['skip-rss']) {
      // A fresh service: OCR workers hold hundreds of MB until they retire, which is not what this measures.
      const service = await start('textract-rss');
      const textract = new TextractClient({ ...aws, endpoint: service.endpoint });
      await rss(s3, textract, service.endpoint, syntheticPages).finally(() => textract.destroy());
      await service.process.stop();
    }
  } finally {
    s3.destroy();
    await moto.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function fidelity(
  s3: S3Client,
  textract: TextractClient,
  rounds: number,
  tablesOnly: boolean,
): Promise<void> {
  const names = fs.readdirSync(path.join(corpus, 'documents')).sort();
  for (const name of names) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `corpus/${name}`,
        Body: fs.readFileSync(path.join(corpus, 'documents', name)),
      }),
    );
  }
  if (tablesOnly) return tableFidelity(textract, bucket, corpus);
  for (const name of names.filter((n) => !n.endsWith('.pdf'))) {
    const image = await loadImage(path.join(corpus, 'documents', name));
    imageAspects.set(name, image.height / image.width);
  }
  // Warm-up: the first job pays for starting the OCR workers and loading pdfjs.
  await runJob(textract, `corpus/${names.find((n) => !n.endsWith('.pdf')) ?? names[0]}`);

  console.log(header);
  let totalPages = 0;
  const started = Date.now();
  const results = await Promise.all(
    names.map(async (name) => scored(textract, name, `corpus/${name}`, reference(name))),
  );
  const wall = (Date.now() - started) / 1000;
  for (const r of results) {
    totalPages += r.pages;
    console.log(row(r));
  }
  console.log(
    `throughput: ${totalPages} pages in ${wall.toFixed(1)} s = ${(totalPages / wall).toFixed(2)} pages/s (all documents at once, ${os.availableParallelism()} cores)`,
  );
  // Steady state, OCR only: the images again and again, so no text layer and no idle core flatter it.
  // Every job is started at once and then waited for in the order started, one at a time: a client
  // polling each of its jobs ten times a second (240 requests a second for 24 jobs) took a tenth of
  // the service's throughput for itself (0.83 pages/s against 0.93 on the same build). docket's own
  // poll starts at 1 s and backs off. The service reads pages in the order they come, so a job
  // finishes soon after the one before it.
  const images = names.filter((n) => !n.endsWith('.pdf'));
  const jobs = Array.from({ length: rounds }, () => images).flat();
  const t0 = Date.now();
  const jobIds = await Promise.all(
    jobs.map(async (name) => {
      const location = { DocumentLocation: { S3Object: { Bucket: bucket, Name: `corpus/${name}` } } };
      return (await textract.send(new StartDocumentTextDetectionCommand(location))).JobId;
    }),
  );
  const pages: number[] = [];
  for (const jobId of jobIds) pages.push((await jobResult(textract, jobId)).pages);
  const seconds = (Date.now() - t0) / 1000;
  const ocrPages = pages.reduce((a, b) => a + b, 0);
  console.log(
    `OCR throughput: ${ocrPages} image pages (${rounds} rounds of ${images.length}) in ${seconds.toFixed(1)} s = ${(ocrPages / seconds).toFixed(2)} pages/s`,
  );
  await formsFidelity(textract, names);
  pairsFromWords(corpus, (name) => imageAspects.get(name));
  queriesFromWords(corpus);
  tablesFromWords(corpus, (name) => imageAspects.get(name));
  await variants(s3, textract);
  await tableFidelity(textract, bucket, corpus);
  await layoutFidelity(textract, bucket, corpus);
  await degraded(s3, textract, images);
}

/** Height over width of each corpus image, for pairing its response's own words (recorded-words.ts). */
const imageAspects = new Map<string, number>();

/** FORMS against the recorded analyses: key+value pairs and checkbox states, per document. */
async function formsFidelity(textract: TextractClient, names: readonly string[]): Promise<void> {
  console.log(
    '\ndocument (FORMS)                  pairs(ours/real/matched)  precision  recall  ticks(right/real/found)  accuracy',
  );
  for (const name of names) {
    const real = analysisReference(name);
    if (!real) continue;
    const { blocks } = await runJob(textract, `corpus/${name}`, undefined, true);
    const p = pairScore(blocks, real);
    const t = tickScore(blocks, real);
    const tickCell = t.reference > 0 ? `${t.correct}/${t.reference}/${t.found}` : '-';
    const accuracy = t.reference > 0 ? t.accuracy.toFixed(3) : '-';
    console.log(
      `${name.padEnd(34)}${`${p.ours}/${p.reference}/${p.matched}`.padStart(24)}  ${p.precision.toFixed(3).padStart(9)}  ${p.recall.toFixed(3).padStart(6)}  ${tickCell.padStart(23)}  ${accuracy.padStart(8)}`,
    );
  }
}

/** Each corpus image skewed, blurred, noisy, at half resolution and as a poor JPEG: word F1 each. */
async function degraded(s3: S3Client, textract: TextractClient, images: readonly string[]): Promise<void> {
  console.log(`\n${header}`);
  for (const source of images) {
    const bytes = fs.readFileSync(path.join(corpus, 'documents', source));
    for (const kind of degradations) {
      const key = `degraded/${kind}/${source}`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await degrade(bytes, kind) }));
      console.log(row(await scored(textract, `${source} ${kind}`, key, reference(source))));
    }
  }
}

const header =
  'document                          pages  words(ours/real)  precision  recall     F1   seconds';

interface Scored {
  name: string;
  pages: number;
  seconds: number;
  score: ReturnType<typeof wordF1>;
}

async function scored(textract: TextractClient, name: string, key: string, real: Block[]): Promise<Scored> {
  const t0 = Date.now();
  const { blocks, pages } = await runJob(textract, key);
  return { name, pages, seconds: (Date.now() - t0) / 1000, score: wordF1(blocks, real) };
}

function row({ name, pages, seconds, score: s }: Scored): string {
  return `${name.padEnd(34)}${String(pages).padStart(5)}  ${`${s.ours}/${s.reference}`.padStart(16)}  ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3).padStart(5)}  ${seconds.toFixed(1).padStart(8)}`;
}

/** Corpus images as users also send them: turned a number of quarter turns clockwise, or enlarged. */
async function variants(s3: S3Client, textract: TextractClient): Promise<void> {
  const cases = [
    { name: 'receipt.jpg turned 90', source: 'receipt.jpg', turns: 1, enlarge: 1 },
    { name: 'form.png upside down', source: 'form.png', turns: 2, enlarge: 1 },
    { name: 'paystub.jpg turned 270', source: 'paystub.jpg', turns: 3, enlarge: 1 },
    { name: 'receipt.jpg at 4x (25 MP)', source: 'receipt.jpg', turns: 0, enlarge: 4 },
  ];
  console.log(`\n${header}`);
  for (const c of cases) {
    const image = await loadImage(fs.readFileSync(path.join(corpus, 'documents', c.source)));
    const [w, h] = [image.width * c.enlarge, image.height * c.enlarge];
    const canvas = c.turns % 2 === 1 ? createCanvas(h, w) : createCanvas(w, h);
    const context = canvas.getContext('2d');
    context.translate(canvas.width / 2, canvas.height / 2);
    context.rotate((c.turns * Math.PI) / 2);
    context.drawImage(image, -w / 2, -h / 2, w, h);
    const key = `variants/${c.name.replace(/\W+/g, '-')}`;
    // Turned pages as PNG, so no second JPEG generation blurs the small print; the 25 MP photo as JPEG
    // (as a camera writes it, and as PNG it would be over the 10 MB image limit).
    const body = c.enlarge === 1 ? await canvas.encode('png') : await canvas.encode('jpeg', 90);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    console.log(row(await scored(textract, c.name, key, reference(c.source))));
  }
  // The same pages scanned to PDF (no text layer): read through the PDF path, rendered at its DPI.
  for (const source of ['form.png', 'paystub.jpg', 'receipt.jpg']) {
    const key = `variants/${source}-scanned.pdf`;
    const body = await scannedPdf(fs.readFileSync(path.join(corpus, 'documents', source)));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    console.log(row(await scored(textract, `${source} scanned to PDF`, key, reference(source))));
  }
  // Bitonal scans at 300 dpi (one bit a pixel, as office scanners store pages).
  for (const source of ['form.png', 'paystub.jpg', 'receipt.jpg']) {
    const key = `variants/${source}-bitonal.pdf`;
    const body = await scannedPdf(fs.readFileSync(path.join(corpus, 'documents', source)), {
      bitonal: true,
    });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    console.log(row(await scored(textract, `${source} bitonal 300 dpi`, key, reference(source))));
  }
}

async function rss(s3: S3Client, textract: TextractClient, endpoint: string, pages: number): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'synthetic/big.pdf', Body: '%PDF-1.7\n' }));
  const sample = async () =>
    ((await (await fetch(`${endpoint}/__docket/stats`)).json()) as { rss: number }).rss;
  const before = await sample();
  let peak = before;
  let polls = 0;
  let count = 0;
  const t0 = Date.now();
  // The client keeps nothing, so only the service's memory is measured.
  await runJob(textract, 'synthetic/big.pdf', (page) => {
    count += page.length;
    if (++polls % 25 === 0) void sample().then((r) => (peak = Math.max(peak, r)));
  });
  peak = Math.max(peak, await sample());
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `synthetic ${pages} pages: ${count} blocks streamed in ${((Date.now() - t0) / 1000).toFixed(1)} s; service RSS ${mb(before)} before, peak ${mb(peak)}`,
  );
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
