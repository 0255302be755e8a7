/**
 * Where a field's key starts and ends in a line of words (forms.ts): the first word ending in a colon
 * within reach, a question ending its line in one, the start of a second key after a value on the
 * same line, and fields receipts mark with "#" or a dash.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, type PageBlocks } from './blocks';

/** A key is at most this many words ("Telephone No.:", "Date of Birth:"). */
export const maxKeyWords = 6;
/** A whole line ending in a colon is a key up to this many words: a question, not a paragraph. */
const maxQuestionWords = 20;

/**
 * Where the key ends in a line's words: the index of the first word ending in ':' within reach. With
 * `question`, a whole line (its first words, not a key's rest) that ends in a colon counts too.
 */
export function keyEnd(words: readonly Block[], question = false): number {
  for (let i = 0; i < Math.min(words.length, maxKeyWords); i++) {
    const text = words[i]?.Text ?? '';
    if (text.endsWith(':') && text.length > 1) return i;
    if (text === ':' && i > 0) return i;
  }
  // A question or prompt ending its line in a colon is a key, however long ("List the names of
  // household members who are legal residents:" over "Jane Doe"), when it starts as a sentence does.
  const last = words.length - 1;
  const opens = /^[*•(]?[\p{Lu}\d]/u.test(words[0]?.Text ?? '');
  return question &&
    opens &&
    last >= maxKeyWords &&
    last < maxQuestionWords &&
    (words[last]?.Text ?? '').endsWith(':')
    ? last
    : -1;
}

/** A line of prose has at least this many words ("(" or a phone number's piece is none). */
const proseWords = 4;

/**
 * Line `index` goes on from the line of prose just above it: left-aligned with it, close under it,
 * and the line above does not end a sentence. The last line of a paragraph ending in a colon is prose.
 */
export function continuesAbove(page: PageBlocks, index: number): boolean {
  const box = boxOf(page.lines[index]?.block ?? {});
  return page.lines.some((other, j) => {
    if (j === index) return false;
    const b = boxOf(other.block);
    const gap = box.top - (b.top + b.height);
    return (
      gap >= -box.height * 0.2 &&
      gap < box.height * 0.8 &&
      Math.abs(b.left - box.left) <= box.height * page.aspect * 2 &&
      other.words.length >= proseWords &&
      !/[.:;?!]$/.test(other.block.Text ?? '')
    );
  });
}

/**
 * A line that is one field marked the way receipts print them: a label ending in "#" (or a lone "#"
 * after it, or before it: "# ITEMS SOLD 4") and a value holding a figure, or a label, a lone dash and
 * a short value. The label is
 * words, up to `maxKeyWords`; the dash belongs to neither side.
 */
export function markedField(words: readonly Block[]): { key: Block[]; value: Block[] } | undefined {
  const texts = words.map((w) => w.Text ?? '');
  // "# ITEMS SOLD 4": the mark before the label, a count after it.
  if (texts[0] === '#') {
    const at = texts.findIndex((t) => /\d/.test(t));
    const labelText = texts.slice(1, at).join(' ');
    if (at >= 2 && at <= maxKeyWords && words.length - at <= 2 && /^\p{L}[\p{L}\s'./]*$/u.test(labelText)) {
      return /\p{L}{2}/u.test(labelText) ? { key: words.slice(0, at), value: words.slice(at) } : undefined;
    }
  }
  for (let i = 0; i < Math.min(words.length - 1, maxKeyWords); i++) {
    const text = texts[i] ?? '';
    const label = text === '#' || text === '-' || text === '–' ? words.slice(0, i) : words.slice(0, i + 1);
    const labelText = label
      .map((w) => w.Text ?? '')
      .join(' ')
      .replace(/\s*#$/, '');
    if (label.length === 0 || !/^\p{L}[\p{L}\s'./]*$/u.test(labelText) || !/\p{L}{2}/u.test(labelText))
      continue;
    const value = words.slice(i + 1);
    const valueText = value.map((w) => w.Text ?? '').join(' ');
    if (text.endsWith('#') && /\d/.test(valueText) && value.length <= 3) {
      return { key: words.slice(0, i + 1), value };
    }
    // A code or a word in capitals set off by a dash ("TRANS ID - 2516…", "CARD TYPE - VISA"), not
    // words in title case ("Key - Values", a heading).
    const code = /\d/.test(valueText) || valueText === valueText.toUpperCase();
    if ((text === '-' || text === '–') && value.length <= 2 && code) return { key: label, value };
  }
  return undefined;
}

/**
 * The marked fields of a line: one ("ST# 1477"), or several in a row, each label ending in "#"
 * ("ST# 1477 OP# 19280104 TE# 20 TR# 21772", as a till prints its header on one line). None unless
 * every part is a marked field.
 */
export function markedFields(words: readonly Block[]): { key: Block[]; value: Block[] }[] {
  const marks = words.flatMap((w, i) => (i > 0 && /^\p{L}{2,}#$/u.test(w.Text ?? '') ? [i] : []));
  const parts = [0, ...marks].map((start, k) => words.slice(start, marks[k] ?? words.length));
  // Each part a field whose value is a figure ("OP# 1928 Thank you" ends in words: not a row of fields).
  const fields = parts.map((part) => markedField(part));
  const figure = (f: (typeof fields)[number]) => !!f && !f.value.some((w) => /\p{L}{2}/u.test(w.Text ?? ''));
  if (parts.length > 1 && fields.every(figure)) return fields.flatMap((f) => (f ? [f] : []));
  const one = markedField(words);
  return one ? [one] : [];
}

/**
 * Where the key that ends at word `colonAt` starts: after the widest gap between the words before it
 * when that gap is clearly wider than the others (fields are spaced apart, a key's words are not),
 * else at the colon word alone. The value before it keeps at least one word.
 */
export function keyStart(words: readonly Block[], colonAt: number): number {
  const gaps: number[] = [];
  for (let i = 1; i <= colonAt; i++) {
    const a = boxOf(words[i - 1] ?? {});
    gaps.push(boxOf(words[i] ?? {}).left - (a.left + a.width));
  }
  let widest = -1;
  gaps.forEach((g, i) => {
    if (widest < 0 || g > (gaps[widest] ?? 0)) widest = i;
  });
  if (widest < 0 || colonAt - (widest + 1) >= maxKeyWords) return colonAt;
  const wide = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return (gaps[widest] ?? 0) >= (sorted[Math.floor(sorted.length / 2)] ?? 0) * 2;
  };
  // With few gaps the median is the widest itself ("ALEJANDRO  Last Name:" has two): the widest is
  // then compared with the others, when what follows it reads as a key's start.
  // A key's first word in title case ("Last"), not a value's last word in capitals ("ROSALEZ").
  const keyLike = /^\p{Lu}\p{Ll}/u.test(words[widest + 1]?.Text ?? '');
  if (!wide(gaps) && !(keyLike && wide(gaps.filter((_, i) => i !== widest)))) return colonAt;
  return Math.max(1, widest + 1);
}
