/**
 * Lines of an unruled table's cells that OCR read as lines of their own: a heading printed over two
 * lines, and a description's next line under its row (aligned.ts).
 */
import { unionBox } from '../blocks';
import { isValue, valueLike, type Row } from './rows';

/**
 * A lone piece set tight over the first heading of a header row of words, starting where it starts:
 * the heading's first line ("Other Benefits and" over "Information"), one cell with it. The rows of a
 * table beside it share that line, so it reads as a row of its own.
 */
export function wrappedHeading(lead: Row, header: Row): boolean {
  const line = lead.pieces[0];
  const first = header.pieces[0];
  if (!line || !first || lead.pieces.length !== 1 || header.pieces.length < 2) return false;
  if (header.pieces.some((p) => valueLike.test(p.line.Text ?? '')) || valueLike.test(line.line.Text ?? '')) {
    return false;
  }
  const gap = first.box.top - (line.box.top + line.box.height);
  return gap < first.box.height * 0.5 && Math.abs(line.box.left - first.box.left) < first.box.height;
}

/** Lines closer than this many line heights are one cell's (a paragraph's leading, not a row's). */
const wrapGap = 0.6;

/**
 * The run, its last row of several pieces its end, with each description's next line joined into
 * its cell: a lone piece of words close under a words piece of the row above, starting where it
 * starts. Textract does so even in a single-spaced table (a payslip's "NY SUI/SDI Tax" over "Other"
 * is one cell). Joined once the run is closed, a line under the table's last row stays out of it;
 * joined into the piece above, the row keeps its count of pieces, by which columns are found.
 */
export function withWrappedLines(run: readonly Row[], lineHeight: number): Row[] {
  const out: Row[] = [];
  for (const row of run) {
    const above = out[out.length - 1];
    const into = above && row.pieces.length === 1 ? wrappedInto(above, row, lineHeight) : -1;
    const piece = row.pieces[0];
    if (!above || into < 0 || !piece) {
      out.push(row);
      continue;
    }
    const pieces = above.pieces.map((p, i) =>
      i === into ? { ...p, words: [...p.words, ...piece.words], box: unionBox([p.box, piece.box]) } : p,
    );
    out[out.length - 1] = { pieces, top: above.top, bottom: Math.max(above.bottom, row.bottom) };
  }
  return out;
}

/**
 * Which piece of `above` a lone piece of words in `row` goes on from: a words piece it stands close
 * under (within `wrapGap` line heights), starting where it starts; -1 for none.
 */
function wrappedInto(above: Row, row: Row, lineHeight: number): number {
  const piece = row.pieces[0];
  if (!piece || above.pieces.length < 2 || isValue(piece) || row.top - above.bottom > lineHeight * wrapGap)
    return -1;
  return above.pieces.findIndex(
    (p) =>
      !isValue(p) &&
      Math.abs(p.box.left - piece.box.left) < p.box.height &&
      // Under it, not a box OCR grew up into the row (a next row's word boxed from above).
      piece.box.top >= p.box.top + p.box.height * 0.9,
  );
}

export function joinRows(a: Row, b: Row): Row {
  return {
    pieces: [...a.pieces, ...b.pieces],
    top: Math.min(a.top, b.top),
    bottom: Math.max(a.bottom, b.bottom),
  };
}
