/**
 * FORMS pairing, QUERIES and unruled TABLES alone, for scripts/textract-fidelity.ts: every recorded
 * real response in the corpus that holds key/value pairs, queries or tables, its own LINE and WORD
 * blocks (and checkboxes) given to the local Textract as if OCR had read them, and its pairs, answers
 * and table cells scored against the response's. A response holds no ruling lines, so only tables
 * found from how text lines up count here (form.png's ruled tables are found from its pixels). OCR's misreads and line splits are out of the figure, and the responses without a
 * source document (employment application, intake form, a second pay statement) are layouts the
 * rules were not written from.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Block } from '@aws-sdk/client-textract';
import { assembleBlocks } from '@docket/local/textract/analysis';
import type { Box, RecognisedPage } from '@docket/local/textract/blocks';
import { pairScore } from '@docket/local/textract/form-fidelity';
import { cellF1 } from './table-f1';
import type { QueryInput } from '@docket/local/textract/validation';

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

/** The corpus's recorded responses with their names, those `holding` a block type. */
function responses(corpus: string, holding: string): { name: string; blocks: Block[] }[] {
  const dir = path.join(corpus, 'textract');
  return fs
    .readdirSync(dir)
    .sort()
    .filter((file) => file.endsWith('.json') && !file.endsWith('.text-detection.json'))
    .map((file) => ({
      name: file.replace(/\.analysis\.json$|\.json$/, ''),
      blocks: (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { Blocks: Block[] }).Blocks,
    }))
    .filter(({ blocks }) => blocks.some((b) => b.BlockType === holding));
}

/** Each QUERY's answers ('' for none, several joined by ' | '), by page, alias and question. */
function answers(blocks: readonly Block[]): Map<string, string> {
  const byId = new Map(blocks.map((b) => [b.Id ?? '', b]));
  return new Map(
    blocks
      .filter((b) => b.BlockType === 'QUERY')
      .map((q) => {
        const ids = q.Relationships?.filter((r) => r.Type === 'ANSWER').flatMap((r) => r.Ids ?? []) ?? [];
        const key = [q.Page ?? 1, q.Query?.Alias ?? '', q.Query?.Text ?? ''].join('\u0000');
        return [key, ids.map((id) => byId.get(id)?.Text ?? '').join(' | ')] as const;
      }),
  );
}

/**
 * Prints, per recorded response with queries, how many of its queries the local Textract answers as
 * Textract did (the same text, or no answer where Textract gave none) and how many it answers wrongly.
 */
export function queriesFromWords(corpus: string): void {
  console.log(
    `\n${"QUERIES alone, on the response's own words".padEnd(50)}  queries  as Textract  wrong answer`,
  );
  for (const { name, blocks } of responses(corpus, 'QUERY')) {
    // Each question once, asked of the pages it was asked of.
    const asked = new Map<string, QueryInput>();
    for (const q of blocks.filter((b) => b.BlockType === 'QUERY')) {
      const { Text: text = '', Alias: alias, Pages: pages } = q.Query ?? {};
      asked.set(`${alias ?? ''}\u0000${text}`, {
        text,
        ...(alias ? { alias } : {}),
        ...(pages ? { pages } : {}),
      });
    }
    const queries = [...asked.values()];
    const ours = answers(
      assembleBlocks(
        recordedPages(blocks, letterAspect),
        { featureTypes: ['QUERIES'], queries },
        { withPage: true },
      ),
    );
    const real = answers(blocks);
    let [same, wrong] = [0, 0];
    for (const [text, answer] of real) {
      const mine = ours.get(text) ?? '';
      if (mine === answer) same++;
      else if (mine !== '') wrong++;
    }
    console.log(
      `${name.padEnd(50)}  ${String(real.size).padStart(7)}  ${String(same).padStart(11)}  ${String(wrong).padStart(12)}`,
    );
  }
}

/** Prints pair precision and recall per recorded response with pairs, and over all of them. */
export function pairsFromWords(corpus: string, aspectOf: (name: string) => number | undefined): void {
  console.log(
    "\nFORMS pairing alone, on the responses' own words    pairs(ours/real/matched)  precision  recall",
  );
  let [ours, real, matched] = [0, 0, 0];
  for (const { name, blocks } of responses(corpus, 'KEY_VALUE_SET')) {
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
    `${'all'.padEnd(50)}${`${ours}/${real}/${matched}`.padStart(24)}  ${(ours > 0 ? matched / ours : 0).toFixed(3).padStart(9)}  ${(real > 0 ? matched / real : 0).toFixed(3).padStart(6)}`,
  );
}

/** Prints table cell-text F1 per recorded response with tables, from its words alone. */
export function tablesFromWords(corpus: string, aspectOf: (name: string) => number | undefined): void {
  console.log(
    `\n${"TABLES alone (unruled), on the response's own words".padEnd(50)}  tables(ours/real)  cells(ours/real)  cell F1`,
  );
  for (const { name, blocks } of responses(corpus, 'TABLE')) {
    const pages = recordedPages(blocks, aspectOf(name) ?? letterAspect);
    const s = cellF1(
      assembleBlocks(pages, { featureTypes: ['TABLES'], queries: [] }, { withPage: true }),
      blocks,
    );
    console.log(
      `${name.padEnd(50)}  ${`${s.tables}/${s.referenceTables}`.padStart(17)}  ${`${s.cells}/${s.referenceCells}`.padStart(16)}  ${s.f1.toFixed(3).padStart(7)}`,
    );
  }
}
