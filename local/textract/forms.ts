/**
 * FORMS from recognised lines: KEY_VALUE_SET pairs for "label: value" layouts (several on a line,
 * or the value on the line below), labels above their values, and a short label-like line with a
 * value-like line beside it on the same row ("Invoice Date    January 25, 2016"), as Textract reads
 * invoice headers. Layout rules live in form-layout.ts, where keys start and end in a line in
 * form-keys.ts, strips of labels over their values in form-strips.ts, and the checks a candidate pair
 * passes in form-checks.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, geometry, unionBox, type IdFactory, type PageBlocks } from './blocks';
import {
  continuation,
  isContact,
  isLabel,
  lineBelow,
  lineBeside,
  lineText,
  sameRow,
  valueRow,
  valueColumn,
  valueUnder,
} from './form-layout';
import { continuesAbove, keyEnd, keyStart, markedField, markedFields, maxKeyWords } from './form-keys';
import { headerStrip } from './form-strips';
import { median } from './tables/grid';
import {
  checkboxAfter,
  columnOfFigures,
  figureColumns,
  figures,
  isHeading,
  isQuestion,
  boxesOnRow,
  looksLikeValueUnder,
  breaksOff,
  startsSentence,
} from './form-checks';

/** A key and its value as found on a page, with the KEY and VALUE blocks built for them. */
export interface KeyValuePair {
  keyText: string;
  valueText: string;
  key: Block;
  value: Block;
}

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

/** Values longer than this are prose that happens to follow a colon ("Note: please send…"), not fields. */
const maxValueWords = 12;
/** An address block's lines are short: a value over several lines of at most this many words each. */
const maxBlockLineWords = 6;
/** A colon key's value across a gap on its row starts within this many of the key's heights… */
const besideReach = 10;
/** …and runs on over gaps of at most this many. */
const besideStep = 4;
/** A "label" this many times the height of the line under it is a title (a shop's name over its phone). */
const titleSize = 2;
/** A value beside its key without a figure in it starts within this many of the key's heights. */
const besideNear = 5;

/**
 * A value's lines read as a field's value: up to `maxValueWords` in all, or an address block of short
 * lines closed by an e-mail or web address (a company, its street, its city and its e-mail, as an
 * invoice's "From:" prints).
 */
function fieldValue(lines: readonly (readonly Block[])[]): boolean {
  const words = lines.reduce((n, l) => n + l.length, 0);
  if (words <= maxValueWords) return true;
  const address = lines.length > 1 && isContact(lines[lines.length - 1] ?? []);
  return address && lines.every((l) => l.length <= maxBlockLineWords);
}

/**
 * Lines under a label that read as its value (`fieldValue`, or a block of short lines under a short
 * label: an address), not a paragraph: a label of five words or more over a line of five or more that
 * goes on under it is a paragraph's first lines.
 */
function underValue(label: readonly Block[], lines: readonly (readonly Block[])[]): boolean {
  if (label.length >= 5 && (lines[0]?.length ?? 0) >= 5 && lines.length > 1) return false;
  const block = label.length <= 3 && lines.length > 1 && lines.every((l) => l.length <= maxBlockLineWords);
  return fieldValue(lines) || block;
}

/**
 * Finds the KEY/VALUE pairs on one page. Blocks are new; the page's PAGE/LINE/WORD blocks are untouched.
 * Words in `reserved` (checkbox labels, already keys of their own) never start a key and end a value.
 *
 * Three layouts, in order: "Label: value" (the value after the colon up to the next "Key:" on the
 * line, or on the line below when nothing follows the colon); a label with its value directly under
 * it (a row of boxed fields, "City  State  Zip" over "Springfield  IL  62701"); and a label with its
 * value beside it across a gap. A value continues on the lines aligned under it (an address).
 */
export function findKeyValues(
  page: PageBlocks,
  newId: IdFactory = randomUUID,
  reserved: ReadonlySet<Block> = new Set(),
  tableRows: () => ReadonlyMap<string, { table: number; row: number }> = () => new Map(),
): KeyValuePair[] {
  /**
   * Line `label` over line `value` are cells of one unruled table's column, and the column goes on
   * under the value with data, not with the next label: an employment history's "Any Company" over
   * "Best Corp." over "Example Corp.", not an invoice's rows of headings over their values.
   */
  const cellsOfColumn = (label: number, value: number) => {
    const rows = tableRows();
    const row = (j: number | undefined) => rows.get(page.lines[j ?? -1]?.words[0]?.Id ?? '');
    const [at, under] = [row(label), row(value)];
    const next = lineBelow(page, value);
    const after = row(next);
    return (
      at !== undefined &&
      under !== undefined &&
      after !== undefined &&
      at.table === under.table &&
      after.table === under.table &&
      at.row < under.row &&
      under.row < after.row &&
      !isLabel(page.lines[next ?? -1]?.words ?? [])
    );
  };
  /** The next line on line `j`'s row, to its right, is a figure. */
  const figureNext = (j: number) => {
    const row = sameRow(page, j);
    const next = row[row.indexOf(j) + 1];
    return next !== undefined && figures(lineText(page, next));
  };
  // The page's usual print: a "label" in print twice that is a title, whatever is under it.
  let body: number | undefined;
  const bodyHeight = () => (body ??= median(page.lines.map((l) => boxOf(l.block).height)) || 1);
  const pairs: KeyValuePair[] = [];
  const pageNo = page.page.Page;
  const used = new Set<number>();
  const pair = (keyWords: Block[], valueWords: Block[]) =>
    pairs.push(keyValuePair(keyWords, valueWords, valueWords.map((w) => w.Text).join(' '), pageNo, newId));
  const free = (words: readonly Block[]) => {
    const stop = words.findIndex((w) => reserved.has(w));
    return stop < 0 ? [...words] : words.slice(0, stop);
  };
  const usable = (j: number) => !used.has(j) && !(page.lines[j]?.words ?? []).some((w) => reserved.has(w));
  /** `value` and the lines continuing it (all marked used), line by line. */
  const withContinuation = (
    valueLine: number,
    value: Block[],
    accept = fieldValue,
    block = false,
  ): Block[][] | undefined => {
    // A line that is a field of its own ("Account # 77-1200") does not continue the value above it.
    const fits = (j: number) => usable(j) && !markedField(page.lines[j]?.words ?? []);
    const more = continuation(page, valueLine, fits, 2, block);
    const lines = [value, ...more.map((j) => page.lines[j]?.words ?? [])];
    if (!accept(lines)) return undefined;
    for (const j of more) used.add(j);
    return lines;
  };
  /**
   * The lines after line `index` (a key with nothing after its colon) on its row that read as its
   * value: starting within `besideReach` of its heights, each next within `besideStep` of the last
   * ("(" and ") 314-8888" as OCR splits a phone number), none a "Key:" line or a checkbox's label, and
   * holding a figure or an e-mail address, or starting within `besideNear` (a name or a word filled
   * in beside its key, often by hand: "Relationship to Patient:  BROTHER"). A wordy line far across
   * the row is another column's.
   */
  const valueBeside = (index: number): number[] => {
    const key = boxOf(page.lines[index]?.block ?? {});
    const height = key.height * page.aspect;
    const row = sameRow(page, index);
    const out: number[] = [];
    let right = key.left + key.width;
    let near = false;
    for (const j of row.slice(row.indexOf(index) + 1)) {
      const b = boxOf(page.lines[j]?.block ?? {});
      const gap = b.left - right;
      // A line starting under the key (a taller line's box on its row) is not after it.
      if (out.length === 0 && b.left < key.left + key.width - height) continue;
      // Further across, a value in a column of values beside a column of keys (a statement's header:
      // "Statement Date:" … "03/31/2024" over "Account Number:" … "0042-118890", right-aligned).
      const column = out.length === 0 && gap > height * besideReach && valueColumn(page, index, j);
      if (gap < -height || (gap > height * (out.length === 0 ? besideReach : besideStep) && !column)) break;
      if (!usable(j) || keyEnd(page.lines[j]?.words ?? []) >= 0) break;
      if (out.length === 0) near = gap <= height * besideNear;
      out.push(j);
      right = b.left + b.width;
    }
    const words = out.flatMap((j) => page.lines[j]?.words ?? []);
    const text = words.map((w) => w.Text ?? '').join(' ');
    if (words.length === 0 || words.length > maxValueWords) return [];
    if (/\d/.test(text) || isContact(words)) return out;
    // Words without a figure: lines close beside the key ("Mary" and "Ann Smith" as OCR parts them),
    // not a hint in brackets ("(Last, First)"), and up to the next column's label over its own value
    // ("Name:   Date of Birth" over 01/02/1980).
    const firstWords = page.lines[out[0] ?? -1]?.words ?? [];
    if (!near || /^\(.*\)$/.test(firstWords.map((w) => w.Text ?? '').join(' '))) return [];
    const label = out.findIndex((j) => labelOverValue(j));
    return label < 0 ? out : out.slice(0, label);
  };
  /**
   * Line `j` reads as a label with its own value under it: a value that is not itself the value of a
   * "Key:" beside it (a form's next row: "Phone:  555-0100" under "Name:  JOHN SMITH").
   */
  const labelOverValue = (j: number): boolean => {
    const words = page.lines[j]?.words ?? [];
    const under = valueUnder(page, j);
    const underWords = under === undefined ? [] : (page.lines[under]?.words ?? []);
    if (!isLabel(words) || underWords.length === 0 || keyEnd(underWords) >= 0 || isLabel(underWords))
      return false;
    const row = sameRow(page, under ?? -1);
    const left = boxOf(page.lines[under ?? -1]?.block ?? {}).left;
    return !row.some(
      (k) =>
        k !== under &&
        boxOf(page.lines[k]?.block ?? {}).left < left &&
        keyEnd(page.lines[k]?.words ?? []) >= 0,
    );
  };
  page.lines.forEach((line, index) => {
    if (used.has(index) || (line.words[0] && reserved.has(line.words[0]))) return;
    let rest = line.words;
    let end = keyEnd(rest, true);
    // A long line ending in a colon that goes on from the line above is a paragraph's end, no key.
    if (end >= maxKeyWords && continuesAbove(page, index)) return;
    if (end < 0) return;
    used.add(index);
    while (end >= 0) {
      const keyWords = rest.slice(0, end + 1);
      const after = free(rest.slice(end + 1));
      // The value stops where the next "Key:" on the line starts ("Tel: 555 0100  Fax: 555 0101").
      const next = keyEnd(after.slice(1));
      const onLine = next < 0 ? after : after.slice(0, keyStart(after, next + 1));
      let value: Block[][] = [onLine];
      rest = next < 0 ? [] : after.slice(onLine.length);
      end = rest.length > 0 ? keyEnd(rest) : -1;
      // Nothing after the colon on its line: the value is across a gap on the same row ("Telephone
      // No.:   ( ) 314-8888"), else on the line below.
      const beside = onLine.length === 0 && rest.length === 0 ? valueBeside(index) : [];
      if (beside.length > 0) {
        for (const j of beside) used.add(j);
        value = [beside.flatMap((j) => page.lines[j]?.words ?? [])];
      } else if (onLine.length === 0 && rest.length === 0) {
        const below = lineBelow(page, index);
        const belowWords = below === undefined ? [] : (page.lines[below]?.words ?? []);
        // A question with boxes to answer it, under a blank "Phone: ____", is a form's next item; a
        // question alone under "Security Question:" is its value.
        const asks = below !== undefined && isQuestion(belowWords) && boxesOnRow(page, below);
        if (below !== undefined && usable(below) && keyEnd(belowWords) < 0 && !asks) {
          used.add(below);
          value = withContinuation(below, free(page.lines[below]?.words ?? []), () => true, true) ?? [];
        }
      } else if (rest.length === 0 && onLine.length > 0) {
        value = withContinuation(index, onLine, () => true, true) ?? [];
      }
      const valueWords = value.flat();
      // "Dwelling Type: ☐ House ☐ Flat": the boxes answer the question, each with its own pair.
      const boxes = valueWords.length === 0 && checkboxAfter(page, keyWords, index);
      if (fieldValue(value) && !boxes) pair(keyWords, valueWords);
    }
  });
  // "ST# 1477", "APPROVAL # 114801", "TRANS ID - 2516267815": receipts and slips mark a field's
  // label with "#" or set its value off with a dash, on one line.
  page.lines.forEach((line, index) => {
    if (!usable(index)) return;
    const marked = markedFields(free(line.words));
    if (marked.length > 0) {
      used.add(index);
      for (const m of marked) pair(m.key, m.value);
      return;
    }
    // "APPROVAL #" with its figure across a gap, read as a line of its own.
    const beside = lineBeside(page, index);
    const words = beside === undefined ? [] : (page.lines[beside]?.words ?? []);
    const across = markedField([...line.words, ...words]);
    if (beside === undefined || !usable(beside) || !across || across.value.length !== words.length) return;
    used.add(index);
    used.add(beside);
    pair(across.key, across.value);
  });
  const paragraph = new Set<number>();
  page.lines.forEach((line, index) => {
    if (!usable(index) || paragraph.has(index) || !isLabel(line.words, 8, 60, true)) return;
    const below = valueUnder(page, index);
    // A heading over a block of fields heads no strip either ("NORTH OFFICE" over its address).
    if (below !== undefined && isHeading(page, line.words, below, usable)) return;
    // A strip of labels, each over its own value: a pair for each.
    const strip = headerStrip(page, index, usable);
    if (strip) {
      for (const j of strip.lines) used.add(j);
      for (const p of strip.pairs) pair(p.key, p.value);
      return;
    }
    // A label and the line under it each with a figure next on its row, however far across, are rows
    // of a list ("Subtotal  $85.00" over "Tax (8.25%)  $7.01", a statement's row over the next): each
    // label's value is on its row, not under it.
    if (below !== undefined && figureNext(index) && figureNext(below)) return;
    // With the pieces OCR split off it on its row ("(" ")" "414-2285").
    const pieces = below === undefined ? [] : valueRow(page, index, below, usable);
    const words = below === undefined ? undefined : pieces.flatMap((j) => page.lines[j]?.words ?? []);
    if (below === undefined || !words || !usable(below) || keyEnd(words) >= 0) return;
    // Under a label, a value looks unlike a label (digits, an address, an e-mail): a wordy line under
    // a label is the next label, a table's next row, or the rest of a heading split over two lines.
    // The line under it decides (its pieces only add to it), and no piece is a label of its own.
    const first = page.lines[below]?.words ?? [];
    const labels = pieces.some((j) => isLabel(page.lines[j]?.words ?? []));
    if (labels || isLabel(words) || !looksLikeValueUnder(line.words, first)) return;
    if (words.length > maxValueWords || breaksOff(line.words) || startsSentence(first)) return;
    if (isHeading(page, line.words, below, usable) || columnOfFigures(page, below)) return;
    if (cellsOfColumn(index, below)) return;
    // Print twice the size of the line under it is a title or a logo over the text, not its label (a
    // document's headings are far more often that large than a field's label is).
    // So is print twice the page's usual height over smaller print (a title's second line).
    const [tall, under] = [boxOf(line.block).height, boxOf(page.lines[below]?.block ?? {}).height];
    if (tall > under * titleSize || (tall > bodyHeight() * titleSize && tall > under * 1.3)) return;
    // A paragraph under a heading, or a paragraph's lines, are no field's value, and its lines are no
    // labels of the lines under them.
    const value = withContinuation(below, words, (lines) => underValue(line.words, lines));
    if (!value) {
      for (const j of [below, ...continuation(page, below, usable)]) paragraph.add(j);
      return;
    }
    used.add(index);
    for (const j of pieces) used.add(j);
    pair(line.words, value.flat());
  });
  page.lines.forEach((line, index) => {
    if (!usable(index) || !isLabel(line.words, 5, 40, true)) return;
    const right = lineBeside(page, index);
    const words = right === undefined ? undefined : page.lines[right]?.words;
    if (right === undefined || !words || !usable(right) || isLabel(words)) return;
    // A lone letter or "No" beside a label is a table's tick or heading, not the label's value.
    const text = words.map((w) => w.Text ?? '').join(' ');
    if (words.length > maxValueWords || (!/\d/.test(text) && text.replace(/\W/g, '').length <= 3)) return;
    // A label with figures in two columns beside it ("Regular  10.00  32.00  320.00") heads a table's
    // row, as a payslip's earnings print: Textract pairs none of it.
    if (figures(text) && figureColumns(page, index, right)) return;
    used.add(index);
    used.add(right);
    pair(line.words, words);
  });
  return pairs;
}
