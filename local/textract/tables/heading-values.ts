/**
 * A heading row over one row of values, word for word: each heading word stands over one value and
 * each value under one heading word ("CO.  FILE  DEPT.  CLOCK  NUMBER" over "ABC  126543  123456
 * 12345  00000000" at the top of a payslip). OCR reads such rows as one line or a few, as their words
 * are spaced little wider than words; they are a table of two rows, a column per heading word.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, type Box } from '../blocks';
import type { Fragment, TableGrid } from './grid';
import { rowsOf, valueLike, type Row } from './rows';

/** Fewest columns: two words over two values are as likely a phrase over a phrase. */
const minColumns = 3;
/** The value row starts at most this many line heights under the heading row. */
const maxGap = 1;

interface Column {
  heading: Box;
  value: Box;
}

/** Two-row tables of heading words over values among `fragments`. */
export function headingOverValues(fragments: readonly Fragment[], lineHeight: number): TableGrid[] {
  const rows = rowsOf(fragments);
  const grids: TableGrid[] = [];
  for (let i = 0; i + 1 < rows.length; i++) {
    const heading = rows[i]!;
    const values = rows[i + 1]!;
    if (values.top - heading.bottom > lineHeight * maxGap) continue;
    const columns = pairedColumns(wordsOf(heading), wordsOf(values));
    if (!columns) continue;
    // A row above or below in the same columns: the two rows are part of a longer table.
    const above = rows[i - 1];
    const below = rows[i + 2];
    if (above && near(above, heading, lineHeight) && under(above, columns)) continue;
    if (below && near(below, values, lineHeight) && under(below, columns)) continue;
    const left = (c: Column) => Math.min(c.heading.left, c.value.left);
    const right = (c: Column) => Math.max(c.heading.left + c.heading.width, c.value.left + c.value.width);
    const xs = [left(columns[0]!)];
    for (let c = 0; c + 1 < columns.length; c++) xs.push((right(columns[c]!) + left(columns[c + 1]!)) / 2);
    xs.push(right(columns[columns.length - 1]!));
    const top = Math.min(...columns.map((c) => c.heading.top));
    const middle =
      (Math.max(...columns.map((c) => c.heading.top + c.heading.height)) +
        Math.min(...columns.map((c) => c.value.top))) /
      2;
    const bottom = Math.max(...columns.map((c) => c.value.top + c.value.height));
    grids.push({ xs, ys: [top, middle, bottom], merged: [], ruled: false });
    i++;
  }
  return grids;
}

function wordsOf(row: Row): { word: Block; box: Box }[] {
  return row.pieces
    .flatMap((p) => p.words)
    .map((word) => ({ word, box: boxOf(word) }))
    .sort((a, b) => a.box.left - b.box.left);
}

const overlapX = (a: Box, b: Box) => a.left < b.left + b.width && b.left < a.left + a.width;

/**
 * The longest run of heading words each over exactly one value that is under no other heading word,
 * with no value between them left unpaired; words, over values for the most part. Values beyond the
 * run's ends (a stray mark, a block beside the table) are not its.
 */
function pairedColumns(
  heading: { word: Block; box: Box }[],
  values: { word: Block; box: Box }[],
): Column[] | undefined {
  const pairOf = heading.map((h) => {
    const under = values.filter((v) => overlapX(h.box, v.box));
    if (under.length !== 1) return undefined;
    const over = heading.filter((o) => overlapX(o.box, under[0]!.box));
    return over.length === 1 ? under[0] : undefined;
  });
  let best: Column[] = [];
  let run: { h: { word: Block; box: Box }; v: { word: Block; box: Box } }[] = [];
  const close = () => {
    if (run.length > best.length && acceptable(run, values)) {
      best = run.map((p) => ({ heading: p.h.box, value: p.v.box }));
    }
    run = [];
  };
  heading.forEach((h, i) => {
    const v = pairOf[i];
    if (v) run.push({ h, v });
    else close();
  });
  close();
  return best.length >= minColumns ? best : undefined;
}

function acceptable(
  run: { h: { word: Block; box: Box }; v: { word: Block; box: Box } }[],
  values: { word: Block; box: Box }[],
): boolean {
  if (run.length < minColumns) return false;
  const from = run[0]!.v.box.left;
  const to = run[run.length - 1]!.v.box.left;
  const inside = values.filter((v) => v.box.left >= from && v.box.left <= to);
  if (inside.length !== run.length) return false;
  if (run.some((p) => valueLike.test(p.h.word.Text ?? ''))) return false;
  return run.filter((p) => valueLike.test(p.v.word.Text ?? '')).length * 2 > run.length;
}

function near(a: Row, b: Row, lineHeight: number): boolean {
  const gap = a.top >= b.bottom ? a.top - b.bottom : b.top - a.bottom;
  return gap <= lineHeight * 1.5;
}

/** Two or more pieces of `row`, each within one of the columns: the table goes on in that row. */
function under(row: Row, columns: readonly Column[]): boolean {
  const within = row.pieces.filter((p) =>
    columns.some((c) => {
      const left = Math.min(c.heading.left, c.value.left);
      const right = Math.max(c.heading.left + c.heading.width, c.value.left + c.value.width);
      return p.box.left >= left - p.box.height && p.box.left + p.box.width <= right + p.box.height;
    }),
  );
  return within.length >= 2;
}
