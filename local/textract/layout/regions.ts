/**
 * A form's fields as one region, as Textract lays a form out: the labels, values and box labels of
 * a form's rows, each its own small paragraph by the lines' gaps, are one LAYOUT_KEY_VALUE when they
 * stand together (on one row, or one under the other) and some of them are "Label: value" lines
 * or rows of pieces side by side.
 */
import { unionBox, type Box } from '../blocks';
import type { LayoutGroup } from './index';

/** Blank space, in line heights, that still joins a form's rows into one region. */
const rowGap = 1.5;
/** Pieces on one row this many line heights apart or closer belong to one form row. */
const rowReach = 12;
/** A field's label, value or box label is a few words a line; prose runs longer. */
const fieldWords = 8;

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function fieldLike(g: LayoutGroup): boolean {
  if (g.type === 'LAYOUT_KEY_VALUE') return true;
  // A question over its answer ("Are there others in the household? / 123 Sample Street") is too.
  return (
    g.type === 'LAYOUT_TEXT' &&
    g.lines.filter((l) => words(l.text) <= fieldWords).length * 2 >= g.lines.length
  );
}

/** Vertical and horizontal gaps between two boxes (negative where they overlap). */
function gaps(a: Box, b: Box): { v: number; h: number } {
  return {
    v: Math.max(b.top - (a.top + a.height), a.top - (b.top + b.height)),
    h: Math.max(b.left - (a.left + a.width), a.left - (b.left + b.width)),
  };
}

/** Whether half or more of box a lies in box b. */
function inside(a: Box, b: Box): boolean {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 && w * h * 2 >= a.width * a.height;
}

/**
 * The groups with a form's neighbouring field groups merged into LAYOUT_KEY_VALUE regions: groups
 * that touch (one under another within `rowGap` lines, or side by side on a row within `rowReach`),
 * two lines or more of them, some of them "Label: value" lines or two rows of pieces side by side.
 */
export function formRegions(
  groups: readonly LayoutGroup[],
  lineHeight: number,
  aspect: number,
): LayoutGroup[] {
  const fields = groups.filter(fieldLike);
  const parent = fields.map((_, i) => i);
  const besides = new Map<number, number>();
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < fields.length; i++)
    for (let j = i + 1; j < fields.length; j++) {
      const [a, b] = [fields[i]!, fields[j]!];
      const { v, h } = gaps(a.box, b.box);
      // One of the two is a single line: a label, a value, a box's label. Paragraphs side by side or
      // one over another are a page's columns and paragraphs, not a form's rows.
      const piece = a.lines.length === 1 || b.lines.length === 1;
      const under = piece && h < 0 && v <= lineHeight * rowGap;
      const beside = piece && v < 0 && h <= lineHeight * aspect * rowReach;
      if (under || beside) parent[root(i)] = root(j);
      if (beside) besides.set(i, (besides.get(i) ?? 0) + 1);
    }
  const parts = new Map<number, LayoutGroup[]>();
  const rows = new Map<number, number>();
  fields.forEach((g, i) => {
    parts.set(root(i), [...(parts.get(root(i)) ?? []), g]);
    rows.set(root(i), (rows.get(root(i)) ?? 0) + (besides.get(i) ?? 0));
  });
  const merged = new Set<LayoutGroup>();
  const regions: LayoutGroup[] = [];
  for (const [r, found] of parts) {
    const part = [...found];
    const form = part.some((g) => g.type === 'LAYOUT_KEY_VALUE') || (rows.get(r) ?? 0) >= 2;
    if (part.length < 2 || part.flatMap((g) => g.lines).length < 2 || !form) continue;
    // Text standing inside the region (a note among the fields) is the region's too.
    const box = unionBox(part.map((g) => g.box));
    for (const g of groups)
      if (!part.includes(g) && g.type === 'LAYOUT_TEXT' && inside(g.box, box) && !merged.has(g)) part.push(g);
    const lines = part.flatMap((g) => g.lines);
    for (const g of part) merged.add(g);
    lines.sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
    regions.push({ type: 'LAYOUT_KEY_VALUE', lines, box: unionBox(lines.map((l) => l.box)) });
  }
  return [...groups.filter((g) => !merged.has(g)), ...regions];
}
