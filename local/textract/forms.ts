/**
 * FORMS from recognised lines: KEY_VALUE_SET pairs for "label: value" layouts. A line whose first
 * words end in a colon is a key; the rest of that line is its value, or, when nothing follows the
 * colon, the line just below it that starts near the key (labels above fields). A short label-like
 * line with a value-like line beside it on the same row ("Invoice Date    January 25, 2016") is a
 * pair too, as Textract reads invoice headers.
 */
import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, geometry, unionBox, type IdFactory, type PageBlocks } from './blocks';

/** A key and its value as found on a page, with the KEY and VALUE blocks built for them. */
export interface KeyValuePair {
  keyText: string;
  valueText: string;
  key: Block;
  value: Block;
}

const maxKeyWords = 6;

function confidence(words: readonly Block[]): number {
  if (words.length === 0) return 0;
  return words.reduce((sum, w) => sum + (w.Confidence ?? 0), 0) / words.length;
}

function kvBlock(
  entity: 'KEY' | 'VALUE',
  words: readonly Block[],
  page: number | undefined,
  id: string,
): Block {
  const box = words.length > 0 ? unionBox(words.map(boxOf)) : { left: 0, top: 0, width: 0, height: 0 };
  return {
    BlockType: 'KEY_VALUE_SET',
    Confidence: confidence(words),
    Geometry: geometry(box),
    Id: id,
    EntityTypes: [entity],
    ...(words.length > 0 ? { Relationships: [{ Type: 'CHILD', Ids: words.map((w) => w.Id ?? '') }] } : {}),
    ...(page !== undefined ? { Page: page } : {}),
  };
}

/**
 * A KEY block over `keyWords` pointing at a VALUE block over `valueChildren` (WORDs, or a
 * SELECTION_ELEMENT), as one pair.
 */
export function keyValuePair(
  keyWords: readonly Block[],
  valueChildren: readonly Block[],
  valueText: string,
  page: number | undefined,
  newId: IdFactory,
): KeyValuePair {
  const value = kvBlock('VALUE', valueChildren, page, newId());
  const key = kvBlock('KEY', keyWords, page, newId());
  key.Relationships = [{ Type: 'VALUE', Ids: [value.Id ?? ''] }, ...(key.Relationships ?? [])];
  const keyText = keyWords
    .map((w) => w.Text)
    .join(' ')
    .replace(/\s*:$/, '');
  return { keyText, valueText, key, value };
}

/** Where the key ends in a line's words: the index of the first word ending in ':' within reach. */
function keyEnd(words: readonly Block[]): number {
  for (let i = 0; i < Math.min(words.length, maxKeyWords); i++) {
    const text = words[i]?.Text ?? '';
    if (text.endsWith(':') && text.length > 1) return i;
    if (text === ':' && i > 0) return i;
  }
  return -1;
}

/**
 * Finds the KEY/VALUE pairs on one page. Blocks are new; the page's PAGE/LINE/WORD blocks are untouched.
 * Words in `reserved` (checkbox labels, already keys of their own) never start a key and end a value.
 */
export function findKeyValues(
  page: PageBlocks,
  newId: IdFactory = randomUUID,
  reserved: ReadonlySet<Block> = new Set(),
): KeyValuePair[] {
  const pairs: KeyValuePair[] = [];
  const pageNo = page.page.Page;
  const used = new Set<number>();
  const pair = (keyWords: Block[], valueWords: Block[]) =>
    pairs.push(keyValuePair(keyWords, valueWords, valueWords.map((w) => w.Text).join(' '), pageNo, newId));
  const free = (words: readonly Block[]) => {
    const stop = words.findIndex((w) => reserved.has(w));
    return stop < 0 ? [...words] : words.slice(0, stop);
  };
  page.lines.forEach((line, index) => {
    if (used.has(index) || (line.words[0] && reserved.has(line.words[0]))) return;
    const end = keyEnd(line.words);
    if (end < 0) return;
    used.add(index);
    let valueWords = free(line.words.slice(end + 1));
    if (valueWords.length === 0) {
      const below = lineBelow(page, index);
      if (below !== undefined && !used.has(below) && keyEnd(page.lines[below]?.words ?? []) < 0) {
        valueWords = free(page.lines[below]?.words ?? []);
        used.add(below);
      }
    }
    pair(line.words.slice(0, end + 1), valueWords);
  });
  page.lines.forEach((line, index) => {
    if (used.has(index) || !isLabel(line.words) || line.words.some((w) => reserved.has(w))) return;
    const right = lineBeside(page, index);
    const words = right === undefined ? undefined : page.lines[right]?.words;
    if (right === undefined || !words || used.has(right) || isLabel(words) || reserved.has(words[0] as Block))
      return;
    used.add(index);
    used.add(right);
    pair(line.words, words);
  });
  return pairs;
}

/** The next line that sits directly under line `index` and starts within two heights of its left edge. */
function lineBelow(page: PageBlocks, index: number): number | undefined {
  const line = page.lines[index];
  if (!line) return undefined;
  const box = boxOf(line.block);
  let best: number | undefined;
  let bestTop = Infinity;
  page.lines.forEach((other, j) => {
    if (j === index) return;
    const b = boxOf(other.block);
    const gap = b.top - (box.top + box.height);
    if (gap < -box.height * 0.2 || gap > box.height * 1.5) return;
    if (Math.abs(b.left - box.left) > box.height * page.aspect * 2) return;
    if (b.top < bestTop) {
      best = j;
      bestTop = b.top;
    }
  });
  return best;
}

/** Short, wordy, digit-free text: what a field label looks like. */
function isLabel(words: readonly Block[]): boolean {
  if (words.length === 0 || words.length > 5) return false;
  const text = words.map((w) => w.Text ?? '').join(' ');
  return text.length <= 40 && /^\p{L}/u.test(text) && !/\d/.test(text) && !/[.!?]$/.test(text);
}

/** The nearest line to the right of line `index` on the same row, within a third of the page. */
function lineBeside(page: PageBlocks, index: number): number | undefined {
  const line = page.lines[index];
  if (!line) return undefined;
  const box = boxOf(line.block);
  const centre = box.top + box.height / 2;
  const right = box.left + box.width;
  let best: number | undefined;
  let bestGap = 0.35;
  page.lines.forEach((other, j) => {
    if (j === index) return;
    const b = boxOf(other.block);
    if (Math.abs(b.top + b.height / 2 - centre) > Math.max(box.height, b.height) * 0.5) return;
    const gap = b.left - right;
    if (gap >= 0 && gap < bestGap) {
      best = j;
      bestGap = gap;
    }
  });
  return best;
}
