/**
 * Blank boxed fields: a label printed at the top of a ruled box with nothing written under it
 * ("Mailing Address", "City  State  Zip" over an empty row of boxes). Textract reports such a label
 * as a KEY whose VALUE holds no words, its geometry the empty space of the box; so do we, from the
 * page's ruling lines. A label whose box has a word under it is someone else's (findKeyValues pairs
 * it), and a table's heading row has no room under its labels before the next rule.
 */
import { boxOf, geometry, type Box, type IdFactory, type PageBlocks } from './blocks';
import { isLabel } from './form-layout';
import { keyValuePair, type KeyValuePair } from './forms';
import type { PageInk, Ruling } from './tables/page-ink';

/** Room under the label, in line heights, for a box to be a field and not a heading row. */
const minRoom = 0.8;
const maxRoom = 3;

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
  const aspect = page.aspect ?? 1;
  const boxes = page.lines.map((l) => boxOf(l.block));
  // Print size from the page's lines: a label's own box grows with brackets and italics.
  const lineHeight = median(boxes.map((b) => b.height));
  const pairs: KeyValuePair[] = [];
  page.lines.forEach((line, index) => {
    if (line.words.some((w) => taken.has(w.Id ?? '')) || !isLabel(line.words, 8, 60)) return;
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
    if (room < lineHeight * minRoom || room > lineHeight * maxRoom) return;
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
    // Anything written in the box under the label means it is not blank.
    const written = boxes.some(
      (b, j) =>
        j !== index &&
        b.left < field.left + field.width &&
        b.left + b.width > field.left &&
        b.top + b.height / 2 > bottom &&
        b.top + b.height / 2 < below.at,
    );
    if (written) return;
    const pair = keyValuePair(line.words, [], '', page.page.Page, newId);
    pair.value.Geometry = geometry(field);
    pairs.push(pair);
  });
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
