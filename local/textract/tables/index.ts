/**
 * TABLES for a page: ruled tables from its ruling lines first, then unruled tables from how the
 * remaining text lines up (a heading row over one row of values, word for word; then, "Key: value"
 * lines split where their values stand in a column, the page's blocks read apart at wide gutters and
 * each searched for rows in columns), each turned into Textract's TABLE / CELL / MERGED_CELL blocks.
 */
import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, type IdFactory, type PageBlocks } from '../blocks';
import type { PageInk } from './page-ink';
import { alignedGrids, columnGap, type AlignOptions } from './aligned';
import { fragmentsOf, gridBox, inGrid, median, slot, type TableGrid } from './grid';
import { headingOverValues } from './heading-values';
import { splitKeyColumns } from './key-columns';
import { regionsOf } from './regions';
import { ruledGrids } from './ruled';
import { captionsOf, tableBlocks, type BuiltTable } from './table-blocks';

export type { BuiltTable } from './table-blocks';

export interface FindTablesOptions extends AlignOptions {
  newId?: IdFactory;
}

/** The page's tables, top to bottom, with their blocks. */
export function findTables(
  page: PageBlocks,
  ink: PageInk | undefined,
  options: FindTablesOptions = {},
): BuiltTable[] {
  const newId = options.newId ?? randomUUID;
  const fragments = fragmentsOf(page.lines);
  const words = page.lines.flatMap((l) => l.words);
  const lineHeight = median(fragments.map((f) => f.box.height));
  const withPage = page.page.Page !== undefined ? { Page: page.page.Page } : {};
  const ruled = ink ? ruledGrids(ink, lineHeight, page.aspect).filter((g) => holdsText(g, words)) : [];
  // Pieces of text inside a ruled table are its cells' text, not the rows of another table.
  const outside = fragments.filter((f) => !ruled.some((g) => inGrid(g, f.box)));
  const restHeight = median(outside.map((f) => f.box.height));
  const headed = headingOverValues(outside, restHeight).filter((g) => !ruled.some((r) => overlaps(r, g)));
  const rest = splitKeyColumns(
    outside.filter((f) => !headed.some((g) => inGrid(g, f.box))),
    restHeight,
    page.aspect,
  );
  const aligned = regionsOf(rest, restHeight, restHeight * columnGap)
    .flatMap((region) => alignedGrids(region, options, restHeight))
    .filter((g) => !ruled.some((r) => overlaps(r, g)));
  const grids = [...ruled, ...headed, ...aligned].sort((a, b) => (a.ys[0] ?? 0) - (b.ys[0] ?? 0));
  const captionable = fragments.filter((f) => !grids.some((g) => inGrid(g, f.box)));
  return grids.map((grid) =>
    tableBlocks(
      grid,
      words.filter((w) => inGrid(grid, boxOf(w))),
      newId,
      withPage,
      captionsOf(grid, captionable, lineHeight),
    ),
  );
}

/** Blocks of every table of a page, in Textract's order, and the TABLE ids the PAGE lists. */
export function tablesOfPage(tables: readonly BuiltTable[]): { blocks: Block[]; pageChildren: string[] } {
  return { blocks: tables.flatMap((t) => t.blocks), pageChildren: tables.map((t) => t.table.Id ?? '') };
}

/**
 * A ruled grid with words in at least two of its cells, and short ones: an empty frame or a logo box is
 * no table, and neither are boxes of prose (a form's instructions set in ruled columns).
 */
function holdsText(grid: TableGrid, words: readonly Block[]): boolean {
  const filled = new Map<number, number>();
  for (const w of words) {
    const b = boxOf(w);
    const r = slot(grid.ys, b.top + b.height / 2);
    const c = slot(grid.xs, b.left + b.width / 2);
    if (r >= 0 && c >= 0) filled.set(r * 1000 + c, (filled.get(r * 1000 + c) ?? 0) + 1);
  }
  const cells = (grid.ys.length - 1) * (grid.xs.length - 1);
  const mergedAway = grid.merged.reduce((n, s) => n + s.rowSpan * s.columnSpan - 1, 0);
  return filled.size >= 2 && cells - mergedAway >= 2 && median([...filled.values()]) <= maxCellWords;
}

/** Typical words in a table's filled cells at most; prose boxes hold dozens. */
const maxCellWords = 6;

function overlaps(a: TableGrid, b: TableGrid): boolean {
  const x = gridBox(a);
  const y = gridBox(b);
  return (
    x.left < y.left + y.width &&
    y.left < x.left + x.width &&
    x.top < y.top + y.height &&
    y.top < x.top + x.height
  );
}
