/**
 * Table cell-text F1: the non-empty CELL texts of one result against another's, as multisets (each cell
 * is its WORDs' text, lower-cased and stripped as word F1 strips words). Cells are matched by text, so a
 * table found with one column too many still scores the cells it got right.
 */
import type { Block } from '@aws-sdk/client-textract';
import { normaliseWord } from '@docket/local/textract/word-f1';

export interface CellScore {
  tables: number;
  cells: number;
  referenceTables: number;
  referenceCells: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Text of every non-empty CELL of `blocks`. */
export function cellTexts(blocks: readonly Block[]): string[] {
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const out: string[] = [];
  for (const cell of blocks) {
    if (cell.BlockType !== 'CELL') continue;
    const words = (cell.Relationships ?? [])
      .filter((r) => r.Type === 'CHILD')
      .flatMap((r) => r.Ids ?? [])
      .map((id) => byId.get(id))
      .filter((b) => b?.BlockType === 'WORD')
      .map((b) => normaliseWord(b?.Text ?? ''))
      .filter((t) => t.length > 0);
    if (words.length > 0) out.push(words.join(' '));
  }
  return out;
}

export function cellF1(ours: readonly Block[], reference: readonly Block[]): CellScore {
  const mine = cellTexts(ours);
  const theirs = cellTexts(reference);
  const counts = new Map<string, number>();
  for (const t of theirs) counts.set(t, (counts.get(t) ?? 0) + 1);
  let matched = 0;
  for (const t of mine) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      matched++;
      counts.set(t, n - 1);
    }
  }
  const precision = mine.length > 0 ? matched / mine.length : 0;
  const recall = theirs.length > 0 ? matched / theirs.length : 0;
  const count = (bs: readonly Block[]) => bs.filter((b) => b.BlockType === 'TABLE').length;
  return {
    tables: count(ours),
    cells: mine.length,
    referenceTables: count(reference),
    referenceCells: theirs.length,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
}
