/*
 * Points benchmark, stage 2 of 2: restorePoints from local/textract/number-points.ts as it is now,
 * applied to what it was given on each page capture.ts recorded, and scored against what was drawn
 * there (match.ts): how many figures it made right, how many it made wrong, and where.
 *
 *   npx tsx scripts/points-bench/evaluate.ts [--out DIR] [--impl FILE] [--examples 15] [--crops 0]
 *     [--unreadable 0] [--json FILE]
 *
 * --out is capture.ts's (docket-points-bench under the system's temp directory by default).
 * --impl scores another copy of number-points.ts instead, to set two versions side by side:
 *   git show HEAD:local/textract/number-points.ts > /tmp/number-points-head.ts
 * --examples is how many words of each kind of change to print; --crops N writes, enlarged, the
 * image of up to N wrong changes of each kind to DIR/crops, to see what restorePoints saw;
 * --unreadable N prints N words OCR read with other digits than were drawn. The figures go to
 * DIR/evaluation.json (or --json) as well, with every word changed. Page ids name the images in
 * DIR/pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCanvas } from '@napi-rs/canvas';
import type { GreyImage } from '@docket/local/textract/grey-image';
import * as live from '@docket/local/textract/number-points';
import { captureFiles, defaultOut, type Capture } from './captures';
import { emptyCounts, scoreCapture, type Found, type Scored } from './match';
import { examples, report } from './report';

/** The word's surroundings from the grey image, enlarged to about 600 pixels wide. */
function crop(image: GreyImage, e: Scored): Buffer {
  const { pixels, width, height } = image;
  const padY = Math.round(e.box.height * height * 0.6);
  const x0 = Math.max(0, Math.floor(e.box.left * width) - padY * 2);
  const x1 = Math.min(width, Math.ceil((e.box.left + e.box.width) * width) + padY * 2);
  const y0 = Math.max(0, Math.floor(e.box.top * height) - padY);
  const y1 = Math.min(height, Math.ceil((e.box.top + e.box.height) * height) + padY);
  const zoom = Math.max(2, Math.min(10, Math.floor(600 / (x1 - x0))));
  const [w, h] = [(x1 - x0) * zoom, (y1 - y0) * zoom];
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  const data = context.createImageData(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = pixels[(y0 + Math.floor(y / zoom)) * width + x0 + Math.floor(x / zoom)] ?? 255;
      const i = (y * w + x) * 4;
      data.data[i] = data.data[i + 1] = data.data[i + 2] = v;
      data.data[i + 3] = 255;
    }
  }
  context.putImageData(data, 0, 0);
  return canvas.encodeSync('png');
}

const greyOf = (dir: string, c: Pick<Capture, 'id' | 'degradation' | 'width' | 'height'>): GreyImage => ({
  pixels: new Uint8Array(fs.readFileSync(captureFiles(dir, c.id, c.degradation).grey)),
  width: c.width,
  height: c.height,
});

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      impl: { type: 'string' },
      examples: { type: 'string' },
      crops: { type: 'string' },
      unreadable: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const started = Date.now();
  const dir = path.resolve(values.out ?? defaultOut);
  const impl = values.impl && path.resolve(values.impl);
  // A file given by name at run time: require is the way to load it into this CommonJS script.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { restorePoints } = impl ? (require(impl) as typeof live) : live;
  const capDir = path.join(dir, 'cap');
  if (!fs.existsSync(capDir))
    throw new Error(`no captures in ${dir}: run scripts/points-bench/capture.ts first`);
  const counts = emptyCounts();
  const found: Found = { scored: [], strays: [], misreads: [] };
  const images = new Map<string, Pick<Capture, 'id' | 'degradation' | 'width' | 'height'>>();
  let pointsMs = 0;
  for (const file of fs.readdirSync(capDir).sort()) {
    if (!file.endsWith('.json')) continue;
    const capture = JSON.parse(fs.readFileSync(path.join(capDir, file), 'utf8')) as Capture;
    const image = greyOf(dir, capture);
    const t0 = Date.now();
    const restored = restorePoints(image, capture.lines);
    pointsMs += Date.now() - t0;
    scoreCapture(capture, restored, counts, found);
    const { id, degradation, width, height } = capture;
    images.set(id, { id, degradation, width, height });
  }
  const examplesEach = Number(values.examples ?? 15);
  const { lines, ...figures } = report(counts, found, {
    impl: impl ?? 'LIVE local/textract/number-points.ts',
    examples: examplesEach,
    misreads: Number(values.unreadable ?? 0),
  });
  const crops = Number(values.crops ?? 0);
  if (crops > 0) {
    const cropDir = path.join(dir, 'crops');
    fs.rmSync(cropDir, { recursive: true, force: true });
    fs.mkdirSync(cropDir, { recursive: true });
    let n = 0;
    for (const o of ['correct->wrong', 'wrong->other wrong'] as const) {
      const wrong = examples(
        found.scored.filter((s) => s.outcome === o),
        crops,
      );
      for (const e of wrong) {
        const name = [String(n++).padStart(2, '0'), e.page, e.truth, e.after]
          .join('-')
          .replace(/[^\w.,-]/g, '_');
        fs.writeFileSync(path.join(cropDir, `${name}.png`), crop(greyOf(dir, images.get(e.page)!), e));
      }
    }
    lines.push('', `${n} crops in ${cropDir}`);
  }
  lines.push(
    '',
    `evaluated in ${((Date.now() - started) / 1000).toFixed(1)} s (withPoints ${(pointsMs / 1000).toFixed(1)} s)`,
  );
  console.log(lines.join('\n'));
  const changed = found.scored.filter((s) => s.before !== s.after).map(({ box: _box, ...rest }) => rest);
  fs.writeFileSync(
    values.json ?? path.join(dir, 'evaluation.json'),
    JSON.stringify(
      { at: new Date().toISOString(), dir, counts, ...figures, changed, strays: found.strays },
      null,
      1,
    ),
  );
}

main();
