/**
 * Keys and values set in two columns, read by OCR as one line when the gap after the key is short
 * ("Federal: 3, $25 Additional Tax" over "State:   2"): the line is split after its key when the
 * values of the lines around it start where its value starts, although their keys end at other
 * places. Values that merely follow their keys ("Name: Jane Doe" over "Date of birth: 01/02/80")
 * start wherever their keys end and stay in their lines.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, unionBox } from '../blocks';
import type { Fragment } from './grid';
import { rowsOf, type Row } from './rows';

/** Values in one column start within this many line heights (measured across the page) of each other. */
const valueAlign = 0.4;
/** Keys of one column start within this many line heights of each other. */
const keyAlign = 1;
/** Keys' ends differ by at least this many line heights: the values were set in a column, not after them. */
const keySpread = 0.5;
/** At least one value stands this many line heights or more after its key: a tab, not a space. */
const tabGap = 1;
/** Lines of one list stand at most this many line heights apart. */
const listGap = 1.5;

interface KeyValue {
  keyLeft: number;
  keyEnd: number;
  valueStart: number;
}

/**
 * `fragments` with each "Key: value" line whose value stands in a column of values split in two
 * pieces, key and value; `aspect` is the page's height over width.
 */
export function splitKeyColumns(
  fragments: readonly Fragment[],
  lineHeight: number,
  aspect: number,
): Fragment[] {
  const across = lineHeight * aspect;
  const rows = rowsOf(fragments);
  const split = new Map<Fragment, Fragment[]>();
  rows.forEach((row, i) => {
    for (const f of row.pieces) {
      const k = keyEndIndex(f);
      if (k < 0) continue;
      const own = keyValue(f, row);
      if (!own) continue;
      const column = [own, ...neighbours(rows, i, f, lineHeight, across)].filter(
        (kv) => Math.abs(kv.valueStart - own.valueStart) <= across * valueAlign,
      );
      if (column.length < 2) continue;
      const ends = column.map((kv) => kv.keyEnd);
      const tabbed = column.some((kv) => kv.valueStart - kv.keyEnd >= across * tabGap);
      if (Math.max(...ends) - Math.min(...ends) >= across * keySpread && tabbed) {
        split.set(f, [pieceOf(f, f.words.slice(0, k + 1)), pieceOf(f, f.words.slice(k + 1))]);
      }
    }
  });
  return fragments.flatMap((f) => split.get(f) ?? [f]);
}

/** Index of the word ending the line's key (its first word ending with a colon, not its last word). */
function keyEndIndex(f: Fragment): number {
  const k = f.words.findIndex((w) => /:$/.test(w.Text ?? ''));
  return k >= 0 && k < f.words.length - 1 ? k : -1;
}

/**
 * Where a line's key ends and its value starts: after its colon within the line, else the next piece
 * of its row (a key OCR read apart from its value).
 */
function keyValue(f: Fragment, row: Row): KeyValue | undefined {
  const k = keyEndIndex(f);
  if (k >= 0) {
    const key = boxOf(f.words[k]!);
    return { keyLeft: f.box.left, keyEnd: key.left + key.width, valueStart: boxOf(f.words[k + 1]!).left };
  }
  const end = f.box.left + f.box.width;
  const next = row.pieces.find((p) => p.box.left >= end);
  return next ? { keyLeft: f.box.left, keyEnd: end, valueStart: next.box.left } : undefined;
}

/** Keys and values of the lines above and below row `i` whose keys start where `f` starts. */
function neighbours(
  rows: readonly Row[],
  i: number,
  f: Fragment,
  lineHeight: number,
  across: number,
): KeyValue[] {
  const out: KeyValue[] = [];
  for (const step of [-1, 1]) {
    let prev = rows[i]!;
    for (let j = i + step; j >= 0 && j < rows.length; j += step) {
      const row = rows[j]!;
      const gap = step > 0 ? row.top - prev.bottom : prev.top - row.bottom;
      const g = row.pieces.find((p) => Math.abs(p.box.left - f.box.left) <= across * keyAlign);
      if (!g || gap > lineHeight * listGap) break;
      const kv = keyValue(g, row);
      if (kv) out.push(kv);
      prev = row;
    }
  }
  return out;
}

function pieceOf(f: Fragment, words: Block[]): Fragment {
  return {
    line: { ...f.line, Text: words.map((w) => w.Text ?? '').join(' ') },
    words,
    box: unionBox(words.map(boxOf)),
  };
}
