/**
 * The fidelity measure used against real Textract: multiset F1 of WORD texts, lower-cased, with
 * punctuation other than `$.,:/-` removed.
 */
import type { Block } from '@aws-sdk/client-textract';

/** A word as the measure compares it; empty when nothing but removed punctuation was left. */
export function normaliseWord(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}$.,:/-]/gu, '');
}

function counts(blocks: readonly Block[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const b of blocks) {
    if (b.BlockType !== 'WORD') continue;
    const w = normaliseWord(b.Text ?? '');
    if (w) out.set(w, (out.get(w) ?? 0) + 1);
  }
  return out;
}

export interface WordScore {
  precision: number;
  recall: number;
  f1: number;
  ours: number;
  reference: number;
}

/** Multiset precision, recall and F1 of `ours` WORD blocks against `reference` WORD blocks. */
export function wordF1(ours: readonly Block[], reference: readonly Block[]): WordScore {
  const a = counts(ours);
  const b = counts(reference);
  let overlap = 0;
  for (const [w, n] of a) overlap += Math.min(n, b.get(w) ?? 0);
  const total = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  const nOurs = total(a);
  const nRef = total(b);
  const precision = nOurs === 0 ? 0 : overlap / nOurs;
  const recall = nRef === 0 ? 0 : overlap / nRef;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, ours: nOurs, reference: nRef };
}
