/*
 * OCR engines side by side: native Tesseract 5 and tesseract.js, reading the corpus images with the
 * same pipeline (scaling, deskew, checkbox erasing) and the same English model. Prints per engine the
 * word F1 against the recorded real responses, wall-clock pages per second, and CPU seconds per page
 * (this process and its tesseract children), which on a shared machine says more than the wall clock:
 * with N idle cores, throughput approaches N / (CPU seconds per page).
 *
 *   npx tsx scripts/ocr-engines.ts [--rounds 3] [--workers 2] [--engine native|tesseract.js]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Block } from '@aws-sdk/client-textract';
import { repoRoot } from '@docket/local/stack/tools';
import { assembleBlocks } from '@docket/local/textract/analysis';
import { DocumentFormat } from '@docket/local/textract/documents';
import { findTesseract } from '@docket/local/textract/native-ocr';
import { OcrPool } from '@docket/local/textract/ocr-pool';
import { recogniseDocument } from '@docket/local/textract/recognise';
import { wordF1 } from '@docket/local/textract/word-f1';

const corpus = path.join(repoRoot, 'test', 'fixtures', 'corpus');
const images = ['form.png', 'paystub.jpg', 'receipt.jpg'];

/** CPU seconds used so far by this process and by the children it has waited for. */
function cpuSeconds(): number {
  const self = process.cpuUsage();
  // /proc/self/stat fields 16 and 17: cutime and cstime, in clock ticks (100 per second on Linux).
  const stat = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  const children = (Number(stat[13] ?? 0) + Number(stat[14] ?? 0)) / 100;
  return (self.user + self.system) / 1e6 + children;
}

async function measure(engine: 'native' | 'tesseract.js', rounds: number, workers: number): Promise<void> {
  const bin =
    engine === 'native'
      ? findTesseract(undefined, process.env.DOCKET_TOOLS_DIR ?? path.join(repoRoot, '.tools'))
      : undefined;
  if (engine === 'native' && !bin) {
    console.log('native: no tesseract 5 binary found (run scripts/bootstrap-tools.sh)');
    return;
  }
  const newPool = () => new OcrPool({ size: workers, ...(bin ? { tesseractBin: bin } : {}) });
  const read = async (pool: OcrPool, name: string) => {
    const bytes = fs.readFileSync(path.join(corpus, 'documents', name));
    const format = name.endsWith('.png') ? DocumentFormat.PNG : DocumentFormat.JPEG;
    const pages = await recogniseDocument(bytes, format, { pool });
    return assembleBlocks(pages, { featureTypes: [], queries: [] }, { withPage: false });
  };
  // Warm-up on a pool of its own (JIT, pdfjs, the model in the page cache); the measured pool starts
  // its workers or processes itself, and is shut down before the CPU is read: native processes live
  // from page to page, and their CPU time counts once they have exited.
  const warm = newPool();
  await read(warm, images[0] ?? '').finally(() => warm.terminate());
  const pool = newPool();
  {
    const jobs = Array.from({ length: rounds }, () => images).flat();
    const [cpu0, t0] = [cpuSeconds(), Date.now()];
    const results = await Promise.all(
      jobs.map(async (name) => ({ name, blocks: await read(pool, name) })),
    ).finally(() => pool.terminate());
    const [cpu, wall] = [cpuSeconds() - cpu0, (Date.now() - t0) / 1000];
    const f1 = images.map((name) => {
      const real = (
        JSON.parse(fs.readFileSync(path.join(corpus, 'textract', `${name}.analysis.json`), 'utf8')) as {
          Blocks: Block[];
        }
      ).Blocks;
      const ours = results.find((r) => r.name === name)?.blocks ?? [];
      return `${name} ${wordF1(ours, real).f1.toFixed(3)}`;
    });
    console.log(
      `${engine.padEnd(13)} ${jobs.length} pages, ${workers} workers: ${(jobs.length / wall).toFixed(2)} pages/s wall, ` +
        `${(cpu / jobs.length).toFixed(2)} CPU s/page; word F1 ${f1.join(', ')}`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string' }, workers: { type: 'string' }, engine: { type: 'string' } },
  });
  const rounds = Number(values.rounds ?? 3);
  const workers = Number(values.workers ?? 2);
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.availableParallelism()} cores`,
  );
  if (values.engine !== 'tesseract.js') await measure('native', rounds, workers);
  if (values.engine !== 'native') await measure('tesseract.js', rounds, workers);
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
