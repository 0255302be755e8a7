/**
 * Unruled tables: consecutive rows of text whose pieces (lines split at wide gaps, as Textract splits
 * them) stand in the same columns. Columns are where the pieces of the table's rows overlap along x;
 * a piece reaching across several columns is a merged cell (a group header, a total's label).
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, unionBox } from '../blocks';
import { centreX, centreY, median, type Fragment, type Span, type TableGrid } from './grid';
import { amount, headerOver, isValue, keysBesideValues, rowsOf, valueLike, type Row } from './rows';
import { joinRows, withWrappedLines, wrappedHeading } from './wrapped';

export interface AlignOptions {
  /** Fewest rows a table has (its header included). @default 3 */
  minRows?: number;
  /** Fewest columns. @default 2 */
  minColumns?: number;
}

/** Tables among `fragments` (pieces already inside other tables left out by the caller). */
export function alignedGrids(
  fragments: readonly Fragment[],
  options: AlignOptions = {},
  lineHeight = median(fragments.map((f) => f.box.height)),
): TableGrid[] {
  const minRows = options.minRows ?? 3;
  const minColumns = options.minColumns ?? 2;
  if (lineHeight <= 0) return [];
  const found = rowsOf(fragments);
  const rows = found.map((row, i) =>
    joinNear(row, lineHeight, nearRows(found, i, lineHeight), nearRows(found, i, lineHeight, columnReach)),
  );
  const grids: TableGrid[] = [];
  let run: Row[] = [];
  const close = () => {
    // A run ends on its last row of several pieces: single pieces after it are text below the table.
    while (run.length > 0 && (run[run.length - 1]?.pieces.length ?? 0) < 2) run.pop();
    run = withWrappedLines(run, lineHeight);
    if (run.length >= minRows) grids.push(...sideBySide(run, minRows, minColumns));
    else if (run.length === 2 && keysBesideValues(run)) grids.push(...sideBySide(run, 2, minColumns));
    run = [];
  };
  for (const row of rows) {
    const previous = run[run.length - 1];
    const gap = previous === undefined ? Infinity : row.top - previous.bottom;
    // Rows of a grid stand further apart than lines of text when their pieces line up one for one.
    const near =
      gap <= lineHeight * 1.8 ||
      (previous !== undefined && gap <= lineHeight * 4 && sameColumns(previous, row)) ||
      (previous !== undefined && run.length === 1 && gap <= lineHeight * 3 && headerOver(previous, row));
    if (row.pieces.length >= 2) {
      const last = [...run].reverse().find((r) => r.pieces.length >= 2);
      // A row of many more pieces than the table's (a receipt's register line) is not one of its rows.
      const fits =
        last === undefined ||
        Math.abs(row.pieces.length - last.pieces.length) <= 1 ||
        // A header row of words may hold fewer pieces than the rows of figures under it.
        (run.length === 1 &&
          last.pieces.length < row.pieces.length &&
          last.pieces.every((p) => !valueLike.test(p.line.Text ?? ''))) ||
        (run.length >= 3 && standsUnder(row, run));
      // A row of words alone under rows of figures heads the next table (its column headings).
      const heading =
        last !== undefined &&
        run.length >= 3 &&
        last.pieces.some((p) => valueLike.test(p.line.Text ?? '')) &&
        row.pieces.every((p) => !valueLike.test(p.line.Text ?? ''));
      if (!near || !fits || heading) close();
      run.push(row);
    } else if (near && run.length > 0 && row.pieces.length === 1 && fitsColumns(row, run)) {
      // A row with one filled cell (a wrapped description, a subtotal) stays in the table.
      run.push(row);
    } else close();
  }
  close();
  return grids;
}

/**
 * Every piece of the row stands under a piece of the run's rows of two pieces or more. Such a row
 * belongs to a table of three rows or more whatever its number of pieces: its other cells are empty
 * (a deduction without a rate), or the table beside it, whose pieces shared the rows above, has ended
 * (a payslip's earnings going on under its shorter benefits table).
 */
function standsUnder(row: Row, run: readonly Row[]): boolean {
  const above = run.filter((r) => r.pieces.length >= 2).flatMap((r) => r.pieces);
  return (
    row.pieces.length >= 2 &&
    row.pieces.every((p) =>
      above.some((q) => p.box.left < q.box.left + q.box.width && q.box.left < p.box.left + p.box.width),
    )
  );
}

/** Rows of three or more pieces starting at the same places. */
function sameColumns(a: Row, b: Row): boolean {
  if (a.pieces.length < 3 || a.pieces.length !== b.pieces.length) return false;
  const tolerance = Math.max(...a.pieces.map((p) => p.box.height));
  return a.pieces.every((p, i) => Math.abs(p.box.left - (b.pieces[i]?.box.left ?? Infinity)) < tolerance);
}

/**
 * Pieces of a row closer than a table's column gap are one cell's text: OCR splits "LG FLATSCREEN   65"
 * where Textract keeps the item's name in one cell. Not when figures in the rows next to it stand
 * under each piece apart: column headings wider than their figures ("this period  total to date"
 * over "0.51  27.00") stand close, yet head two columns. Nor a key and its value when values stand in
 * a column ("State:  2" between "Federal:  3" and "Local:  2"): a key-value table's two cells. Nor
 * where a row next to it breaks between pieces at the same place: a column's edge.
 */
function joinNear(
  row: Row,
  lineHeight: number,
  neighbours: readonly Row[] = [],
  column: readonly Row[] = neighbours,
): Row {
  const pieces: Fragment[] = [];
  for (const piece of row.pieces) {
    const prev = pieces[pieces.length - 1];
    const close = prev && piece.box.left - (prev.box.left + prev.box.width) < lineHeight * columnGap;
    if (
      prev &&
      close &&
      !headsTwoColumns(prev, piece, neighbours) &&
      !keyBeforeColumn(prev, piece, neighbours) &&
      !alignedBreak(piece, column)
    ) {
      pieces[pieces.length - 1] = {
        line: { ...prev.line, Text: `${prev.line.Text ?? ''} ${piece.line.Text ?? ''}` },
        words: [...prev.words, ...piece.words],
        box: unionBox([prev.box, piece.box]),
      };
    } else pieces.push(piece);
  }
  return { ...row, pieces };
}

/** `key` ends with a colon and a piece of a row next to it starts where `value` starts. */
function keyBeforeColumn(key: Fragment, value: Fragment, neighbours: readonly Row[]): boolean {
  if (!/:\s*$/.test(key.line.Text ?? '')) return false;
  const tolerance = value.box.height;
  return neighbours.some((r) => r.pieces.some((p) => Math.abs(p.box.left - value.box.left) < tolerance));
}

/**
 * Most rows near this one (of those in several pieces) break between two pieces where `piece` starts:
 * the gap before it is a column's edge, however narrow ("Start Date  End Date  Employer Name" over
 * "1/15/2009  6/30/2011  Any Company"), not a gap between the words of one cell, which falls wherever
 * the cell's first word ends.
 */
function alignedBreak(piece: Fragment, neighbours: readonly Row[]): boolean {
  const tolerance = piece.box.height;
  // Rows of one piece (a wrapped description, a heading) have no edges to say anything.
  const voters = neighbours.filter((r) => r.pieces.length > 1);
  const breaking = voters.filter((r) =>
    r.pieces.some((p, k) => k > 0 && Math.abs(p.box.left - piece.box.left) < tolerance),
  ).length;
  return breaking * 2 > voters.length;
}

/**
 * Rows within `reach` line heights above or below row `i`, two rows at most either side (its
 * neighbours in a table).
 */
function nearRows(rows: readonly Row[], i: number, lineHeight: number, reach = 2): Row[] {
  const row = rows[i]!;
  return rows.filter(
    (r, j) =>
      j !== i &&
      Math.abs(j - i) <= 2 &&
      (r.top >= row.bottom ? r.top - row.bottom : row.top - r.bottom) <= lineHeight * reach,
  );
}

/** Rows that vote on a column's edge reach a little further: the first row under a header has two. */
const columnReach = 3;

/** A figure in a neighbouring row under `a` and not `b`, and another under `b` and not `a`. */
function headsTwoColumns(a: Fragment, b: Fragment, neighbours: readonly Row[]): boolean {
  const over = (p: Fragment, q: Fragment) =>
    p.box.left < q.box.left + q.box.width && p.box.left + p.box.width > q.box.left;
  const figures = neighbours.flatMap((r) => r.pieces).filter((p) => amount.test(p.line.Text ?? ''));
  return figures.some((f) => over(f, a) && !over(f, b)) && figures.some((f) => over(f, b) && !over(f, a));
}

/** The narrowest gap between columns of an unruled table, in line heights. */
export const columnGap = 2.5;

/** A single piece that starts within the span of the run so far and is not wider than it. */
function fitsColumns(row: Row, run: readonly Row[]): boolean {
  const piece = row.pieces[0]!;
  const left = Math.min(...run.flatMap((r) => r.pieces.map((p) => p.box.left)));
  const right = Math.max(...run.flatMap((r) => r.pieces.map((p) => p.box.left + p.box.width)));
  return piece.box.left >= left - 0.01 && piece.box.left + piece.box.width <= right + 0.01;
}

interface Column {
  left: number;
  right: number;
}

/**
 * Tables set side by side share their rows: where a column of words follows columns of values (a
 * label column after the amounts) and has values of its own after it, another table begins. Each
 * part is a table of its own if it is one.
 */
function sideBySide(run: Row[], minRows: number, minColumns: number): TableGrid[] {
  const columns = columnsOf(run);
  const valued = columns.map((c) => columnValued(run, c));
  const starts = [0];
  // A column of words after columns of values starts another table when values of its own follow it
  // (a label column: "Other Benefits … this period … total to date") or a gap wider than the table's
  // others parts them; columns of words to the end of the row, as close as the rest, are the same
  // table's ("Employer Name", "Position Held", "Reason for leaving").
  const gaps = columns.slice(1).map((c, i) => c.left - (columns[i]?.right ?? c.left));
  const usualGap = median(gaps);
  // A table's own column of words comes first: values before it in a table without one (a statement's
  // dates, an invoice's quantities before their descriptions) are its first columns, not a table,
  // unless a wide gap parts two columns of them or more from it.
  for (let i = 1; i < columns.length; i++) {
    const wide = (gaps[i - 1] ?? 0) > usualGap * 1.5;
    // Values alone as wide as a table of their own, across a wide gap, are one ("Date | Amount"
    // beside a table of fees).
    const start = starts[starts.length - 1] ?? 0;
    const labelled = valued.slice(start, i).some((v) => !v);
    const split = labelled ? wide || valued.slice(i + 1).some(Boolean) : wide && i - start >= minColumns;
    if (!valued[i] && valued[i - 1] && split) starts.push(i);
  }
  if (starts.length === 1) {
    const grid = gridOf(run, minColumns);
    return grid ? [grid] : [];
  }
  const grids: TableGrid[] = [];
  starts.forEach((start, k) => {
    const left = columns[start]!.left;
    const right = columns[(starts[k + 1] ?? columns.length) - 1]!.right;
    const part = run
      .map((row) => {
        const pieces = row.pieces.filter((p) => centreX(p.box) >= left && centreX(p.box) <= right);
        return {
          pieces,
          top: Math.min(...pieces.map((p) => p.box.top)),
          bottom: Math.max(...pieces.map((p) => p.box.top + p.box.height)),
        };
      })
      .filter((row) => row.pieces.length > 0);
    while (part.length > 0 && (part[0]?.pieces.length ?? 0) < 2) {
      const lead = part.shift()!;
      if (part[0] && wrappedHeading(lead, part[0])) part[0] = joinRows(lead, part[0]);
    }
    while (part.length > 0 && (part[part.length - 1]?.pieces.length ?? 0) < 2) part.pop();
    const grid = part.length >= minRows ? gridOf(part, minColumns) : undefined;
    if (grid) grids.push(grid);
  });
  return grids;
}

function columnValued(run: readonly Row[], column: Column): boolean {
  const texts = run.flatMap((r) =>
    r.pieces
      .filter((p) => p.box.left < column.right && p.box.left + p.box.width > column.left)
      .map((p) => p.line.Text ?? ''),
  );
  return texts.filter((t) => valueLike.test(t)).length >= Math.max(2, texts.length * 0.5);
}

function gridOf(run: Row[], minColumns: number): TableGrid | undefined {
  // Key-value lists ("Name: Jane") line up too, but Textract reads them as form fields; lists of
  // figures under their keys ("Pay date:  7/25/2008") it reads as tables.
  const keyed = run.filter((r) => /:\s*$/.test(r.pieces[0]?.line.Text ?? '') && r.pieces.length === 2);
  const figures = keyed.filter((r) => valueLike.test(r.pieces[1]?.line.Text ?? '')).length;
  if (keyed.length >= run.length / 2 && figures <= keyed.length / 2) return undefined;
  const columns = columnsOf(run);
  if (columns.length < minColumns) return undefined;
  const rowsWithMany = run.filter((r) => r.pieces.length >= 2).length;
  if (rowsWithMany < Math.max(2, run.length / 2)) return undefined;
  if (!tabular(run, columns)) return undefined;
  const xs = [columns[0]!.left];
  for (let i = 0; i + 1 < columns.length; i++) xs.push((columns[i]!.right + columns[i + 1]!.left) / 2);
  xs.push(columns[columns.length - 1]!.right);
  const ys = [run[0]!.top];
  for (let i = 0; i + 1 < run.length; i++) ys.push(rowBoundary(run[i]!, run[i + 1]!));
  ys.push(run[run.length - 1]!.bottom);
  const merged: Span[] = [];
  run.forEach((row, r) => {
    for (const piece of row.pieces) {
      const reached = columns
        .map((c, i) => ({
          i,
          o: Math.min(c.right, piece.box.left + piece.box.width) - Math.max(c.left, piece.box.left),
        }))
        .filter((c) => c.o > 0);
      // Headings OCR read as one piece, each word over its own column ("Withdrawals Deposits"), are
      // a cell each, not one cell across both.
      const inColumn = (w: Block) =>
        columns.findIndex((c) => centreX(boxOf(w)) >= c.left && centreX(boxOf(w)) <= c.right);
      // Not a group heading over sub-headings ("Current Period" over "Hours | Amount"): the row under
      // it holds values there, or nothing.
      const under = (run[1]?.pieces ?? []).filter(
        (q) => q.box.left < piece.box.left + piece.box.width && q.box.left + q.box.width > piece.box.left,
      );
      const apart =
        r === 0 &&
        under.every(isValue) &&
        new Set(piece.words.map(inColumn)).size === reached.length &&
        !piece.words.some((w) => inColumn(w) < 0);
      if (reached.length > 1 && !apart) {
        const first = reached[0]!.i;
        merged.push({
          row: r,
          column: first,
          rowSpan: 1,
          columnSpan: reached[reached.length - 1]!.i - first + 1,
        });
      }
    }
  });
  return { xs, ys, merged, ruled: false };
}

/**
 * Between two rows: the middle of the gap between them. A word box grown far past its print (OCR
 * gives a word of a cramped block twice its height) can make rows overlap; the boundary is then put
 * halfway between the middles of the nearest words of each, so every word stays in its row.
 */
function rowBoundary(above: Row, below: Row): number {
  const middle = (above.bottom + below.top) / 2;
  if (below.top >= above.bottom) return middle;
  const centres = (r: Row) => r.pieces.flatMap((p) => p.words.map((w) => centreY(boxOf(w))));
  const lowest = Math.max(...centres(above));
  const highest = Math.min(...centres(below));
  return lowest < highest ? (lowest + highest) / 2 : middle;
}

/**
 * Columns from the pieces of the rows with the most pieces (the body), widened by pieces of other rows
 * that fall in one column; pieces reaching over several columns do not join them. A header row of
 * words counts as the body only when no two other rows are: OCR reads two headings set close as one
 * piece ("Withdrawals Deposits") over columns its rows keep apart.
 */
function columnsOf(run: readonly Row[]): Column[] {
  const most = Math.max(...run.map((r) => r.pieces.length));
  const header = run[0]?.pieces.every((p) => !isValue(p)) ? run[0] : undefined;
  const rows = run.filter((r) => r !== header);
  const bodyOf = (rs: readonly Row[]) => {
    const full = rs.filter((r) => r.pieces.length === most);
    return full.length >= 2 ? full : rs.filter((r) => r.pieces.length >= Math.max(2, most - 1));
  };
  const rest = bodyOf(rows);
  const body = rest.length >= 2 ? rest : bodyOf(run);
  let columns: Column[] = [];
  for (const piece of body.flatMap((r) => r.pieces).sort((a, b) => a.box.left - b.box.left)) {
    const left = piece.box.left;
    const right = left + piece.box.width;
    const last = columns[columns.length - 1];
    if (last && left < last.right) last.right = Math.max(last.right, right);
    else columns.push({ left, right });
  }
  for (const piece of run.flatMap((r) => r.pieces)) {
    const left = piece.box.left;
    const right = left + piece.box.width;
    const hits = columns.filter((c) => left < c.right && right > c.left);
    if (hits.length === 1) {
      hits[0]!.left = Math.min(hits[0]!.left, left);
      hits[0]!.right = Math.max(hits[0]!.right, right);
    }
  }
  // A heading over no column's pieces heads a column its rows leave empty ("Ref" over no values).
  if (header && rest.length >= 2)
    for (const piece of header.pieces) {
      const [left, right] = [piece.box.left, piece.box.left + piece.box.width];
      if (!columns.some((c) => left < c.right && right > c.left)) columns.push({ left, right });
    }
  columns = columns.sort((a, b) => a.left - b.left);
  return columns;
}

/**
 * Text in columns is a table when a column holds values (prices, quantities, dates) or when every row
 * fills every column; two columns of words side by side (addresses, a letterhead) and lists of options
 * set out in columns are not.
 */
function tabular(run: readonly Row[], columns: readonly Column[]): boolean {
  // Every row filled, column by column, at the same places: a grid, whatever it holds.
  if (run.every((row, i) => i === 0 || sameColumns(run[i - 1]!, row))) return true;
  const valued = columns.map((column) => columnValued(run, column));
  // Words over values in three columns or more (a header over an item's figures).
  const pieces = run.flatMap((r) => r.pieces.map((p) => p.line.Text ?? ''));
  if (columns.length >= 3 && pieces.filter((t) => valueLike.test(t)).length >= pieces.length / 3) return true;
  return columns.length === 2 ? valued[1] === true : valued.some(Boolean);
}
