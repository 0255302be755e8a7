/**
 * FORMS for checkboxes, as Textract reports them: a SELECTION_ELEMENT block (SELECTED or NOT_SELECTED)
 * as the VALUE of a KEY made of the label printed beside it, on either side ("☑ Condo/Townhome" or
 * "Condo/Townhome ☑" → KEY "Condo/Townhome", VALUE → SELECTION_ELEMENT). A box with no label beside it,
 * or printed as a cell of a ruled table, stands alone.
 */
import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, geometry, type Box, type IdFactory, type PageBlocks } from './blocks';
import { keyValuePair, type KeyValuePair } from './forms';

export interface SelectionForms {
  /** Every SELECTION_ELEMENT block, paired or not. */
  elements: Block[];
  pairs: KeyValuePair[];
  /** The words that became checkbox keys. */
  labelWords: Set<Block>;
}

const centreY = (b: Box) => b.top + b.height / 2;

/**
 * The label words beside a checkbox, on the side whose nearest word is closer ("☐ Yes  ☐ No" and
 * "Yes ☐  No ☐" both): one phrase on its row, up to the next checkbox that way, in reading order.
 * `rowSide` is the side the other boxes on its row take theirs: a question ending in a colon just
 * before the first box ("Marital Status: ☑ Single  ☐ Married") asks, and the box takes its option's
 * label on the row's side.
 */
function labelOf(
  box: Box,
  words: readonly Block[],
  boxes: readonly Box[],
  aspect: number,
  rowSide?: 'left' | 'right',
): { words: Block[]; side: 'left' | 'right' } {
  const right = labelOn('right', box, words, boxes, aspect);
  const left = labelOn('left', box, words, boxes, aspect);
  if (left.words.length === 0) return { words: right.words, side: 'right' };
  if (right.words.length === 0) return { words: left.words, side: 'left' };
  const asks = (left.words[left.words.length - 1]?.Text ?? '').endsWith(':');
  if (asks && rowSide === 'right') return { words: right.words, side: 'right' };
  return left.gap < right.gap * 0.8
    ? { words: left.words, side: 'left' }
    : { words: right.words, side: 'right' };
}

function labelOn(
  side: 'left' | 'right',
  box: Box,
  words: readonly Block[],
  boxes: readonly Box[],
  aspect: number,
): { words: Block[]; gap: number } {
  const sameRow = (b: Box) => Math.abs(centreY(b) - centreY(box)) < Math.max(box.height, b.height) * 0.6;
  const right = box.left + box.width;
  const outward = side === 'right' ? (b: Box) => b.left - right : (b: Box) => box.left - (b.left + b.width);
  // Words further than the next checkbox that way belong to that box.
  const nextBox = boxes
    .filter((b) => b !== box && sameRow(b) && outward(b) > 0)
    .reduce((min, b) => Math.min(min, outward(b)), Infinity);
  const row = words
    .map((w) => ({ w, b: boxOf(w) }))
    .filter(({ b }) => sameRow(b) && outward(b) >= -box.width * 0.2 && outward(b) + b.width <= nextBox)
    .sort((a, b) => outward(a.b) - outward(b.b));
  const label: Block[] = [];
  let reached = 0;
  for (const { w, b } of row) {
    // The first word sits just beside the box; later ones continue the phrase without a column gap.
    const reach = label.length === 0 ? box.width * 2.5 : b.height * aspect * 1.5;
    if (outward(b) - reached > reach) break;
    // A word ending in a colon ends a label: after the box, the option's ("☐ Other: please identify",
    // as Textract reads it); before the box and the label, the question the boxes answer
    // ("Preferred contact:  Email ☐"), no part of the option's; next to the box, the box's own
    // ("Smoker: ☑").
    const colon = (w.Text ?? '').endsWith(':');
    if (colon && side === 'left' && label.length > 0) break;
    label.push(w);
    reached = outward(b) + b.width;
    if (colon) break;
  }
  const gap = row[0] ? outward(row[0].b) : Infinity;
  return { words: side === 'right' ? label : label.reverse(), gap };
}

/** SELECTION_ELEMENT blocks for a page's checkboxes, with their KEY/VALUE pairs. */
export function selectionForms(page: PageBlocks, newId: IdFactory = randomUUID): SelectionForms {
  const pageNo = page.page.Page;
  const words = page.lines.flatMap((l) => l.words);
  const boxes = page.selections.map((s) => s.box);
  const elements: Block[] = [];
  const pairs: KeyValuePair[] = [];
  const labelWords = new Set<Block>();
  // The side each box's label is on by itself, and the side the other boxes on its row agree on.
  const sides = boxes.map((b) => labelOf(b, words, boxes, page.aspect).side);
  const rowSide = (i: number): 'left' | 'right' | undefined => {
    const box = boxes[i] as Box;
    const others = boxes.flatMap((b, j) =>
      j !== i && Math.abs(centreY(b) - centreY(box)) < box.height ? [sides[j]] : [],
    );
    const side = others[0];
    return others.length > 0 && others.every((s) => s === side) ? side : undefined;
  };
  page.selections.forEach((selection, i) => {
    const element: Block = {
      BlockType: 'SELECTION_ELEMENT',
      Confidence: selection.confidence,
      Geometry: geometry(selection.box),
      Id: newId(),
      SelectionStatus: selection.selected ? 'SELECTED' : 'NOT_SELECTED',
      ...(pageNo !== undefined ? { Page: pageNo } : {}),
    };
    elements.push(element);
    // A box in a ruled table's cell is read with the table (Textract pairs it with no label).
    if (selection.inTable) return;
    const label = labelOf(boxes[i] as Box, words, boxes, page.aspect, rowSide(i)).words.filter(
      (w) => !labelWords.has(w),
    );
    if (label.length === 0) return;
    for (const w of label) labelWords.add(w);
    pairs.push(keyValuePair(label, [element], element.SelectionStatus ?? '', pageNo, newId));
  });
  return { elements, pairs, labelWords };
}
