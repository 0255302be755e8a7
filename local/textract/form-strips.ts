/**
 * A strip of field labels over their values, each label over its own value ("CO.  FILE  DEPT.  CLOCK
 * NUMBER" over "ABC  126543  123456  12345  00000000", as a payslip's or an invoice's header prints
 * them): one pair per label, not the whole row as one key with the whole row under it as its value.
 * Used by forms.ts.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, type Box, type PageBlocks } from './blocks';
import { isLabel, sameRow } from './form-layout';

/** Label lines on a row chain into one strip across gaps of up to this many of their heights. */
const stripGap = 3;

/** Fields side by side are set apart by half their print's height or more (a word space is less). */
const fieldSpace = 0.5;

export interface StripPairs {
  pairs: { key: Block[]; value: Block[] }[];
  /** The lines of the strip and of the values under it (a table's headings alone: no pairs). */
  lines: number[];
}

const right = (b: Box) => b.left + b.width;
const overlaps = (a: Box, b: Box) => Math.min(right(a), right(b)) > Math.max(a.left, b.left);

/**
 * The strip of labels holding line `index` (label lines chained along its row), when every value
 * word under it stands under labels of its own and every label word over exactly one value: the
 * values set apart by more than a word's space, more than half of them with a figure. A second row
 * of values in the same columns makes it a table's headings over its rows: no pairs, as Textract
 * pairs none of a table. Undefined when the line is no such strip.
 */
export function headerStrip(
  page: PageBlocks,
  index: number,
  usable: (j: number) => boolean,
): StripPairs | undefined {
  const box = boxOf(page.lines[index]?.block ?? {});
  const height = box.height * page.aspect;
  const label = (j: number) => usable(j) && isLabel(page.lines[j]?.words ?? [], 8, 60);
  const row = sameRow(page, index);
  const at = row.indexOf(index);
  const strip = [index];
  for (const step of [-1, 1])
    for (let k = at + step; k >= 0 && k < row.length; k += step) {
      const j = row[k] ?? -1;
      const b = boxOf(page.lines[j]?.block ?? {});
      const edge = boxOf(page.lines[strip[step < 0 ? 0 : strip.length - 1] ?? -1]?.block ?? {});
      const gap = step < 0 ? edge.left - right(b) : b.left - right(edge);
      if (!label(j) || gap > height * stripGap) break;
      if (step < 0) strip.unshift(j);
      else strip.push(j);
    }
  const boxes = strip.map((j) => boxOf(page.lines[j]?.block ?? {}));
  const [left, top] = [Math.min(...boxes.map((b) => b.left)), Math.min(...boxes.map((b) => b.top))];
  const [end, bottom] = [Math.max(...boxes.map(right)), Math.max(...boxes.map((b) => b.top + b.height))];
  const lineHeight = bottom - top;
  // The values: the lines directly under the strip, all within its span across the page.
  const under = page.lines
    .map((l, j) => ({ j, b: boxOf(l.block) }))
    .filter(({ j, b }) => !strip.includes(j) && b.top + b.height / 2 > bottom)
    .filter(
      ({ b }) =>
        b.top - bottom < lineHeight * 1.5 && overlaps(b, { left, top, width: end - left, height: 1 }),
    );
  if (under.length === 0) return undefined;
  const first = Math.min(...under.map(({ b }) => b.top));
  const values = under.filter(({ b }) => b.top - first < lineHeight * 0.5);
  if (values.some(({ j }) => !usable(j))) return undefined;
  const keyWords = strip
    .flatMap((j) => page.lines[j]?.words ?? [])
    .sort((a, b) => boxOf(a).left - boxOf(b).left);
  const valueWords = values
    .flatMap(({ j }) => page.lines[j]?.words ?? [])
    .sort((a, b) => boxOf(a).left - boxOf(b).left);
  if (
    valueWords.length < 2 ||
    valueWords.filter((w) => /\d/.test(w.Text ?? '')).length * 2 <= valueWords.length
  )
    return undefined;
  // Each label word over exactly one value word, each value word under one label word or more.
  const keys: Block[][] = valueWords.map(() => []);
  for (const k of keyWords) {
    const over = valueWords.flatMap((v, i) => (overlaps(boxOf(k), boxOf(v)) ? [i] : []));
    if (over.length !== 1) return undefined;
    keys[over[0] ?? 0]?.push(k);
  }
  if (keys.some((k) => k.length === 0)) return undefined;
  // Fields are set apart by more than a word's space (a label's words need not be: "CLOCK NUMBER"
  // over two values is two labels).
  for (let i = 1; i < valueWords.length; i++) {
    const [a, b] = [boxOf(valueWords[i - 1] ?? {}), boxOf(valueWords[i] ?? {})];
    if (b.left - right(a) < Math.max(a.height, b.height) * page.aspect * fieldSpace) return undefined;
  }
  // A second row of values in the same columns under the first: a table's heading over its rows.
  const valuesBottom = Math.max(...values.map(({ b }) => b.top + b.height));
  const valueHeight = Math.min(...values.map(({ b }) => b.height));
  const next = page.lines
    .filter((l) => {
      const b = boxOf(l.block);
      return b.top > valuesBottom - valueHeight * 0.2 && b.top - valuesBottom < valueHeight * 1.5;
    })
    .flatMap((l) => l.words);
  const columns = new Set(
    next.flatMap((w) => valueWords.flatMap((v, i) => (overlaps(boxOf(w), boxOf(v)) ? [i] : []))),
  );
  if (columns.size >= 2) return { pairs: [], lines: strip };
  return {
    pairs: valueWords.map((v, i) => ({ key: keys[i] ?? [], value: [v] })),
    lines: [...strip, ...values.map(({ j }) => j)],
  };
}
