/**
 * Where a field's value sits relative to its label, from line geometry alone: beside it on the same
 * row, directly under it (boxed forms print the label small at the top of the box), and on the lines
 * that continue a value (an address over two lines). Used by forms.ts.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, type Box, type PageBlocks } from './blocks';
import { keyEnd } from './form-keys';

/** A label may end in a full stop when it closes an abbreviation ("Social Security No.", "Acct."). */
const labelAbbreviation =
  /(^|\s)(No|Nos|Nr|Tel|Ref|Acct|Amt|Qty|Dept|Reg|ID|Id|NO|TEL|REF|ACCT|AMT|QTY|DEPT)\.$/;

/** A rate a label ends with ("Tax (8.25%)", "VAT @ 20%:"): the label's figure, no value. */
const rate = /\s\(?\d+(?:[.,]\d+)?\s?%\)?:?$/;

/**
 * Short, wordy, digit-free text: what a field label looks like. An e-mail or web address is a value.
 * With `rates`, a label may end in a rate ("Tax (8.25%)"): asked of a key, not of a value ("Fixed
 * 4.5%" under "Interest Rate" is its value).
 */
export function isLabel(words: readonly Block[], maxWords = 5, maxChars = 40, rates = false): boolean {
  if (words.length === 0 || words.length > maxWords || isContact(words)) return false;
  const text = words.map((w) => w.Text ?? '').join(' ');
  // A word of three letters or more: single letters and "M/F" are table headings and ticks, not labels.
  return (
    text.length <= maxChars &&
    /^\p{L}/u.test(text) &&
    !/\d/.test(rates ? text.replace(rate, '') : text) &&
    // A sentence's end, or a list going on after a comma ("Stainless steel hex bolts," over the
    // rest of its cell), is no label's.
    (!/[.!?,;]$/.test(text) || labelAbbreviation.test(text)) &&
    /\p{L}{3}/u.test(text)
  );
}

/** Line `j`'s words as one text (empty for no line). */
export function lineText(page: PageBlocks, j: number | undefined): string {
  return (page.lines[j ?? -1]?.words ?? []).map((w) => w.Text ?? '').join(' ');
}

const centre = (b: Box) => b.top + b.height / 2;

/** Lines on the same row as line `index` (their centres within half a height), in order left to right. */
export function sameRow(page: PageBlocks, index: number): number[] {
  const line = page.lines[index];
  if (!line) return [];
  const box = boxOf(line.block);
  return page.lines
    .map((other, j) => ({ j, b: boxOf(other.block) }))
    .filter(({ b }) => Math.abs(centre(b) - centre(box)) <= Math.max(box.height, b.height) * 0.5)
    .sort((a, b) => a.b.left - b.b.left)
    .map(({ j }) => j);
}

/** The nearest line to the right of line `index` on the same row, within a third of the page. */
export function lineBeside(page: PageBlocks, index: number): number | undefined {
  const line = page.lines[index];
  if (!line) return undefined;
  const box = boxOf(line.block);
  const right = box.left + box.width;
  let best: number | undefined;
  let bestGap = 0.35;
  for (const j of sameRow(page, index)) {
    const gap = boxOf(page.lines[j]?.block ?? {}).left - right;
    if (j !== index && gap >= 0 && gap < bestGap) [best, bestGap] = [j, gap];
  }
  return best;
}

/**
 * The first line under line `index` (within one and a half of its heights) that `fits` below it;
 * undefined when the nearest line under it does not fit.
 */
function nearestBelow(
  page: PageBlocks,
  index: number,
  fits: (b: Box, box: Box) => boolean,
): number | undefined {
  const line = page.lines[index];
  if (!line) return undefined;
  const box = boxOf(line.block);
  let best: number | undefined;
  let bestTop = Infinity;
  page.lines.forEach((other, j) => {
    if (j === index) return;
    const b = boxOf(other.block);
    const gap = b.top - (box.top + box.height);
    if (gap < -box.height * 0.2 || gap > Math.max(box.height, b.height) * 1.5) return;
    if (fits(b, box) && b.top < bestTop) [best, bestTop] = [j, b.top];
  });
  return best;
}

/** The next line that sits directly under line `index` and starts within two heights of its left edge. */
export function lineBelow(page: PageBlocks, index: number): number | undefined {
  return nearestBelow(page, index, (b, box) => Math.abs(b.left - box.left) <= box.height * page.aspect * 2);
}

/**
 * The line under a label that holds its value: directly below, overlapping the label's span across the
 * page, and not reaching into the next label's column on the label's row.
 */
export function valueUnder(page: PageBlocks, index: number): number | undefined {
  const row = sameRow(page, index);
  const at = row.indexOf(index);
  const next = row[at + 1];
  const nextLeft = next === undefined ? Infinity : boxOf(page.lines[next]?.block ?? {}).left;
  return nearestBelow(page, index, (b, box) => {
    const slack = box.height * page.aspect;
    // It starts in the label's column (at most a little left of the label, before the next label's
    // column) and does not run into the next label's column.
    const right = box.left + box.width;
    return (
      b.left >= box.left - slack * 8 &&
      b.left < Math.min(nextLeft, right + 0.15) &&
      b.left + b.width > box.left &&
      b.left + b.width <= nextLeft + slack
    );
  });
}

/**
 * Line `below` (a value under label `index`) and the pieces OCR split off it on its row ("(" ")"
 * "414-2285"): lines chained to it by gaps of up to `step` of its heights, all in the label's column
 * (from the label's left edge up to the next label on the label's row), up to a label of its own,
 * left to right.
 */
export function valueRow(
  page: PageBlocks,
  index: number,
  below: number,
  usable: (j: number) => boolean,
  step = 4,
): number[] {
  const label = boxOf(page.lines[index]?.block ?? {});
  const row = sameRow(page, index);
  const next = row[row.indexOf(index) + 1];
  const nextLeft = next === undefined ? Infinity : boxOf(page.lines[next]?.block ?? {}).left;
  const slack = label.height * page.aspect;
  const inColumn = (b: Box) => b.left >= label.left - slack && b.left + b.width <= nextLeft + slack;
  const pieces = sameRow(page, below).filter(
    (j) => j === below || (usable(j) && inColumn(boxOf(page.lines[j]?.block ?? {}))),
  );
  const at = pieces.indexOf(below);
  const height = boxOf(page.lines[below]?.block ?? {}).height * page.aspect;
  const gap = (a: number, b: number) => {
    const [x, y] = [boxOf(page.lines[a]?.block ?? {}), boxOf(page.lines[b]?.block ?? {})];
    return y.left - (x.left + x.width);
  };
  // The chain stops at a label of its own ("USD", "PAID" beside the amount).
  const joins = (a: number, b: number, piece: number) =>
    gap(a, b) <= height * step && !isLabel(page.lines[piece]?.words ?? []);
  let [from, to] = [at, at];
  while (from > 0 && joins(pieces[from - 1] ?? -1, pieces[from] ?? -1, pieces[from - 1] ?? -1)) from--;
  while (to < pieces.length - 1 && joins(pieces[to] ?? -1, pieces[to + 1] ?? -1, pieces[to + 1] ?? -1)) to++;
  return pieces.slice(from, to + 1);
}

/** An e-mail or web address: the contact line that closes an address block. */
export function isContact(words: readonly Block[]): boolean {
  return words.some((w) => /@\S+\.\S|:\/\/|^www\./i.test(w.Text ?? ''));
}

/** The most lines an address block under its first line runs to: suite, street, city, e-mail. */
const blockLines = 4;

/**
 * Lines that continue a value below line `index`: left-aligned with it, close under it, and neither a
 * key (`isKey`) nor a label; at most `max` of them, or up to four when they end in an e-mail or web
 * address (an address block: company, suite, street, city, e-mail, as an invoice's "From:" prints).
 * With `block` (the value of a "Key:"), lines that look like labels go on too when a line with a
 * figure or a contact closes them within the block's lines: a company's, a department's or a
 * building's name inside an address ("Receiving Dock B" over "Unit 4, Riverside Park").
 */
export function continuation(
  page: PageBlocks,
  index: number,
  usable: (j: number) => boolean,
  max = 2,
  block = false,
): number[] {
  const out: number[] = [];
  let last = index;
  const start = boxOf(page.lines[index]?.block ?? {}).left;
  // Where the first label-like line stands in `out`, when `block` let it in.
  let named = -1;
  while (out.length < Math.max(max, blockLines)) {
    const next = nearestBelow(
      page,
      last,
      (b, box) =>
        Math.abs(b.left - start) <= box.height * page.aspect &&
        b.top - (box.top + box.height) <= box.height * 0.8,
    );
    if (next === undefined || !usable(next)) break;
    const words = page.lines[next]?.words ?? [];
    const contact = isContact(words);
    if (words.some((w) => (w.Text ?? '').endsWith(':'))) break;
    if (!contact && isLabel(words, 8, 60)) {
      if (!block || words.length > blockLineWords) break;
      if (named < 0) named = out.length;
    }
    out.push(next);
    last = next;
    if (contact) break;
  }
  if (named >= 0) {
    // A label-like line stays only when an address's last line closes the block after it: a contact,
    // or a town with its figures ("Leeds LS10 1AB"). A label over a line of figures alone is the
    // next field ("Employee ID" over "E-1234"), where the block ends.
    const text = (j: number) => lineText(page, j);
    // A postcode or ZIP on a line of its own ("M1 4BT", "62704") is an address's last line.
    const postcode = (j: number) =>
      /^([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{5}(-\d{4})?)$/.test(text(j).trim());
    const closes = (j: number) =>
      isContact(page.lines[j]?.words ?? []) ||
      (/\d/.test(text(j)) && /\p{L}{3}/u.test(text(j))) ||
      postcode(j);
    const fieldAt = out.findIndex(
      (j, k) =>
        k > 0 &&
        isLabel(page.lines[out[k - 1] ?? -1]?.words ?? [], 8, 60) &&
        !/\p{L}{3}/u.test(text(j)) &&
        !postcode(j),
    );
    if (fieldAt > 0) out.splice(fieldAt - 1);
    let end = out.length - 1;
    while (end >= 0 && !closes(out[end] ?? -1)) end--;
    if (named < out.length) out.splice(end > named ? end + 1 : named);
  }
  const lines = out.map((j) => page.lines[j]?.words ?? []);
  const closed = out.length > 0 && isContact(lines[lines.length - 1] ?? []);
  // An address block closed by its city's figures, its lines short, runs to its block's lines.
  const address = block && named >= 0 && lines.every((l) => l.length <= blockLineWords);
  return closed || address ? out : out.slice(0, max);
}

/** An address block's lines are short: at most this many words each. */
const blockLineWords = 6;

/**
 * Line `value`, with a figure, across a wide gap beside key `index`, lines up with a figure beside
 * another "Key:" a row or two over or under, that key starting where `index` starts, and nothing
 * but such keys (or a table's row) under `index`: a column of keys beside a column of values (a
 * statement's header).
 */
export function valueColumn(page: PageBlocks, index: number, value: number): boolean {
  const [key, v] = [boxOf(page.lines[index]?.block ?? {}), boxOf(page.lines[value]?.block ?? {})];
  const slack = key.height * page.aspect;
  const text = (j: number | undefined) => lineText(page, j);
  const under = lineBelow(page, index);
  const digits = (j: number | undefined) => /\d/.test(text(j));
  // A line under the key that is no key and no table's row (three pieces or more on its row: the
  // headings of a table under the header) is the key's own value.
  const ownValue =
    under !== undefined && keyEnd(page.lines[under]?.words ?? []) < 0 && sameRow(page, under).length < 3;
  if (!digits(value) || ownValue) return false;
  return page.lines.some((l, k) => {
    const b = boxOf(l.block);
    const apart = Math.abs(b.top - key.top);
    if (apart < key.height || apart > key.height * 4 || Math.abs(b.left - key.left) > slack) return false;
    if (keyEnd(l.words) !== l.words.length - 1) return false;
    const row = sameRow(page, k);
    const j = row[row.indexOf(k) + 1];
    const next = boxOf(page.lines[j ?? -1]?.block ?? {});
    const edge = (x: Box) => x.left + x.width;
    const aligned = Math.abs(edge(next) - edge(v)) < slack || Math.abs(next.left - v.left) < slack;
    return next.width > 0 && aligned && digits(j);
  });
}
