/**
 * Query answers from a row of a table or statement: the row's label ("Gross Pay") at its left, its
 * figures in columns to the right, each under a column heading ("Current", "YTD"). The lines of a row
 * are separate LINE blocks once split at column gaps, so the row is gathered by geometry; the column
 * whose heading the question names answers it ("What is the YTD gross pay?"), else the first.
 */
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, type Box, type PageBlocks } from './blocks';
import { sameRow } from './form-layout';

export interface RowCandidate {
  /** Share of the question's words found in the row label and the chosen column's heading (0..1). */
  score: number;
  /** The question named the chosen column's heading. */
  headed: boolean;
  text: string;
  words: Block[];
  confidence: number;
}

type Overlap = (question: readonly string[], label: readonly string[]) => number;
type ContentWords = (text: string) => string[];

/** A value's words as one answer: "$ 770.00" as "$770.00", every other token as read. */
export function answerText(words: readonly Block[]): string {
  return words
    .map((w) => w.Text ?? '')
    .join(' ')
    .replace(/([$€£]) (?=[\d.,]+)/g, '$1');
}

/** Lines of a column, and its heading over them, are at most this many of the cell's heights apart. */
const headingReach = 4;

/** A column heading is a short line: a line of prose above a figure does not head its column. */
const maxHeadingWords = 4;

/** A figure, or a filler standing for one ("--", "N/A"). */
const isFigure = (text: string) =>
  (/\d/.test(text) && !/\p{L}{2}/u.test(text)) || !/\p{L}/u.test(text) || /^n\/?a\.?$/i.test(text.trim());

/** A "Key:" of another field: never a column's heading, nor a cell answering a row's label. */
const isKey = (text: string) => /:\s*$|:\s/.test(text);

/**
 * Line `j` is a cell of a row: a figure (or a filler for one) with the row's label, words, to its
 * left. A bare figure with no label beside it ("2024" over a column) may head its column.
 */
function rowCell(page: PageBlocks, j: number): boolean {
  const line = page.lines[j];
  if (!line || !isFigure(line.block.Text ?? '')) return false;
  const left = boxOf(line.block).left;
  return sameRow(page, j).some(
    (k) =>
      k !== j && boxOf(page.lines[k]?.block ?? {}).left < left && !isFigure(page.lines[k]?.block.Text ?? ''),
  );
}

/**
 * Content words of the heading over `cell`'s column: walking up the lines that overlap it across,
 * each close under the last, past the cells of the rows above, the nearest one or two short lines
 * that are neither cells nor a "Key:".
 */
function headingWords(page: PageBlocks, cell: Box, words: ContentWords): string[] {
  const above = page.lines
    .map((l, j) => ({ l, j, b: boxOf(l.block) }))
    .filter(
      ({ b }) =>
        b.top + b.height <= cell.top + cell.height * 0.2 &&
        Math.min(b.left + b.width, cell.left + cell.width) - Math.max(b.left, cell.left) > 0,
    )
    .sort((a, b) => b.b.top - a.b.top);
  const heading: string[] = [];
  let top = cell.top;
  for (const { l, j, b } of above) {
    if (top - (b.top + b.height) > cell.height * headingReach) break;
    top = b.top;
    const text = l.block.Text ?? '';
    const cellAbove = rowCell(page, j);
    if (cellAbove && heading.length === 0) continue;
    if (cellAbove || isKey(text) || words(text).length > maxHeadingWords) break;
    heading.push(text);
    if (heading.length === 2) break;
  }
  return heading.flatMap((text) => words(text));
}

/**
 * Candidates from rows: for each line starting with words of the question, the figures after it on
 * its line and in the lines to its right on the same row.
 */
export function candidatesFromRows(
  question: readonly string[],
  page: PageBlocks,
  overlap: Overlap,
  words: ContentWords,
): RowCandidate[] {
  const wanted = new Set(question);
  const out: RowCandidate[] = [];
  page.lines.forEach((line, index) => {
    let i = 0;
    while (i < line.words.length && words(line.words[i]?.Text ?? '').every((w) => wanted.has(w))) i++;
    const label = line.words.slice(0, i).flatMap((w) => words(w.Text ?? ''));
    if (label.length === 0) return;
    const right = boxOf(line.block).left + boxOf(line.block).width;
    const cells: Block[][] = [];
    const rest = line.words.slice(i);
    // "Date of Hire: …" is another field's key, not the label "Date" and its value.
    if (rest.some((w) => isKey(w.Text ?? ''))) return;
    if (rest.length > 0) cells.push(rest);
    for (const j of sameRow(page, index)) {
      const other = page.lines[j];
      if (j === index || !other || boxOf(other.block).left < right || isKey(other.block.Text ?? '')) continue;
      cells.push(other.words);
    }
    // A row of several amounts reads as separate figures, one per column.
    const figures = cells.flatMap(splitFigures);
    let best: RowCandidate | undefined;
    for (const cell of figures) {
      const heading = headingWords(page, boxOfWords(cell), words).filter((w) => !label.includes(w));
      const named = heading.filter((w) => wanted.has(w) && !label.includes(w));
      const score = overlap(question, [...label, ...new Set(named)]);
      const candidate = {
        score,
        headed: named.length > 0,
        text: answerText(cell),
        words: cell,
        confidence: line.block.Confidence ?? 0,
      };
      if (!best || score > best.score) best = candidate;
    }
    if (best) out.push(best);
  });
  return out;
}

/** An amount as statements print it: decimals or thousands separators, maybe signed or bracketed. */
const amount = /^[($€£-]*(\d{1,3}(,\d{3})+(\.\d+)?|\d*\.\d+)\)?%?$/;

/** A cell's words as figures: each amount (with a currency sign before it) apart, words kept together. */
function splitFigures(cell: readonly Block[]): Block[][] {
  const out: Block[][] = [];
  let current: Block[] = [];
  for (const w of cell) {
    const text = w.Text ?? '';
    const starts = amount.test(text) || /^[$€£]$/.test(text);
    if (starts && current.some((c) => amount.test(c.Text ?? ''))) {
      out.push(current);
      current = [];
    }
    current.push(w);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function boxOfWords(words: readonly Block[]): Box {
  const boxes = words.map(boxOf);
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}
