/**
 * LAYOUT figures for scripts/textract-fidelity.ts: per corpus document whose real response holds
 * LAYOUT blocks, an asynchronous StartDocumentAnalysis with LAYOUT through the SDK, and how many of
 * the real layout blocks it matches: same block type, boxes overlapping by half their union or more
 * (each of ours matched once). Textract groups a page into a few large regions (a form's fields in
 * one LAYOUT_KEY_VALUE, an address in one LAYOUT_TEXT); this shows how close the local grouping is.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Block, TextractClient } from '@aws-sdk/client-textract';
import { analyse } from './tables';

function box(b: Block): [number, number, number, number] {
  const g = b.Geometry?.BoundingBox ?? {};
  const [left, top] = [g.Left ?? 0, g.Top ?? 0];
  return [left, top, left + (g.Width ?? 0), top + (g.Height ?? 0)];
}

/** Intersection over union of two blocks' boxes. */
function iou(a: Block, b: Block): number {
  const [a0, a1, a2, a3] = box(a);
  const [b0, b1, b2, b3] = box(b);
  const w = Math.min(a2, b2) - Math.max(a0, b0);
  const h = Math.min(a3, b3) - Math.max(a1, b1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a2 - a0) * (a3 - a1) + (b2 - b0) * (b3 - b1) - inter);
}

/** Prints, per corpus document with LAYOUT in its real response, real/ours/matched layout blocks. */
export async function layoutFidelity(
  textract: TextractClient,
  bucket: string,
  corpus: string,
): Promise<void> {
  console.log('\nlayout: document                  blocks(ours/real/matched)  precision  recall');
  for (const name of fs.readdirSync(path.join(corpus, 'documents')).sort()) {
    const file = path.join(corpus, 'textract', `${name}.analysis.json`);
    if (!fs.existsSync(file)) continue;
    const layout = (blocks: readonly Block[]) => blocks.filter((b) => b.BlockType?.startsWith('LAYOUT_'));
    const real = layout((JSON.parse(fs.readFileSync(file, 'utf8')) as { Blocks: Block[] }).Blocks);
    if (real.length === 0) continue;
    const ours = layout(await analyse(textract, bucket, `corpus/${name}`, ['LAYOUT']));
    const used = new Set<Block>();
    for (const r of real) {
      const hit = ours.find((o) => !used.has(o) && o.BlockType === r.BlockType && iou(o, r) >= 0.5);
      if (hit) used.add(hit);
    }
    const m = used.size;
    console.log(
      `        ${name.padEnd(26)}${`${ours.length}/${real.length}/${m}`.padStart(27)}  ${(ours.length > 0 ? m / ours.length : 0).toFixed(3).padStart(9)}  ${(m / real.length).toFixed(3).padStart(6)}`,
    );
  }
}
