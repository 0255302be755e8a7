import fs from 'node:fs';
import { recogniseDocument } from '@docket/local/textract/recognise';
import { OcrPool } from '@docket/local/textract/ocr-pool';
import { findTesseract } from '@docket/local/textract/native-ocr';
import { assembleBlocks } from '@docket/local/textract/analysis';
import { DocumentFormat } from '@docket/local/textract/documents';
async function main() {
  const pool = new OcrPool({ tesseractBin: findTesseract(undefined, '/work/main/.tools') });
  const file = process.argv[2]!;
  const pages = await recogniseDocument(fs.readFileSync(file), file.endsWith('.png') ? DocumentFormat.PNG : DocumentFormat.JPEG, { pool });
  const blocks = assembleBlocks(pages, { featureTypes: ['FORMS'], queries: [] } as never, { withPage: false });
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const text = (b: any) => (b.Relationships?.find((r: any) => r.Type === 'CHILD')?.Ids ?? []).map((i: string) => { const c: any = byId.get(i); return c?.BlockType === 'SELECTION_ELEMENT' ? c.SelectionStatus : c?.Text; }).join(' ');
  for (const l of blocks.filter((b) => b.BlockType === 'LINE')) console.log('L', JSON.stringify(l.Text), l.Geometry?.BoundingBox?.Left?.toFixed(3), l.Geometry?.BoundingBox?.Top?.toFixed(3));
  for (const k of blocks.filter((b) => b.EntityTypes?.includes('KEY'))) { const v = byId.get(k.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0]); console.log('KV', JSON.stringify(text(k)), '=>', JSON.stringify(v ? text(v) : '')); }
  console.log('skew', pages[0]?.skew);
  if (process.argv[3]) score(blocks, process.argv[3]);
  await pool.terminate();
}
void main();
import { keyValueTexts, pairScore, tickScore } from '@docket/local/textract/form-fidelity';
export function score(blocks: any[], ref: string) {
  const real = JSON.parse(fs.readFileSync(ref, 'utf8')).Blocks;
  console.log('pairs', pairScore(blocks, real), 'ticks', tickScore(blocks, real));
  const mine = new Set(keyValueTexts(blocks));
  for (const t of keyValueTexts(real)) if (!mine.has(t)) console.log('MISS', t);
  const r = new Set(keyValueTexts(real));
  for (const t of keyValueTexts(blocks)) if (!r.has(t)) console.log('EXTRA', t);
}
