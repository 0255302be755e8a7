/**
 * Checks the pairing passes of forms.ts make on a candidate pair: a table's row of figures beside a
 * label, a row of checkboxes answering a key, a heading over a block of fields, a heading over a
 * column of figures, and a line under a label that reads as its value.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, unionBox, type Box, type PageBlocks } from './blocks';
import { continuation, isContact, lineBelow, lineText, sameRow } from './form-layout';
import { keyEnd } from './form-keys';

/** Text that is a figure: digits, without a word in it ("-40.60", "$ 386.15", "1,054.20"). */
export const figures = (text: string) => /\d/.test(text) && !/\p{L}{2}/u.test(text);

/**
 * The figure `value` beside label `label` is followed on the row by another figure about as close as
 * it is to the label: a table's columns ("Regular  10.00  32.00  320.00"), not a field and a figure
 * of another column far across the page.
 */
export function figureColumns(page: PageBlocks, label: number, value: number): boolean {
  const box = (j: number) => boxOf(page.lines[j]?.block ?? {});
  const row = sameRow(page, label);
  const next = row[row.indexOf(value) + 1];
  if (next === undefined) return false;
  const text = lineText(page, next);
  const [l, v, n] = [box(label), box(value), box(next)];
  const labelGap = v.left - (l.left + l.width);
  const nextGap = n.left - (v.left + v.width);
  return figures(text) && nextGap <= labelGap * 1.5 + l.height * page.aspect * 2;
}

/**
 * A checkbox on the key's row to its right, or on the line just under it in the key's column (from
 * two of its heights left of it up to the next line on its row, line `index`'s): a box under another
 * column of the page answers another question.
 */
export function checkboxAfter(page: PageBlocks, keyWords: readonly Block[], index: number): boolean {
  const key = unionBox(keyWords.map(boxOf));
  const bottom = key.top + key.height;
  const row = sameRow(page, index);
  const next = row[row.indexOf(index) + 1];
  const columnEnd = next === undefined ? Infinity : boxOf(page.lines[next]?.block ?? {}).left;
  // Page fractions across: a key's height measured along the page's width.
  const reach = key.height * 2 * page.aspect;
  // A question of its own before a box on its row is what the box answers ("Do you smoke? ☐ Yes");
  // the option's own label, ending just before its box ("Employee and spouse only ☐"), is not.
  const asked = (box: Box) =>
    page.lines.some(({ block, words }) => {
      const b = boxOf(block);
      const row = Math.abs(b.top + b.height / 2 - (box.top + box.height / 2)) < box.height;
      const own = b.left + b.width > box.left - box.width * 2.5;
      const before = b.left < box.left && b.left > key.left - reach;
      return row && before && (isQuestion(words) || (words.length >= 4 && !own));
    });
  return page.selections.some(({ box }) => {
    const centre = box.top + box.height / 2;
    const beside = centre > key.top && centre < bottom && box.left > key.left;
    const under =
      box.top >= bottom - key.height * 0.2 &&
      box.top - bottom < key.height * 1.5 &&
      box.left < columnEnd &&
      box.left + box.width > key.left - reach &&
      !asked(box);
    return beside || under;
  });
}

/**
 * A heading over a block of fields, not a label over its value: styled as a heading (capitals, or
 * print clearly larger than the line under it) with a "Key:" line closing the block under it
 * ("OFFICE FOR ALL OTHER AREAS" over an address and "Telephone: …"). Textract pairs none of it with the
 * heading.
 */
export function isHeading(
  page: PageBlocks,
  label: readonly Block[],
  below: number,
  usable: (j: number) => boolean,
): boolean {
  const text = label.map((w) => w.Text ?? '').join(' ');
  const capitals = label.length >= 2 && /\p{Lu}{2}/u.test(text) && !/\p{Ll}/u.test(text);
  const height = (words: readonly Block[]) => Math.max(0, ...words.map((w) => boxOf(w).height));
  const larger = height(label) > height(page.lines[below]?.words ?? []) * 1.25;
  if (!capitals && !larger) return false;
  const block = [below, ...continuation(page, below, usable)];
  const after = lineBelow(page, block[block.length - 1] ?? below);
  return after !== undefined && keyEnd(page.lines[after]?.words ?? []) >= 0;
}

/**
 * The line under a label heads a column of figures ("Number" over 111-22-2333 and 444-55-5666): the
 * label is the column's heading in a table, which Textract pairs with nothing.
 */
export function columnOfFigures(page: PageBlocks, value: number): boolean {
  const figures = (j: number | undefined) => {
    const text = (j === undefined ? [] : (page.lines[j]?.words ?? [])).map((w) => w.Text ?? '').join(' ');
    return /\d/.test(text) && !/\p{L}/u.test(text);
  };
  return figures(value) && figures(lineBelow(page, value));
}

const joiners = /^(of|to|and|or|for|the|a|an|in|on|at|by|with|from)$/i;

/** A label above and a line under it that reads as its value, not as the label's own second line. */
export function looksLikeValueUnder(label: readonly Block[], value: readonly Block[]): boolean {
  const last = label[label.length - 1]?.Text ?? '';
  const first = value[0]?.Text ?? '';
  const text = value.map((w) => w.Text ?? '').join(' ');
  // An e-mail or web address is a value, lower-case as it is.
  if (isContact(value)) return /^\p{Lu}/u.test(label[0]?.Text ?? '') && !joiners.test(last);
  return (
    /^\p{Lu}/u.test(label[0]?.Text ?? '') &&
    !joiners.test(last) &&
    !/^\p{Ll}/u.test(first) &&
    // "(Last, First, Middle)" explains the label; "( ) 555-0100" is a value.
    !(/^\(.*\)$/.test(text) && !/\d/.test(text))
  );
}

/** With `joiners`, words a sentence goes on after, as a label never ends ("… look forward to your"). */
const determiners = /^(your|our|my|their|his|her|its|this|that)$/i;

/** A line breaking off after a word a sentence goes on from ("… look forward to your"): no label. */
export function breaksOff(label: readonly Block[]): boolean {
  const last = label[label.length - 1]?.Text ?? '';
  return joiners.test(last) || determiners.test(last);
}

/** A line starting as a sentence does with a possessive ("Your federal wages …"): prose, no value. */
export function startsSentence(value: readonly Block[]): boolean {
  return /^(your|our|my|their)$/i.test(value[0]?.Text ?? '');
}

/** A line asking a question ("Are you 18 years of age or older?"): a form's item, never a value. */
export function isQuestion(words: readonly Block[]): boolean {
  return (words[words.length - 1]?.Text ?? '').endsWith('?');
}

/** A checkbox stands on line `index`'s row (its centre within the line's height). */
export function boxesOnRow(page: PageBlocks, index: number): boolean {
  const b = boxOf(page.lines[index]?.block ?? {});
  const middle = b.top + b.height / 2;
  return page.selections.some(({ box }) => Math.abs(box.top + box.height / 2 - middle) < b.height);
}
