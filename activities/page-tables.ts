// One page's TRP tables as merge candidates (activities/table-merge.ts): every cell once, a merged cell
// at its top-left position with its span, with entity types, selection state and geometry; captions
// from the TABLE_TITLE / TABLE_FOOTER blocks.
import type { Page } from 'amazon-textract-response-parser';
import type { OutputCell, OutputTable, OutputTableCaption } from '../lib/document-model';
import type { TableCandidate } from './table-merge';
import { boxOf, rawBox, selectionOf, unionBox, wordsText } from './trp-values';

type TrpTable = ReturnType<Page['listTables']>[number];
type TrpCell = ReturnType<ReturnType<TrpTable['listRows']>[number]['listCells']>[number];

/** The page's tables top to bottom (then left to right), each a one-part logical table. */
export function pageTables(trpPage: Page, page: number): TableCandidate[] {
  return trpPage
    .listTables()
    .map((table) => candidate(table, page))
    .sort((a, b) => a.parts[0]!.box.top - b.parts[0]!.box.top || a.parts[0]!.box.left - b.parts[0]!.box.left);
}

function candidate(table: TrpTable, page: number): TableCandidate {
  const cells: OutputCell[] = [];
  // TRP's rows list a merged cell once, in its first row, and leave out the cells it spans.
  for (const row of table.iterRows()) for (const cell of row.iterCells()) cells.push(outputCell(cell, page));
  const box = boxOf(table);
  const rowCount = table.nRows;
  const type = tableType(table);
  const title = caption(table.listTitles(), page);
  const footer = caption(table.listFooters(), page);
  return {
    ...(type ? { type } : {}),
    ...(title ? { title } : {}),
    ...(footer ? { footer } : {}),
    rowCount,
    columnCount: table.nColumns,
    headerRows: headerRows(cells, rowCount),
    confidence: cells.length > 0 ? Math.min(...cells.map((c) => c.confidence)) : table.confidence,
    parts: [{ page, box, firstRow: 1, rowCount }],
    cells,
  };
}

function outputCell(cell: TrpCell, page: number): OutputCell {
  const selected = selectionOf(cell);
  return {
    row: cell.rowIndex,
    column: cell.columnIndex,
    rowSpan: cell.rowSpan,
    columnSpan: cell.columnSpan,
    text: wordsText(cell),
    confidence: cell.confidence,
    entityTypes: [...(cell.dict.EntityTypes ?? [])].map(String),
    page,
    box: boxOf(cell),
    ...(selected === undefined ? {} : { selected }),
  };
}

/** Rows every cell of which (merged cells reaching into the row included) is a COLUMN_HEADER. */
function headerRows(cells: OutputCell[], rowCount: number): number[] {
  const covered = new Set<number>();
  const notHeader = new Set<number>();
  for (const cell of cells) {
    const header = cell.entityTypes.includes('COLUMN_HEADER');
    for (let row = cell.row; row < cell.row + cell.rowSpan; row++) {
      covered.add(row);
      if (!header) notHeader.add(row);
    }
  }
  const rows: number[] = [];
  for (let row = 1; row <= rowCount; row++) if (covered.has(row) && !notHeader.has(row)) rows.push(row);
  return rows;
}

function tableType(table: TrpTable): OutputTable['type'] {
  try {
    const type = String(table.tableType);
    if (type === 'STRUCTURED_TABLE') return 'STRUCTURED';
    if (type === 'SEMI_STRUCTURED_TABLE') return 'SEMI_STRUCTURED';
    return undefined;
  } catch {
    // Both types at once: Textract contradicts itself; say nothing rather than fail the page.
    return undefined;
  }
}

/**
 * A table's TABLE_TITLE or TABLE_FOOTER blocks as one caption. TRP gives captions no geometry, so the
 * box is the raw block's; Textract links at most one of each in practice, several are joined.
 */
function caption(
  items: { text: string; dict: Parameters<typeof rawBox>[0] }[],
  page: number,
): OutputTableCaption | undefined {
  if (items.length === 0) return undefined;
  const box = unionBox(items.flatMap((item) => rawBox(item.dict) ?? []));
  return { text: items.map((item) => item.text).join('\n'), page, ...(box ? { box } : {}) };
}
