/*
 * Points benchmark, stage 1 of 2: generated pages of figures with their ground truth (pages.ts),
 * each read by the real recogniser as is, shrunk to half and to 0.4, blurred, noisy and as a JPEG of
 * quality 25, with what restorePoints was given recorded instead of applied (recorder.ts). Stage 2,
 * evaluate.ts, scores restorePoints on the recordings in seconds; OCR takes minutes and does not
 * change when number-points.ts does, so it is done once here.
 *
 *   npx tsx scripts/points-bench/capture.ts [--pages 68] [--out DIR] [--workers 2] [--only p003,p010-clean] [--fresh]
 *
 * --pages is the number of generated pages (each read six ways; 68 makes the full 399 readings, a
 * few minutes; 10 makes a quick run of under a minute); --out defaults to docket-points-bench under
 * the system's temp directory. Readings already captured there are kept unless --fresh. Native
 * Tesseract from .tools/ (or DOCKET_TOOLS_DIR) when it is there, otherwise tesseract.js.
 */
// First: the recorder's stand-in for number-points.ts must be in place before recognise.ts loads.
import { recording } from './recorder';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@docket/local/stack/tools';
import { DocumentFormat } from '@docket/local/textract/documents';
import { findTesseract } from '@docket/local/textract/native-ocr';
import { OcrPool } from '@docket/local/textract/ocr-pool';
import { recogniseDocument } from '@docket/local/textract/recognise';
import { captureFiles, defaultOut, type Capture } from './captures';
import { pad } from './figures';
import {
  degrade,
  degradations,
  pageSpec,
  registerFonts,
  renderPage,
  shrinkOf,
  type Degradation,
  type Page,
  type PageSpec,
} from './pages';

interface Job {
  id: string;
  spec: PageSpec;
  degradation: Degradation;
}

/** Every reading of the first `pages` pages (or of those `only` names). */
function jobs(pages: number, only?: string[]): Job[] {
  const list: Job[] = [];
  for (let base = 0; base < pages; base++) {
    const spec = pageSpec(base);
    for (const degradation of degradations) {
      const page = `p${pad(base, 3)}`;
      const id = `${page}-${degradation.replace(/[^a-z0-9]+/gi, '')}`;
      if (only && !only.includes(id) && !only.includes(page)) continue;
      // Print shrunk under 5.5 pixels a line is past reading at all: not worth the OCR time.
      if (spec.bodySize * shrinkOf(degradation) < 5.5) continue;
      list.push({ id, spec, degradation });
    }
  }
  return list;
}

async function capture(job: Job, page: Page, pool: OcrPool, dir: string): Promise<void> {
  const files = captureFiles(dir, job.id, job.degradation);
  const bytes = await degrade(page.png, job.degradation);
  fs.writeFileSync(files.page, bytes);
  const format = job.degradation === 'jpeg q25' ? DocumentFormat.JPEG : DocumentFormat.PNG;
  const { result, recorded } = await recording(() => recogniseDocument(bytes, format, { pool }));
  if (!recorded) {
    throw new Error(`${job.id}: restorePoints was not recorded (recorder.ts must load before recognise.ts)`);
  }
  fs.writeFileSync(files.grey, recorded.image.pixels);
  const turns = result[0]?.turns;
  const meta: Capture = {
    id: job.id,
    spec: job.spec,
    degradation: job.degradation,
    source: { width: page.width, height: page.height },
    width: recorded.image.width,
    height: recorded.image.height,
    ...(turns ? { turns } : {}),
    lines: recorded.lines,
    truth: page.tokens,
  };
  fs.writeFileSync(files.json, JSON.stringify(meta));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string' },
      out: { type: 'string' },
      workers: { type: 'string' },
      only: { type: 'string' },
      fresh: { type: 'boolean' },
    },
  });
  const dir = path.resolve(values.out ?? defaultOut);
  const workers = Number(values.workers ?? 2);
  const all = jobs(Number(values.pages ?? 68), values.only?.split(','));
  const todo = values.fresh
    ? all
    : all.filter((j) => !fs.existsSync(captureFiles(dir, j.id, j.degradation).json));
  fs.mkdirSync(path.join(dir, 'pages'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'cap'), { recursive: true });
  registerFonts();
  const bin = findTesseract(undefined, process.env.DOCKET_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
  const pool = new OcrPool({ size: workers, ...(bin ? { tesseractBin: bin } : {}) });
  console.log(
    `engine ${pool.engine}; ${todo.length} readings to capture (${all.length - todo.length} kept) in ${dir}`,
  );
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  // A page is drawn once for its six readings, which run next to one another in the list.
  const drawn = new Map<number, Page>();
  let next = 0;
  let done = 0;
  // One reading more than the pool has workers, so the pool is never idle while a page is prepared.
  const worker = async () => {
    while (next < todo.length) {
      const job = todo[next++]!;
      let page = drawn.get(job.spec.base);
      if (!page) drawn.set(job.spec.base, (page = renderPage(job.spec)));
      await capture(job, page, pool, dir);
      if (++done % 10 === 0 || done === todo.length) console.log(`${done}/${todo.length} in ${seconds()} s`);
    }
  };
  try {
    await Promise.all(Array.from({ length: workers + 1 }, worker));
  } finally {
    await pool.terminate();
  }
  console.log(
    `captured ${done} in ${seconds()} s; next: npx tsx scripts/points-bench/evaluate.ts --out ${dir}`,
  );
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
