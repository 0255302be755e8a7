// One page's Textract blocks made safe for TRP.js before it parses them. TRP throws on a few shapes
// that real responses can have (a TABLE without Relationships, a KEY_VALUE_SET without EntityTypes, a
// child id that names no block), and reads a page as "the PAGE block and every block after it". The
// fixes here are structural only: no text, confidence or geometry changes, and the only thing dropped
// is a reference to a block that is not on the page.
import type { Block, Relationship } from '@aws-sdk/client-textract';

/** Blocks that never have children: TRP does not read their Relationships, so none are added. */
const leafTypes = new Set(['WORD', 'SELECTION_ELEMENT', 'SIGNATURE', 'QUERY_RESULT']);

/** A page whose blocks TRP cannot be given at all (no PAGE block, or several). */
export class UnreadablePageError extends Error {}

/**
 * Returns the page's blocks ready for TRP: the PAGE block first and the others in Textract's order,
 * every block that may have children with `Relationships` (empty when Textract gave none), every
 * relationship with `Ids` limited to blocks of this page, a MERGED_CELL's children limited to cells
 * of its table, and a KEY_VALUE_SET without EntityTypes typed from its relationships. Blocks that
 * need a fix are copied; the input is not changed.
 */
export function hardenPageBlocks(page: number, blocks: Block[]): Block[] {
  const pageBlocks = blocks.filter((b) => b.BlockType === 'PAGE');
  if (pageBlocks.length !== 1) {
    throw new UnreadablePageError(
      pageBlocks.length === 0
        ? `page ${page} has no PAGE block`
        : `page ${page} has ${pageBlocks.length} PAGE blocks`,
    );
  }
  const ids = new Set<string>();
  for (const block of blocks) if (block.Id) ids.add(block.Id);
  const cellsOfMerged = mergedCellChildren(blocks);
  const valueIds = new Set<string>();
  for (const block of blocks) {
    if (block.BlockType === 'KEY_VALUE_SET') for (const id of related(block, 'VALUE')) valueIds.add(id);
  }

  const fix = (block: Block): Block => {
    let relationships = block.Relationships;
    if (relationships) {
      const allowedCells =
        block.BlockType === 'MERGED_CELL' && block.Id ? cellsOfMerged.get(block.Id) : undefined;
      const keep = (rel: Relationship) => (id: string) =>
        ids.has(id) && (rel.Type !== 'CHILD' || !allowedCells || allowedCells.has(id));
      // Most blocks need nothing: only copy a relationship (and the block) that changes.
      let changed = false;
      const kept = relationships.map((rel): Relationship => {
        if (rel.Ids?.every(keep(rel))) return rel;
        changed = true;
        return { ...rel, Ids: (rel.Ids ?? []).filter(keep(rel)) };
      });
      if (changed) relationships = kept;
    } else if (!leafTypes.has(block.BlockType ?? '')) {
      relationships = [];
    }
    let entityTypes = block.EntityTypes;
    if (block.BlockType === 'KEY_VALUE_SET' && entityTypes === undefined) {
      // TRP reads `EntityTypes.indexOf('KEY')` unguarded. A set that points at a value is a key; one
      // some key points at is a value; anything else stays untyped, which TRP skips as a field.
      const isKey = (relationships ?? []).some((r) => r.Type === 'VALUE' && (r.Ids?.length ?? 0) > 0);
      entityTypes = isKey ? ['KEY'] : block.Id && valueIds.has(block.Id) ? ['VALUE'] : [];
    }
    if (relationships === block.Relationships && entityTypes === block.EntityTypes) return block;
    return { ...block, Relationships: relationships, EntityTypes: entityTypes };
  };

  const [pageBlock] = pageBlocks as [Block];
  return [fix(pageBlock), ...blocks.filter((b) => b !== pageBlock).map(fix)];
}

/** The ids a block names under one relationship type. */
function related(block: Block, type: string): string[] {
  return (block.Relationships ?? []).filter((r) => r.Type === type).flatMap((r) => r.Ids ?? []);
}

/**
 * For each MERGED_CELL, the CELL ids of the table that lists it: TRP looks a merged cell's children up
 * among its table's cells and throws on any other id.
 */
function mergedCellChildren(blocks: Block[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const table of blocks) {
    if (table.BlockType !== 'TABLE') continue;
    const cells = new Set(related(table, 'CHILD'));
    for (const merged of related(table, 'MERGED_CELL')) result.set(merged, cells);
  }
  return result;
}
