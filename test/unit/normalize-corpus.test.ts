// Every real Textract response of the corpus through the normaliser, in Get*-sized parts: nothing
// Textract found is lost (cells with their spans, every key including repeated and empty ones, every
// query answer, signature, layout element and line), tables are even grids, and ids are stable.
import type { Block } from '@aws-sdk/client-textract';
import type { OutputTable } from '../../lib/document-model';
import {
  blockBox,
  corpusBlocks,
  corpusResponses,
  normalizeInParts,
  related,
  sorted,
  wordsOf,
  type Normalized,
} from '../support/textract-corpus';

const pageOf = (block: Block) => block.Page ?? 1;

describe.each(corpusResponses)('%s', (name) => {
  const blocks = corpusBlocks(name);
  const byId = new Map(blocks.map((b) => [b.Id!, b]));
  const ofType = (type: string) => blocks.filter((b) => b.BlockType === type);
  let result: Normalized;
  beforeAll(() => {
    result = normalizeInParts(corpusBlocks(name), 300);
  });

  test('every page, in order, once', () => {
    const pages = [...new Set(ofType('PAGE').map(pageOf))];
    expect(result.pages.map((p) => p.page)).toEqual(pages);
  });

  test('tables are even grids: every row × column position covered by exactly one cell', () => {
    for (const table of result.tables) {
      const covered = new Map<string, number>();
      for (const cell of table.cells) {
        for (let r = cell.row; r < cell.row + cell.rowSpan; r++) {
          for (let c = cell.column; c < cell.column + cell.columnSpan; c++) {
            covered.set(`${r},${c}`, (covered.get(`${r},${c}`) ?? 0) + 1);
          }
        }
      }
      expect([...covered.values()].every((n) => n === 1)).toBe(true);
      expect(covered.size).toBe(table.rowCount * table.columnCount);
    }
  });

  test('every CELL block is covered exactly once, every MERGED_CELL is one cell with its span', () => {
    const area = result.tables.flatMap((t) => t.cells).reduce((n, c) => n + c.rowSpan * c.columnSpan, 0);
    expect(area).toBe(ofType('CELL').length);
    const spanned = result.tables.flatMap((t) => t.cells).filter((c) => c.rowSpan * c.columnSpan > 1);
    expect(spanned).toHaveLength(ofType('MERGED_CELL').length);

    for (const table of ofType('TABLE')) {
      const { logical, offset } = partOf(result.tables, table);
      const at = (row: number, column: number) =>
        logical.cells.find((c) => c.row === row + offset && c.column === column);
      const coveringCell = (row: number, column: number) =>
        logical.cells.filter(
          (c) =>
            c.row <= row + offset &&
            row + offset < c.row + c.rowSpan &&
            c.column <= column &&
            column < c.column + c.columnSpan,
        );
      for (const id of related(table, 'CHILD')) {
        const cell = byId.get(id)!;
        const covering = coveringCell(cell.RowIndex!, cell.ColumnIndex!);
        expect(covering).toHaveLength(1);
        expect(covering[0]!.page).toBe(pageOf(table));
        // A cell no merge spans keeps its words as they are.
        if (covering[0]!.rowSpan * covering[0]!.columnSpan === 1)
          expect(covering[0]!.text).toBe(wordsOf(cell, byId));
      }
      for (const id of related(table, 'MERGED_CELL')) {
        const merged = byId.get(id)!;
        expect(at(merged.RowIndex!, merged.ColumnIndex!)).toMatchObject({
          rowSpan: merged.RowSpan,
          columnSpan: merged.ColumnSpan,
        });
      }
    }
  });

  test('every KEY appears as a field, repeated and empty keys included, with its box and a stable id', () => {
    const keys = ofType('KEY_VALUE_SET').filter((b) => b.EntityTypes?.includes('KEY'));
    const fields = result.pages.flatMap((p) => p.fields);
    expect(fields).toHaveLength(keys.length);
    expect(sorted(fields.map((f) => f.key.text))).toEqual(sorted(keys.map((k) => wordsOf(k, byId))));
    for (const page of result.pages) {
      expect(page.fields.map((f) => f.id)).toEqual(page.fields.map((_, i) => `p${page.page}-f${i + 1}`));
    }
    for (const field of fields) expect(field.key.box).toBeDefined();
  });

  test('every QUERY_RESULT appears as an answer, with its box', () => {
    const results = ofType('QUERY_RESULT');
    const answers = result.pages.flatMap((p) => p.queries);
    expect(sorted(answers.map((a) => a.text))).toEqual(sorted(results.map((r) => r.Text ?? '')));
    for (const answer of answers) expect(answer.box).toBeDefined();
    expect(new Set(answers.map((a) => a.id)).size).toBe(answers.length);
  });

  test('every SIGNATURE appears with its page and box', () => {
    const signatures = result.pages.flatMap((p) => p.signatures);
    expect(signatures).toEqual(
      ofType('SIGNATURE').map((s) => ({ page: pageOf(s), confidence: s.Confidence, box: blockBox(s) })),
    );
  });

  test('every LAYOUT block appears as a layout element; every LINE as a line', () => {
    const layout = blocks.filter((b) => b.BlockType?.startsWith('LAYOUT_'));
    const elements = result.pages.flatMap((p) => p.layout);
    expect(sorted(elements.map((e) => e.kind))).toEqual(sorted(layout.map((b) => b.BlockType!.slice(7))));
    const lines = result.pages.flatMap((p) => p.lines);
    expect(sorted(lines.map((l) => l.text))).toEqual(sorted(ofType('LINE').map((l) => l.Text ?? '')));
    for (const line of lines) expect(line.box.width).toBeGreaterThan(0);
  });

  test('tables are numbered t1, t2, … and each part names its page and rows', () => {
    expect(result.tables.map((t) => t.id)).toEqual(result.tables.map((_, i) => `t${i + 1}`));
    for (const table of result.tables) {
      expect(table.parts.reduce((n, p) => n + p.rowCount, 0)).toBe(table.rowCount);
      for (const part of table.parts) {
        const rows = table.cells.filter(
          (c) => c.row >= part.firstRow && c.row < part.firstRow + part.rowCount,
        );
        expect(rows.every((c) => c.page === part.page)).toBe(true);
      }
    }
  });

  test('the same response gives the same output, whatever the Get* sizes', () => {
    const again = normalizeInParts(corpusBlocks(name), 300);
    expect(again.parts).toEqual(result.parts);
    for (const size of [1000, 57, 1_000_000]) {
      const other = normalizeInParts(corpusBlocks(name), size);
      expect(other.pages).toEqual(result.pages);
      expect(other.tables).toEqual(result.tables);
      expect(other.summary).toEqual({ ...result.summary, partsWritten: other.parts.length });
    }
  });
});

/** The logical table holding a raw TABLE, and the row offset of its part. */
function partOf(tables: OutputTable[], table: Block): { logical: OutputTable; offset: number } {
  const box = blockBox(table);
  for (const logical of tables) {
    const part = logical.parts.find((p) => p.page === (table.Page ?? 1) && sameBox(p.box, box));
    if (part) return { logical, offset: part.firstRow - 1 };
  }
  throw new Error(`no logical table holds TABLE ${table.Id}`);
}

function sameBox(a: { left: number; top: number }, b: { left: number; top: number }): boolean {
  return a.left === b.left && a.top === b.top;
}
