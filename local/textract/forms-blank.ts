/**
 * Blank boxed fields: a label printed at the top of a ruled box with nothing written under it
 * ("Mailing Address", "City  State  Zip" over an empty row of boxes). Textract reports such a label
 * as a KEY whose VALUE holds no words, its geometry the empty space of the box; so do we, from the
 * page's ruling lines. A label whose box has a word under it is someone else's (findKeyValues pairs
 * it), and a table's heading row has no room under its labels before the next rule.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, geometry, type Box, type IdFactory, type PageBlocks } from './blocks';
import { looksLikeValueUnder } from './form-checks';
import { keyEnd } from './form-keys';
import { isLabel, lineText } from './form-layout';
import { keyValuePair, type KeyValuePair } from './forms';
import type { PageInk, Ruling } from './tables/page-ink';

/** Room under the label, in line heights, for a box to be a field and not a heading row. */
const minRoom = 0.8;
const maxRoom = 3;
/** A box written in holds a few lines of value under its label (a description, an address). */
const maxFilledRoom = 8;
/** More words than this in a box are a note or instructions, not a field's value. */
const maxFilledWords = 30;
/** A box's value starts within this many label heights of the label's left edge. */
const columnSlack = 4;
/** More words than this ending in a full stop are a sentence. */
const sentenceWords = 8;

/** A label at the top of its ruled box: the box's space under the label. */
interface LabelBox {
  index: number;
  /** From under the label down to the box's bottom rule, across the box (or to the next label). */
  field: Box;
}

/**
 * The labels printed at the top of a ruled box with room under them for a value, each with that room
 * (its `field`). `skip` lines are left alone. A table's heading row has no room under its labels
 * before the next rule, and a table's cells hold their text centred, not at the top.
 */
function labelBoxes(
  page: PageBlocks,
  ink: PageInk,
  skip: (index: number) => boolean,
  maxRoomLines: number,
): LabelBox[] {
  const aspect = page.aspect ?? 1;
  const boxes = page.lines.map((l) => boxOf(l.block));
  // Print size from the page's lines: a label's own box grows with brackets and italics.
  const lineHeight = median(boxes.map((b) => b.height));
  const out: LabelBox[] = [];
  page.lines.forEach((line, index) => {
    if (skip(index) || !isLabel(line.words, 8, 60)) return;
    const box = boxes[index]!;
    const spans = (r: Ruling) => r.from <= box.left + box.height * aspect && r.to >= box.left + box.width;
    // The rule over the label's box may cut its tallest strokes (brackets, capitals).
    const top = box.top + box.height * 0.5;
    const above = nearest(
      ink.horizontal.filter((r) => r.at <= top && spans(r)),
      (r) => top - r.at,
    );
    const below = nearest(
      ink.horizontal.filter((r) => r.at >= box.top + box.height && spans(r)),
      (r) => r.at - box.top - box.height,
    );
    if (!above || !below || box.top - above.at > lineHeight * 1.2) return;
    const room = below.at - box.top - box.height;
    if (room < lineHeight * minRoom || room > lineHeight * maxRoomLines) return;
    // A field's label stands at the top of its box; a table cell's text is centred in it.
    if (room < Math.max(0, box.top - above.at) * 2) return;
    // A row of labels holds no figures; a table's row beside the cell does (dates, ages, numbers).
    const row = page.lines.filter((_, j) => {
      const b = boxes[j]!;
      const centre = b.top + b.height / 2;
      return j !== index && centre > Math.max(box.top, above.at) && centre < box.top + box.height;
    });
    if (row.some((l) => /\d/.test(l.block.Text ?? ''))) return;
    // The box's sides: the vertical rulings nearest the label, else the label's own width.
    const crosses = (r: Ruling) =>
      r.from <= above.at + box.height * 0.5 && r.to >= below.at - box.height * 0.5;
    const left = nearest(
      ink.vertical.filter((r) => r.at <= box.left && crosses(r)),
      (r) => box.left - r.at,
    );
    const right = nearest(
      ink.vertical.filter((r) => r.at >= box.left + box.width && crosses(r)),
      (r) => r.at - box.left - box.width,
    );
    // Up to the next label on the row, when it comes before the box's right side.
    const bottom = box.top + box.height;
    const nextOnRow = boxes
      .filter((b) => b.left > box.left + box.width && b.top < bottom && b.top + b.height > box.top)
      .map((b) => b.left);
    const fieldLeft = left?.at ?? box.left;
    const fieldRight = Math.min(right?.at ?? Infinity, ...nextOnRow);
    const field: Box = {
      left: fieldLeft,
      top: bottom,
      width: (Number.isFinite(fieldRight) ? fieldRight : box.left + box.width) - fieldLeft,
      height: below.at - bottom,
    };
    out.push({ index, field });
  });
  return out;
}

/** The lines (other than `index`) whose middles stand inside `field`. */
function linesIn(page: PageBlocks, field: Box, index: number): number[] {
  return page.lines.flatMap((l, j) => {
    const b = boxOf(l.block);
    const inside =
      b.left < field.left + field.width &&
      b.left + b.width > field.left &&
      b.top + b.height / 2 > field.top &&
      b.top + b.height / 2 < field.top + field.height;
    return j !== index && inside ? [j] : [];
  });
}

/**
 * KEY/VALUE pairs with empty values for labels alone at the top of their ruled box. `taken` holds
 * the ids of the words already in pairs or checkbox labels: their lines are left alone.
 */
export function blankFields(
  page: PageBlocks,
  ink: PageInk | undefined,
  taken: ReadonlySet<string>,
  newId: IdFactory,
): KeyValuePair[] {
  if (!ink || ink.horizontal.length === 0) return [];
  const skip = (j: number) => (page.lines[j]?.words ?? []).some((w) => taken.has(w.Id ?? ''));
  return labelBoxes(page, ink, skip, maxRoom).flatMap(({ index, field }) => {
    // Anything written in the box under the label means it is not blank.
    if (linesIn(page, field, index).length > 0) return [];
    const pair = keyValuePair(page.lines[index]?.words ?? [], [], '', page.page.Page, newId);
    pair.value.Geometry = geometry(field);
    return [pair];
  });
}

/**
 * KEY/VALUE pairs for labels at the top of a ruled box with words written under them in the box
 * (a name or a city filled in under "Last Name" or "City", over one line or a few): the box says
 * whose value they are, which their look (words, like a label's) does not. A label with anything
 * beside it on its row in the box is left to the other passes ("Address: 12 Main St" over its town).
 * Words in `reserved` (checkbox labels) are no part of one.
 */
export function filledFields(
  page: PageBlocks,
  ink: PageInk | undefined,
  reserved: ReadonlySet<Block>,
  newId: IdFactory,
): KeyValuePair[] {
  if (!ink || ink.horizontal.length === 0) return [];
  const held = (j: number) => (page.lines[j]?.words ?? []).some((w) => reserved.has(w));
  const used = new Set<number>();
  const pairs: KeyValuePair[] = [];
  for (const { index, field } of labelBoxes(page, ink, held, maxFilledRoom)) {
    if (used.has(index)) continue;
    const label = boxOf(page.lines[index]?.block ?? {});
    const beside = page.lines.some((l, j) => {
      const b = boxOf(l.block);
      const middle = b.top + b.height / 2;
      return (
        j !== index &&
        middle > label.top &&
        middle < label.top + label.height &&
        b.left > label.left + label.width &&
        b.left < field.left + field.width
      );
    });
    // The value starts in the label's column (a line far across the box is another field's).
    const slack = label.height * (page.aspect ?? 1) * columnSlack;
    const inside = linesIn(page, field, index).filter(
      (j) => Math.abs(boxOf(page.lines[j]?.block ?? {}).left - label.left) <= slack,
    );
    if (beside || inside.length === 0 || inside.some((j) => held(j) || used.has(j))) continue;
    // A later label over a line of figures or a code of its own ("Phone" over its number, "Date of
    // Application" over its date) starts the next field in the box; a label-like line over words
    // is an address's or a name's next line ("Finance Department" over "100 Main Street").
    const text = (j: number) => lineText(page, j);
    inside.sort((a, b) => boxOf(page.lines[a]?.block ?? {}).top - boxOf(page.lines[b]?.block ?? {}).top);
    const next = inside.findIndex(
      (j, k) =>
        k > 0 &&
        isLabel(page.lines[j]?.words ?? [], 8, 60) &&
        inside[k + 1] !== undefined &&
        !/\p{L}{3}/u.test(text(inside[k + 1] ?? -1)),
    );
    if (next > 0) inside.splice(next);
    const words = inside
      .sort((a, b) => {
        const [p, q] = [boxOf(page.lines[a]?.block ?? {}), boxOf(page.lines[b]?.block ?? {})];
        return Math.abs(p.top - q.top) < Math.min(p.height, q.height) / 2 ? p.left - q.left : p.top - q.top;
      })
      .flatMap((j) => page.lines[j]?.words ?? []);
    // A label of its own in the box ("Zip" under "City" in a box of two rows) is no value, nor the
    // label's own next line ("U.S. Citizen" over "or Eligible Non-citizen" in a table's heading).
    if (inside.some((j) => keyEnd(page.lines[j]?.words ?? []) >= 0) || words.length > maxFilledWords)
      continue;
    if (!looksLikeValueUnder(page.lines[index]?.words ?? [], page.lines[inside[0] ?? -1]?.words ?? []))
      continue;
    // A sentence is a box's instructions, no value ("Complete all sections in black ink.").
    const value = words.map((w) => w.Text ?? '').join(' ');
    if (value.split(/\s+/).length > sentenceWords && /[.!]$/.test(value)) continue;
    for (const j of [index, ...inside]) used.add(j);
    pairs.push(keyValuePair(page.lines[index]?.words ?? [], words, value, page.page.Page, newId));
  }
  return pairs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function nearest(rulings: Ruling[], distance: (r: Ruling) => number): Ruling | undefined {
  let best: Ruling | undefined;
  for (const r of rulings) if (!best || distance(r) < distance(best)) best = r;
  return best;
}
