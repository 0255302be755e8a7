/**
 * How close FORMS output is to a real Textract response: key+value pair precision and recall, and
 * checkbox tick-state accuracy. Used by scripts/textract-fidelity.ts; asserts nothing.
 */
import type { Block } from '@aws-sdk/client-textract';

/** Text compared loosely: case, punctuation at the ends and runs of spaces do not count. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s:;.,*#-]+|[\s:;.,*-]+$/g, '')
    .trim();
}

function childText(block: Block, byId: ReadonlyMap<string, Block>): string {
  const ids = block.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? [];
  return ids
    .map((id) => {
      const child = byId.get(id);
      return child?.BlockType === 'SELECTION_ELEMENT' ? (child.SelectionStatus ?? '') : (child?.Text ?? '');
    })
    .join(' ');
}

/** Every KEY's "key = value" text, normalised; a checkbox value reads SELECTED or NOT_SELECTED. */
export function keyValueTexts(blocks: readonly Block[]): string[] {
  const byId = new Map(blocks.map((b) => [b.Id ?? '', b]));
  const out: string[] = [];
  for (const key of blocks) {
    if (key.BlockType !== 'KEY_VALUE_SET' || !key.EntityTypes?.includes('KEY')) continue;
    const valueId = key.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0];
    const value = valueId ? byId.get(valueId) : undefined;
    out.push(`${normalise(childText(key, byId))} = ${value ? normalise(childText(value, byId)) : ''}`);
  }
  return out;
}

export interface PairScore {
  ours: number;
  reference: number;
  matched: number;
  precision: number;
  recall: number;
}

/** Pairs whose key and value texts both match, as multisets. */
export function pairScore(ours: readonly Block[], reference: readonly Block[]): PairScore {
  const mine = keyValueTexts(ours);
  const real = keyValueTexts(reference);
  const left = new Map<string, number>();
  for (const t of real) left.set(t, (left.get(t) ?? 0) + 1);
  let matched = 0;
  for (const t of mine) {
    const n = left.get(t) ?? 0;
    if (n > 0) {
      matched++;
      left.set(t, n - 1);
    }
  }
  return {
    ours: mine.length,
    reference: real.length,
    matched,
    precision: mine.length > 0 ? matched / mine.length : 0,
    recall: real.length > 0 ? matched / real.length : 0,
  };
}

export interface TickScore {
  /** Selection elements in the reference. */
  reference: number;
  /** Found at their place with the same state. */
  correct: number;
  /** Found at their place at all. */
  found: number;
  accuracy: number;
}

/**
 * Each reference checkbox's state against ours at the same place (the centre of one inside the
 * other): a box we miss counts as wrong, whatever its state.
 */
export function tickScore(ours: readonly Block[], reference: readonly Block[]): TickScore {
  const boxes = (blocks: readonly Block[], page: number) =>
    blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT' && (b.Page ?? 1) === page);
  const pages = new Set(reference.map((b) => b.Page ?? 1));
  let total = 0;
  let correct = 0;
  let found = 0;
  for (const page of pages) {
    const mine = boxes(ours, page);
    for (const real of boxes(reference, page)) {
      total++;
      const r = real.Geometry?.BoundingBox ?? {};
      const [rx, ry] = [(r.Left ?? 0) + (r.Width ?? 0) / 2, (r.Top ?? 0) + (r.Height ?? 0) / 2];
      const match = mine.find((b) => {
        const o = b.Geometry?.BoundingBox ?? {};
        const [ox, oy] = [(o.Left ?? 0) + (o.Width ?? 0) / 2, (o.Top ?? 0) + (o.Height ?? 0) / 2];
        const inside = (x: number, y: number, g: typeof r) =>
          x >= (g.Left ?? 0) &&
          x <= (g.Left ?? 0) + (g.Width ?? 0) &&
          y >= (g.Top ?? 0) &&
          y <= (g.Top ?? 0) + (g.Height ?? 0);
        return inside(rx, ry, o) || inside(ox, oy, r);
      });
      if (!match) continue;
      found++;
      if (match.SelectionStatus === real.SelectionStatus) correct++;
    }
  }
  return { reference: total, correct, found, accuracy: total > 0 ? correct / total : 1 };
}
