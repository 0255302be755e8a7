/**
 * Textract's block graph for a found table: TABLE (CHILD → its CELLs row by row, MERGED_CELL → merged
 * cells, TABLE_TITLE / TABLE_FOOTER → captions), 1x1 CELLs holding their WORDs, MERGED_CELLs holding
 * the CELLs they cover. A first row of words over rows with figures is the COLUMN_HEADER row.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, geometry, unionBox, type Box, type IdFactory } from '../blocks';
import { centreX, gridBox, type Fragment, type TableGrid, wordsByCell } from './grid';

export interface BuiltTable {
  /** TABLE first, then CELLs, MERGED_CELLs and captions: the order Textract returns them in. */
  blocks: Block[];
  table: Block;
  /** Grid cells by row (0-based) then column, for callers that read the table back (expenses). */
  cells: Block[][];
  headerRow: boolean;
  /** Found from ruling lines, not from how the text lines up. */
  ruled: boolean;
}

const hasFigure = (text: string) => /\d/.test(text);

/** Builds the blocks of one table; `title` and `footer` are lines found next to it. */
export function tableBlocks(
  grid: TableGrid,
  words: readonly Block[],
  newId: IdFactory,
  page: { Page?: number },
  captions: { title?: Fragment; footer?: Fragment } = {},
): BuiltTable {
  const rows = grid.ys.length - 1;
  const columns = grid.xs.length - 1;
  const byCell = wordsByCell(grid, words);
  const text = (r: number, c: number) =>
    (byCell.get(r * columns + c) ?? []).map((w) => w.Text ?? '').join(' ');
  const headerRow = isHeaderRow(rows, columns, text);
  const base = grid.ruled ? 95 : 80;
  const cells: Block[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: Block[] = [];
    for (let c = 0; c < columns; c++) {
      const inCell = byCell.get(r * columns + c) ?? [];
      const box: Box = {
        left: grid.xs[c] ?? 0,
        top: grid.ys[r] ?? 0,
        width: (grid.xs[c + 1] ?? 0) - (grid.xs[c] ?? 0),
        height: (grid.ys[r + 1] ?? 0) - (grid.ys[r] ?? 0),
      };
      row.push({
        BlockType: 'CELL',
        Confidence: cellConfidence(inCell, base),
        RowIndex: r + 1,
        ColumnIndex: c + 1,
        RowSpan: 1,
        ColumnSpan: 1,
        Geometry: geometry(box),
        Id: newId(),
        ...(inCell.length > 0
          ? { Relationships: [{ Type: 'CHILD', Ids: inCell.map((w) => w.Id ?? '') }] }
          : {}),
        ...(headerRow && r === 0 ? { EntityTypes: ['COLUMN_HEADER'] } : {}),
        ...page,
      });
    }
    cells.push(row);
  }
  const merged: Block[] = grid.merged.map((span) => {
    const covered: Block[] = [];
    for (let r = span.row; r < span.row + span.rowSpan; r++)
      for (let c = span.column; c < span.column + span.columnSpan; c++) {
        const cell = cells[r]?.[c];
        if (cell) covered.push(cell);
      }
    return {
      BlockType: 'MERGED_CELL',
      Confidence: Math.min(...covered.map((c) => c.Confidence ?? base)),
      RowIndex: span.row + 1,
      ColumnIndex: span.column + 1,
      RowSpan: span.rowSpan,
      ColumnSpan: span.columnSpan,
      Geometry: geometry(unionBox(covered.map(boxOf))),
      Id: newId(),
      Relationships: [{ Type: 'CHILD', Ids: covered.map((c) => c.Id ?? '') }],
      ...(headerRow && span.row === 0 ? { EntityTypes: ['COLUMN_HEADER'] } : {}),
      ...page,
    };
  });
  const caption = (type: 'TABLE_TITLE' | 'TABLE_FOOTER', f: Fragment | undefined): Block | undefined =>
    f && {
      BlockType: type,
      Confidence: cellConfidence(f.words, base),
      Geometry: geometry(f.box),
      Id: newId(),
      Relationships: [{ Type: 'CHILD', Ids: f.words.map((w) => w.Id ?? '') }],
      ...page,
    };
  const title = caption('TABLE_TITLE', captions.title);
  const footer = caption('TABLE_FOOTER', captions.footer);
  const table: Block = {
    BlockType: 'TABLE',
    Confidence: base,
    Geometry: geometry(gridBox(grid)),
    Id: newId(),
    Relationships: [
      { Type: 'CHILD', Ids: cells.flat().map((c) => c.Id ?? '') },
      ...(merged.length > 0 ? [{ Type: 'MERGED_CELL' as const, Ids: merged.map((m) => m.Id ?? '') }] : []),
      ...(title ? [{ Type: 'TABLE_TITLE' as const, Ids: [title.Id ?? ''] }] : []),
      ...(footer ? [{ Type: 'TABLE_FOOTER' as const, Ids: [footer.Id ?? ''] }] : []),
    ],
    EntityTypes: [headerRow ? 'STRUCTURED_TABLE' : 'SEMI_STRUCTURED_TABLE'],
    ...page,
  };
  const blocks = [table, ...cells.flat(), ...merged, ...(title ? [title] : []), ...(footer ? [footer] : [])];
  return { blocks, table, cells, headerRow, ruled: grid.ruled };
}

/**
 * The first row is a header when it holds words and no figures while rows below hold figures, or
 * when every column's first cell is filled in a table of ruled cells under a text-only first row.
 */
function isHeaderRow(rows: number, columns: number, text: (r: number, c: number) => string): boolean {
  if (rows < 2) return false;
  const first = Array.from({ length: columns }, (_, c) => text(0, c));
  const filled = first.filter((t) => t.trim().length > 0);
  if (filled.length < Math.min(2, columns) || filled.some(hasFigure)) return false;
  for (let r = 1; r < rows; r++) for (let c = 0; c < columns; c++) if (hasFigure(text(r, c))) return true;
  return false;
}

function cellConfidence(words: readonly Block[], base: number): number {
  if (words.length === 0) return base;
  const mean = words.reduce((s, w) => s + (w.Confidence ?? 0), 0) / words.length;
  return Math.min(base, mean);
}

/**
 * A caption: the nearest single piece on its row just above (title) or below (footer) the table,
 * within the table's width. Footers are notes under the table ("* …", "Note", "Source").
 */
export function captionsOf(
  grid: TableGrid,
  fragments: readonly Fragment[],
  lineHeight: number,
): { title?: Fragment; footer?: Fragment } {
  const box = gridBox(grid);
  const within = (f: Fragment) => centreX(f.box) > box.left && centreX(f.box) < box.left + box.width;
  const alone = (f: Fragment) =>
    !fragments.some((o) => o !== f && Math.abs(o.box.top - f.box.top) < lineHeight * 0.5);
  const above = fragments
    .filter((f) => within(f) && alone(f) && f.box.top + f.box.height <= box.top + lineHeight * 0.2)
    .filter((f) => box.top - (f.box.top + f.box.height) < lineHeight * 2.5)
    .filter((f) => !/:\s*$/.test(f.line.Text ?? ''))
    .sort((a, b) => b.box.top - a.box.top)[0];
  const below = fragments
    .filter((f) => within(f) && alone(f) && f.box.top >= box.top + box.height - lineHeight * 0.2)
    .filter((f) => f.box.top - (box.top + box.height) < lineHeight * 1.2)
    .filter((f) => /^\s*(\*|†|note\b|source\b|\()/i.test(f.line.Text ?? ''))
    .sort((a, b) => a.box.top - b.box.top)[0];
  return { ...(above ? { title: above } : {}), ...(below ? { footer: below } : {}) };
}
