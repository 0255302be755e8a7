/**
 * FORMS pairing alone, for scripts/textract-fidelity.ts: every recorded real response in the corpus
 * that holds key/value pairs, its own LINE and WORD blocks (and checkboxes) given to the local
 * Textract's pairing as if OCR had read them, and its pairs scored against the response's. OCR's
 * misreads and line splits are out of the figure, and the responses without a source document
 * (employment application, intake form) are layouts the pairing rules were not written from.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Block } from '@aws-sdk/client-textract';
import { assembleBlocks } from '@docket/local/textract/analysis';
import type { Box, RecognisedPage } from '@docket/local/textract/blocks';
import { pairScore } from '@docket/local/textract/form-fidelity';

/** A response without its page's pixel size is taken as a US letter page, upright. */
const letterAspect = 11 / 8.5;

function boxOf(block: Block): Box {
  const b = block.Geometry?.BoundingBox ?? {};
  return { left: b.Left ?? 0, top: b.Top ?? 0, width: b.Width ?? 0, height: b.Height ?? 0 };
}

/** The response's pages as recognised pages: its lines with their words, and its checkboxes. */
export function recordedPages(blocks: readonly Block[], aspect: number): RecognisedPage[] {
  const byId = new Map(blocks.map((b) => [b.Id ?? '', b]));
  const pages = [...new Set(blocks.filter((b) => b.BlockType === 'PAGE').map((b) => b.Page ?? 1))];
  return pages.map((page) => {
    const on = blocks.filter((b) => (b.Page ?? 1) === page);
    const lines = on
      .filter((b) => b.BlockType === 'LINE')
      .map((line) => ({
        words: (line.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? [])
          .map((id) => byId.get(id))
          .filter((w): w is Block => w?.BlockType === 'WORD')
          .map((w) => ({ text: w.Text ?? '', confidence: w.Confidence ?? 0, box: boxOf(w) })),
      }))
      .filter((line) => line.words.length > 0);
    const selections = on
      .filter((b) => b.BlockType === 'SELECTION_ELEMENT')
      .map((s) => ({
        box: boxOf(s),
        selected: s.SelectionStatus === 'SELECTED',
        confidence: s.Confidence ?? 0,
      }));
    return { lines, aspect, ...(selections.length > 0 ? { selections } : {}) };
  });
}

/** Prints pair precision and recall per recorded response with pairs, and over all of them. */
export function pairsFromWords(corpus: string, aspectOf: (name: string) => number | undefined): void {
  console.log(
    "\nFORMS pairing alone, on the responses' own words    pairs(ours/real/matched)  precision  recall",
  );
  const dir = path.join(corpus, 'textract');
  let [ours, real, matched] = [0, 0, 0];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.json') || file.endsWith('.text-detection.json')) continue;
    const blocks = (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { Blocks: Block[] }).Blocks;
    if (!blocks.some((b) => b.BlockType === 'KEY_VALUE_SET')) continue;
    const name = file.replace(/\.analysis\.json$|\.json$/, '');
    const pages = recordedPages(blocks, aspectOf(name) ?? letterAspect);
    const score = pairScore(
      assembleBlocks(pages, { featureTypes: ['FORMS'], queries: [] }, { withPage: true }),
      blocks,
    );
    [ours, real, matched] = [ours + score.ours, real + score.reference, matched + score.matched];
    console.log(
      `${name.padEnd(50)}${`${score.ours}/${score.reference}/${score.matched}`.padStart(24)}  ${score.precision.toFixed(3).padStart(9)}  ${score.recall.toFixed(3).padStart(6)}`,
    );
  }
  console.log(
    `${'all'.padEnd(50)}${`${ours}/${real}/${matched}`.padStart(24)}  ${(matched / ours).toFixed(3).padStart(9)}  ${(matched / real).toFixed(3).padStart(6)}`,
  );
}
