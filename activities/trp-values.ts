// Small readers shared by the page and table normalisers: geometry as the document model's plain
// boxes, text without selection-state words, and the state of a single selection element.
import type {
  ApiBlockType,
  ApiRelationshipType,
  IBlockTypeFilterOpts,
  SelectionElement,
  Signature,
  Word,
} from 'amazon-textract-response-parser';
import type { BoundingBox } from '../lib/document-model';

// TRP types block types as const enums, which isolated modules cannot import as values.
const blockType = (type: 'WORD' | 'SELECTION_ELEMENT') => type as ApiBlockType;
/** A TRP filter for WORD blocks only. */
export const wordsOnly: IBlockTypeFilterOpts = { includeBlockTypes: [blockType('WORD')] };
/** A TRP filter for SELECTION_ELEMENT blocks only. */
export const selectionsOnly: IBlockTypeFilterOpts = { includeBlockTypes: [blockType('SELECTION_ELEMENT')] };
/** A relationship type as TRP types it. */
export const relationship = (type: 'ANSWER' | 'CHILD') => type as ApiRelationshipType;

/** Anything with a TRP bounding box. */
interface HasBox {
  geometry: { boundingBox: { left: number; top: number; width: number; height: number } };
}

/** The box of a TRP item, as a plain object. */
export function boxOf(item: HasBox): BoundingBox {
  const { left, top, width, height } = item.geometry.boundingBox;
  return { left, top, width, height };
}

/** The box of a raw block (for items TRP gives no geometry, such as table titles); undefined without one. */
export function rawBox(block: {
  Geometry?: { BoundingBox?: { Left?: number; Top?: number; Width?: number; Height?: number } };
}): BoundingBox | undefined {
  const box = block.Geometry?.BoundingBox;
  if (!box) return undefined;
  return { left: box.Left ?? 0, top: box.Top ?? 0, width: box.Width ?? 0, height: box.Height ?? 0 };
}

/** The smallest box holding all of them. */
export function unionBox(boxes: BoundingBox[]): BoundingBox | undefined {
  if (boxes.length === 0) return undefined;
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

/** Content TRP lists for a cell or a field value. */
interface HasContent {
  listContent(opts?: IBlockTypeFilterOpts): (Word | SelectionElement | Signature)[];
}

/**
 * The words of a cell or value joined by spaces. TRP's own `text` adds SELECTED / NOT_SELECTED for
 * selection elements; the model carries that as `selected` instead.
 */
export function wordsText(item: HasContent): string {
  return item
    .listContent(wordsOnly)
    .map((w) => w.text)
    .join(' ');
}

/** Ticked or not when the item holds exactly one selection element (TRP's checkbox rule), else undefined. */
export function selectionOf(item: HasContent): boolean | undefined {
  const selections = item.listContent(selectionsOnly) as SelectionElement[];
  const [only] = selections;
  return selections.length === 1 && only ? String(only.selectionStatus) === 'SELECTED' : undefined;
}
