/**
 * FORMS for checkboxes, as Textract reports them: a SELECTION_ELEMENT block (SELECTED or NOT_SELECTED)
 * as the VALUE of a KEY made of the label printed to its right ("☑ Condo/Townhome" → KEY
 * "Condo/Townhome", VALUE → SELECTION_ELEMENT). A box with no label beside it stands alone.
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

/** The label words to the right of a checkbox: one phrase on its row, up to the next checkbox. */
function labelOf(box: Box, words: readonly Block[], boxes: readonly Box[], aspect: number): Block[] {
  const right = box.left + box.width;
  const sameRow = (b: Box) => Math.abs(centreY(b) - centreY(box)) < Math.max(box.height, b.height) * 0.6;
  const nextBox = boxes
    .filter((b) => b !== box && sameRow(b) && b.left > right)
    .reduce((min, b) => Math.min(min, b.left), Infinity);
  const row = words
    .map((w) => ({ w, b: boxOf(w) }))
    .filter(({ b }) => sameRow(b) && b.left >= right - box.width * 0.2 && b.left + b.width <= nextBox)
    .sort((a, b) => a.b.left - b.b.left);
  const label: Block[] = [];
  let edge = right;
  for (const { w, b } of row) {
    // The first word sits just beside the box; later ones continue the phrase without a column gap.
    const reach = label.length === 0 ? box.width * 2.5 : b.height * aspect * 1.5;
    if (b.left - edge > reach) break;
    label.push(w);
    edge = b.left + b.width;
  }
  return label;
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
    const label = labelOf(boxes[i] as Box, words, boxes, page.aspect).filter((w) => !labelWords.has(w));
    if (label.length === 0) return;
    for (const w of label) labelWords.add(w);
    pairs.push(keyValuePair(label, [element], element.SelectionStatus ?? '', pageNo, newId));
  });
  return { elements, pairs, labelWords };
}
