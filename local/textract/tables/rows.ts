/**
 * Rows of text as the unruled-table rules see them: pieces (lines split at wide gaps) that share a
 * line on the page, and what counts as a value (a figure, a date, a code) rather than words.
 */
import { centreY, type Fragment } from './grid';

export interface Row {
  pieces: Fragment[];
  top: number;
  bottom: number;
}

/** Pieces grouped into rows by vertical overlap, top to bottom, each row left to right. */
export function rowsOf(fragments: readonly Fragment[]): Row[] {
  const sorted = [...fragments].sort((a, b) => centreY(a.box) - centreY(b.box));
  const rows: Row[] = [];
  for (const f of sorted) {
    const c = centreY(f.box);
    const row = rows.find(
      (r) => c > r.top && c < r.bottom && Math.abs(centreY(r.pieces[0]!.box) - c) < f.box.height * 0.6,
    );
    if (row) {
      row.pieces.push(f);
      row.top = Math.min(row.top, f.box.top);
      row.bottom = Math.max(row.bottom, f.box.top + f.box.height);
    } else rows.push({ pieces: [f], top: f.box.top, bottom: f.box.top + f.box.height });
  }
  for (const r of rows) r.pieces.sort((a, b) => a.box.left - b.box.left);
  return rows.sort((a, b) => a.top - b.top);
}

/** An amount, a count, a date or a code: what fills the columns of a table and not a text's. */
export const amount = /^[\s$€£¥(+-]*[\d][\d\s.,:/%-]*\)?\s*[a-z%]{0,3}$/i;
const date = /^\p{L}{3,9}\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{2,4}$/iu;
const code = /^[\p{L}\d#/-]*\d[\p{L}\d#/-]*$/u;
export const valueLike = { test: (text: string) => [amount, date, code].some((re) => re.test(text.trim())) };

/** Whether a piece's text is a value. */
export const isValue = (f: Fragment) => valueLike.test(f.line.Text ?? '');

/** A row of words over a row with figures, about as many pieces: a header set apart by a rule. */
export function headerOver(header: Row, row: Row): boolean {
  return (
    header.pieces.length >= 2 &&
    Math.abs(header.pieces.length - row.pieces.length) <= 1 &&
    header.pieces.every((p) => !valueLike.test(p.line.Text ?? '')) &&
    row.pieces.some((p) => valueLike.test(p.line.Text ?? ''))
  );
}

/**
 * Two rows of two pieces, keys over keys and figures over figures, each starting where the one above
 * starts ("Period ending:  7/18/2008" over "Pay date:  7/25/2008"): a table of two rows.
 */
export function keysBesideValues(run: readonly Row[]): boolean {
  const [a, b] = run;
  if (!a || !b || a.pieces.length !== 2 || b.pieces.length !== 2) return false;
  const tolerance = Math.max(...a.pieces.map((p) => p.box.height));
  const aligned = a.pieces.every(
    (p, i) => Math.abs(p.box.left - (b.pieces[i]?.box.left ?? Infinity)) < tolerance,
  );
  const keys = [a.pieces[0]!, b.pieces[0]!].every((p) => !valueLike.test(p.line.Text ?? ''));
  const values = [a.pieces[1]!, b.pieces[1]!].every((p) => valueLike.test(p.line.Text ?? ''));
  return aligned && keys && values;
}
