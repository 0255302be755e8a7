/**
 * A strip of field labels over their values, each label over its own value ("CO.  FILE  DEPT.  CLOCK
 * NUMBER" over "ABC  126543  123456  12345  00000000", as a payslip's or an invoice's header prints
 * them): one pair per label, not the whole row as one key with the whole row under it as its value.
 * Used by forms.ts.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, unionBox, type Box, type PageBlocks } from './blocks';
import { keyEnd } from './form-keys';
import { isLabel, sameRow } from './form-layout';
import { median } from './tables/grid';

/** Words closer than this many of their print's heights are one phrase (a word space). */
const phraseSpace = 0.35;
/** Words of a line this close are one text running across columns (a word space, not a cell gap). */
const cellGap = 0.5;
/** A label word over no value joins a label word at most this many heights from it. */
const labelReach = 1;

/** Values stand within this many label heights under their labels (a header bar's padding). */
const valueGap = 2.5;

/** A value's next line starts within this many of its heights under it (a paragraph's leading). */
const goesOn = 0.8;

/**
 * Labels in print this many times the values' height or more are a heading's, not a strip's. Word
 * boxes of one font differ by their descenders: "Policy Type" over "1003" measures 1.31.
 */
const largerPrint = 1.6;

/** The next row under the values starts within this many of their heights (a table's row pitch). */
const rowReach = 4.5;

export interface StripPairs {
  pairs: { key: Block[]; value: Block[] }[];
  /** The lines of the strip and of the values under it (a table's headings alone: no pairs). */
  lines: number[];
}

const right = (b: Box) => b.left + b.width;
const overlaps = (a: Box, b: Box) => Math.min(right(a), right(b)) > Math.max(a.left, b.left);

/**
 * The strip of labels holding line `index` (the label lines along its row), when its labels and the
 * values under them pair up (`fieldsOf`): two fields or more, more than half the values with a
 * figure. The rows under the values decide what the strip is: a table's headings (no pairs, as
 * Textract pairs none of a table), a form's header whose fields end at the next strip, a "Key:" line
 * or an address, or one whose value goes on under itself (a description's second line). Undefined
 * when the line is no such strip.
 */
export function headerStrip(
  page: PageBlocks,
  index: number,
  usable: (j: number) => boolean,
): StripPairs | undefined {
  const label = (j: number) => usable(j) && isLabel(page.lines[j]?.words ?? [], 8, 60, true);
  const row = sameRow(page, index);
  const at = row.indexOf(index);
  const strip = [index];
  for (let k = at - 1; k >= 0 && label(row[k] ?? -1); k--) strip.unshift(row[k] ?? -1);
  for (let k = at + 1; k < row.length && label(row[k] ?? -1); k++) strip.push(row[k] ?? -1);
  const boxes = strip.map((j) => boxOf(page.lines[j]?.block ?? {}));
  const [left, top] = [Math.min(...boxes.map((b) => b.left)), Math.min(...boxes.map((b) => b.top))];
  const [end, bottom] = [Math.max(...boxes.map(right)), Math.max(...boxes.map((b) => b.top + b.height))];
  // Its print's height: its words' median (a tall box on its row, a signature, does not count).
  const lineHeight = median(strip.flatMap((j) => (page.lines[j]?.words ?? []).map((w) => boxOf(w).height)));
  // The values: the lines directly under the strip, across its span.
  const below = (from: number, height: number, j: number, reach: number) => {
    const b = boxOf(page.lines[j]?.block ?? {});
    return !strip.includes(j) && b.top + b.height / 2 > from && b.top - from < height * reach;
  };
  const under = page.lines
    .map((l, j) => ({ j, b: boxOf(l.block) }))
    .filter(
      ({ j, b }) =>
        below(bottom, lineHeight, j, valueGap) && overlaps(b, { left, top, width: end - left, height: 1 }),
    );
  if (under.length === 0) return undefined;
  // The first row of them: lines whose middles are within three quarters of a line of the topmost's.
  const first = under.reduce((a, b) => (b.b.top < a.b.top ? b : a));
  const middle = (b: Box) => b.top + b.height / 2;
  const values = under.filter(
    ({ b }) => Math.abs(middle(b) - middle(first.b)) <= Math.max(b.height, first.b.height) * 0.75,
  );
  if (values.some(({ j }) => !usable(j))) return undefined;
  // Fields: label and value words joined where a label stands over a value, or where two words are
  // closer than a phrase's space; a label word over no value joins the label word next to it
  // ("Sub" of "Sub Total" over "$85.00").
  const keyWords = strip.flatMap((j) => page.lines[j]?.words ?? []);
  const valueWords = values.flatMap(({ j }) => page.lines[j]?.words ?? []);
  // Print larger than the values' is a name or a heading over its text ("FIRST RIVER BANK" over its
  // address), not a row of labels: a field's label is not printed larger than its value.
  if (lineHeight > median(valueWords.map((w) => boxOf(w).height)) * largerPrint) return undefined;
  const fields = fieldsOf(keyWords, valueWords, page.aspect);
  if (!fields) return undefined;
  const spans = fields.map((f) => unionBox(f.value.map(boxOf)));
  const headed = headingsOver(page, strip, fields, lineHeight, usable);
  // The rows under the values, each starting close under the last (a next field's labels stop
  // them): one in two columns or more makes the strip a table's headings over its rows; figures in
  // one column make that column a column of figures, no field; words in one column are that value
  // going on (a description's second line).
  const valueHeight = Math.min(...values.map(({ b }) => b.height));
  const columnsOf = (b: Box) => spans.flatMap((v, i) => (overlaps(b, v) ? [i] : []));
  const column = (j: number) => columnsOf(boxOf(page.lines[j]?.block ?? {}));
  const rest = page.lines
    .map((l, j) => ({ j, b: boxOf(l.block), label: isLabel(l.words) }))
    .filter(({ j, b }) => !values.some((v) => v.j === j) && !strip.includes(j) && b.top > first.b.top)
    .sort((a, b) => a.b.top - b.b.top);
  const next: number[] = [];
  let rowBottom = Math.max(...values.map(({ b }) => b.top + b.height));
  for (let i = 0; i < rest.length;) {
    const rowTop = rest[i]?.b.top ?? 1;
    if (rowTop - rowBottom > valueHeight * rowReach) break;
    const whole = rest.filter(({ b }) => Math.abs(b.top - rowTop) < valueHeight * 0.5);
    i += whole.length;
    // A label of its own under the strip but outside its columns, with a figure on its row ("Sub
    // Total  $85.00" under an invoice's one row), is a field of its own: the strip's rows end there.
    const row = whole.filter(({ j }) => column(j).length > 0);
    const within = (b: Box) => b.left >= left && right(b) <= end;
    // A line another field holds, or a "Key:" line, under the strip: the rows end there.
    const field = (j: number) => !usable(j) || keyEnd(page.lines[j]?.words ?? []) >= 0;
    if (whole.some((r) => (within(r.b) || column(r.j).length > 0) && field(r.j))) break;
    if (whole.some((r) => r.label && within(r.b) && column(r.j).length === 0) && row.some((r) => !r.label))
      break;
    if (row.length === 0) continue;
    // A word across two columns, or a line running from one column to the next at a word's space,
    // is no cell (an address under the strip): the rows end there.
    if (row.some(({ j }) => runsAcross(page.lines[j]?.words ?? [], columnsOf, page.aspect))) break;
    // A row of labels alone in two columns or more is the next strip of a form's header.
    const columns = new Set(row.flatMap(({ j }) => column(j)));
    if (columns.size >= 2) {
      if (row.every((r) => r.label)) break;
      // Cells like the values over them, in two columns: a table's next row, whose headings Textract
      // pairs with nothing ("01/03" under "01/02", "Loan Amt Paid" under "Group Term Life"). In one
      // column ("444-55-5666" under "111-22-2333" beside a next field's "Signature"), the other rules
      // decide. In none (an address under a date), the strip's rows end.
      const cells = new Map<number, string[]>();
      for (const w of row.flatMap(({ j }) => page.lines[j]?.words ?? [])) {
        const c = columnsOf(boxOf(w));
        if (c.length === 1) cells.set(c[0] ?? -1, [...(cells.get(c[0] ?? -1) ?? []), w.Text ?? '']);
      }
      const valueText = (c: number) => fields[c]?.value.map((w) => w.Text ?? '').join(' ') ?? '';
      const alike = [...cells].filter(([c, t]) => kind(t.join(' ')) === kind(valueText(c)));
      if (alike.length >= 2) return { pairs: [], lines: strip };
      if (alike.length === 1) return undefined;
      break;
    }
    // One column: the value going on, close under it and starting where it starts; else the rows end.
    const span = spans[[...columns][0] ?? -1];
    const close = rowTop - rowBottom <= valueHeight * goesOn;
    const aligned = row.every(({ b }) => span && Math.abs(b.left - span.left) <= valueHeight * page.aspect);
    if (!close || !aligned) break;
    next.push(...row.map(({ j }) => j));
    rowBottom = Math.max(...row.map(({ b }) => b.top + b.height));
  }
  const more = next.filter((j) => column(j).length === 1 && usable(j));
  const figures = more.some((j) => kind(page.lines[j]?.block.Text ?? '') === 'figure');
  const kept = fields.flatMap((f, i) => {
    const below = more.filter((j) => column(j)[0] === i);
    if (figures && below.length > 0) return [];
    return [{ key: f.key, value: [...f.value, ...below.flatMap((j) => page.lines[j]?.words ?? [])] }];
  });
  const keptValues = new Set(kept.flatMap((f) => f.value));
  return {
    pairs: kept,
    lines: [
      ...strip,
      ...headed,
      ...[...values.map(({ j }) => j), ...(figures ? [] : more)].filter((j) =>
        (page.lines[j]?.words ?? []).some((w) => keptValues.has(w)),
      ),
    ],
  };
}

/**
 * The fields of a strip: its words joined where a label word stands over a value word or two words of
 * a row are a phrase's space apart, a label word over no value joined to the nearest label word
 * beside it; undefined unless there are two fields or more, each with label and value words, more
 * than half of the values with a figure.
 */
function fieldsOf(
  keyWords: readonly Block[],
  valueWords: readonly Block[],
  aspect: number,
): { key: Block[]; value: Block[] }[] | undefined {
  const words = [...keyWords, ...valueWords];
  const boxes = words.map(boxOf);
  const parent = words.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i] ?? i)));
  const join = (i: number, j: number) => (parent[root(i)] = root(j));
  const isKey = (i: number) => i < keyWords.length;
  const height = (i: number, j: number) => Math.max(boxes[i]?.height ?? 0, boxes[j]?.height ?? 0) * aspect;
  const gap = (i: number, j: number) => {
    const [a, b] = [boxes[i] ?? boxOf({}), boxes[j] ?? boxOf({})];
    return Math.max(b.left - right(a), a.left - right(b));
  };
  const over = words.map(() => false);
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      if (isKey(i) !== isKey(j) && overlaps(boxes[i] ?? boxOf({}), boxes[j] ?? boxOf({}))) {
        join(i, j);
        over[i] = over[j] = true;
      } else if (isKey(i) === isKey(j) && gap(i, j) < height(i, j) * phraseSpace) join(i, j);
    }
  for (let i = 0; i < keyWords.length; i++) {
    if (over[i]) continue;
    const near = keyWords
      .map((_, j) => j)
      .filter((j) => j !== i && over[j] && gap(i, j) <= height(i, j) * labelReach)
      .sort((a, b) => gap(i, a) - gap(i, b))[0];
    if (near !== undefined) join(i, near);
  }
  const groups = new Map<number, number[]>();
  words.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  const byLeft = (a: Block, b: Block) => boxOf(a).left - boxOf(b).left;
  const fields = [...groups.values()].map((g) => ({
    key: g
      .filter(isKey)
      .map((i) => words[i] ?? {})
      .sort(byLeft),
    value: g
      .filter((i) => !isKey(i))
      .map((i) => words[i] ?? {})
      .sort(byLeft),
  }));
  if (fields.length < 2 || fields.some((f) => f.key.length === 0 || f.value.length === 0)) return undefined;
  if (fields.filter((f) => f.value.some((w) => /\d/.test(w.Text ?? ''))).length * 2 <= fields.length)
    return undefined;
  return fields.sort((a, b) => byLeft(a.value[0] ?? {}, b.value[0] ?? {}));
}

/**
 * A run of one line's words (each less than half its height from the last: a word's space, not the
 * gap between a date and its description) touching two columns: one text, no cells.
 */
function runsAcross(words: readonly Block[], columnsOf: (b: Box) => number[], aspect: number): boolean {
  let run = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    const b = boxOf(words[i] ?? {});
    const a = boxOf(words[i - 1] ?? {});
    if (i > 0 && b.left - right(a) >= Math.max(a.height, b.height) * aspect * cellGap) run = new Set();
    for (const c of columnsOf(b)) run.add(c);
    if (run.size > 1) return true;
  }
  return false;
}

/** What a cell holds: a figure (digits, no word: "01/02", "B200", "$4.50"), words, or both ("12 Main St"). */
function kind(text: string): 'figure' | 'words' | 'both' {
  const digits = /\d/.test(text);
  const words = /\p{L}{2}/u.test(text);
  return digits && !words ? 'figure' : digits ? 'both' : 'words';
}

/**
 * Label lines set close over the strip, of its print, each word over exactly one field's label: the
 * first lines of headings printed over two lines ("Pay" over "Period" over its date). Their words
 * join those labels, in front (`fields` is changed); the lines are returned.
 */
function headingsOver(
  page: PageBlocks,
  strip: readonly number[],
  fields: { key: Block[]; value: Block[] }[],
  lineHeight: number,
  usable: (j: number) => boolean,
): number[] {
  const top = Math.min(...strip.map((j) => boxOf(page.lines[j]?.block ?? {}).top));
  const keys = fields.map((f) => unionBox(f.key.map(boxOf)));
  const over = page.lines.flatMap((l, j) => {
    const b = boxOf(l.block);
    const gap = top - (b.top + b.height);
    const sized = b.height < lineHeight * 1.5 && b.height > lineHeight / 1.5;
    if (strip.includes(j) || !usable(j) || !isLabel(l.words, 8, 60) || !sized) return [];
    if (gap < -lineHeight * 0.2 || gap > lineHeight * 0.5) return [];
    const to = l.words.map((w) => keys.flatMap((k, i) => (overlaps(boxOf(w), k) ? [i] : [])));
    return to.every((t) => t.length === 1) ? [{ j, to: to.map((t) => t[0] ?? 0) }] : [];
  });
  for (const { j, to } of over) {
    const words = page.lines[j]?.words ?? [];
    fields.forEach((f, i) => f.key.unshift(...words.filter((_, k) => to[k] === i)));
  }
  return over.map(({ j }) => j);
}
