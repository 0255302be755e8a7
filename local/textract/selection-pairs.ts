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
 */
function labelOf(box: Box, words: readonly Block[], boxes: readonly Box[], aspect: number): Block[] {
  const right = labelOn('right', box, words, boxes, aspect);
  const left = labelOn('left', box, words, boxes, aspect);
  if (left.words.length === 0) return right.words;
  if (right.words.length === 0) return left.words;
  return left.gap < right.gap * 0.8 ? left.words : right.words;
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
    // A word ending in a colon ends a label of its own: the question the boxes answer ("Preferred
    // contact:  Email ☐") is no part of an option's label, and a label read outward ends at it.
    const colon = (w.Text ?? '').endsWith(':');
    if (colon && side === 'left') break;
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
    const label = labelOf(boxes[i] as Box, words, boxes, page.aspect).filter((w) => !labelWords.has(w));
    if (label.length === 0) return;
    for (const w of label) labelWords.add(w);
    pairs.push(keyValuePair(label, [element], element.SelectionStatus ?? '', pageNo, newId));
  });
  return { elements, pairs, labelWords };
}
