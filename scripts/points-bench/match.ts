/*
 * Scoring for the points benchmark (evaluate.ts): each OCR word with a digit is matched to the
 * figure word drawn under it, and what restorePoints made of it is judged against what was drawn.
 *
 * Only words OCR read with the right digits are scored: restorePoints puts back points and commas
 * and nothing else, so a word with a digit misread is no measure of it. Signs, currency marks,
 * brackets and % that OCR split off or misread are not its business either: words are compared from
 * their first digit to their last.
 */
import type { Box, RecognisedLine } from '@docket/local/textract/blocks';
import { uprightBox } from '@docket/local/textract/orientation';
import type { Capture } from './captures';
import type { Degradation, TruthToken } from './pages';

export const outcomes = [
  'unchanged right',
  'unchanged wrong (marks only)',
  'unchanged wrong (other)',
  'changed right',
  'correct->wrong',
  'wrong->other wrong',
] as const;
export type Outcome = (typeof outcomes)[number];

export interface Scored {
  page: string;
  outcome: Outcome;
  /** Scored texts, first digit to last. */
  truth: string;
  before: string;
  after: string;
  /** The words in full. */
  full: { truth: string; before: string; after: string };
  value: string;
  cat: string;
  context: string;
  style: string;
  degradation: Degradation;
  size: string;
  xHeight: number;
  figureShaped: boolean;
  /** For wrong changes: what changed, mark by mark. */
  pattern?: string;
  box: Box;
}

export interface Counts {
  pages: number;
  truthTokens: number;
  ocrDigitWords: number;
  considered: number;
  unreadable: number;
  unmatched: number;
  unmatchedChanged: number;
  truthUnseen: number;
  /** Considered words whose sign / $ / brackets / % differ from the truth's (not scored). */
  affixDiffers: number;
  /** ...and words whose affixes restorePoints changed (should be none). */
  affixChanged: number;
}

export const emptyCounts = (): Counts => ({
  pages: 0,
  truthTokens: 0,
  ocrDigitWords: 0,
  considered: 0,
  unreadable: 0,
  unmatched: 0,
  unmatchedChanged: 0,
  truthUnseen: 0,
  affixDiffers: 0,
  affixChanged: 0,
});

/** A change restorePoints made to a word with no figure drawn under it. */
export interface Stray {
  page: string;
  before: string;
  after: string;
}
/** A word OCR read with other digits than were drawn. */
export interface Misread {
  page: string;
  truth: string;
  read: string;
}

export interface Found {
  scored: Scored[];
  strays: Stray[];
  misreads: Misread[];
}

/** The shape restorePoints looks at (a copy of number-points.ts's `figure`). */
const figureShape = /^[-+$(]?\d[\d.,]*\d[)%]?$/;
const digitsOf = (t: string) => t.replace(/\D/g, '');
const withoutMarks = (t: string) => t.replace(/[.,]/g, '');
const core = (t: string) => t.replace(/^\D+/, '').replace(/\D+$/, '');
const affixes = (t: string) => t.replace(/\d.*\d|\d/, '#');

/** Marks after each digit (index = digits before the mark); '' where none; [0] = before the first. */
function marksByDigit(text: string): string[] {
  const out: string[] = [''];
  for (const c of text) {
    if (/\d/.test(c)) out.push('');
    else if (c === '.' || c === ',') out[out.length - 1] += c;
  }
  return out;
}

/** What changed, mark by mark, against the truth: "none->'.' where truth ','" and so on. */
function changePattern(truth: string, before: string, after: string): string {
  const t = marksByDigit(truth);
  const b = marksByDigit(before);
  const a = marksByDigit(after);
  const kinds: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const where = i === a.length - 1 ? ' after the last digit' : '';
    kinds.push(
      `${b[i] ? `'${b[i]}'` : 'none'}->'${a[i] || ''}' where truth ${t[i] ? `'${t[i]}'` : 'none'}${where}`,
    );
  }
  return [...new Set(kinds)].join(' + ') || 'text changed otherwise';
}

export const sizes = ['x<6px', 'x 6-8px', 'x 8-10px', 'x 10-13px', 'x>=13px'];
function sizeBucket(xHeight: number): string {
  if (xHeight < 6) return 'x<6px';
  if (xHeight < 8) return 'x 6-8px';
  if (xHeight < 10) return 'x 8-10px';
  if (xHeight < 13) return 'x 10-13px';
  return 'x>=13px';
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The drawn word under an OCR word: the best overlap covering 40% of one or the other. */
function truthUnder(box: Box, truth: readonly TruthToken[]): TruthToken | undefined {
  let best: TruthToken | undefined;
  let bestIou = 0;
  for (const t of truth) {
    const inter = overlap(box, t.box);
    if (inter === 0) continue;
    const tArea = t.box.width * t.box.height;
    const wArea = box.width * box.height;
    if (inter / tArea < 0.4 && inter / wArea < 0.4) continue;
    const iou = inter / (tArea + wArea - inter);
    if (iou > bestIou) [best, bestIou] = [t, iou];
  }
  return best;
}

function outcomeOf(right: string, before: string, after: string): Outcome {
  if (before === right) return after === right ? 'unchanged right' : 'correct->wrong';
  if (after === before) {
    return withoutMarks(before) === withoutMarks(right)
      ? 'unchanged wrong (marks only)'
      : 'unchanged wrong (other)';
  }
  return after === right ? 'changed right' : 'wrong->other wrong';
}

/** Scores one capture's words, `restored` being restorePoints' result for its lines. */
export function scoreCapture(
  capture: Capture,
  restored: readonly RecognisedLine[],
  counts: Counts,
  found: Found,
): void {
  counts.pages++;
  const turns = capture.turns ?? 0;
  const truth = capture.truth.map((t) => ({ ...t, box: turns ? uprightBox(t.box, turns) : t.box }));
  counts.truthTokens += truth.length;
  // Digit height on the image restorePoints sees: generated pixels times the recogniser's scale.
  const scale = capture.height / (turns % 2 ? capture.source.width : capture.source.height);
  const seen = new Set<TruthToken>();
  const { spec } = capture;
  for (const [li, line] of capture.lines.entries()) {
    for (const [wi, word] of line.words.entries()) {
      if (!/\d/.test(word.text)) continue;
      counts.ocrDigitWords++;
      const best = truthUnder(word.box, truth);
      const afterFull = restored[li]?.words[wi]?.text ?? word.text;
      if (!best) {
        counts.unmatched++;
        if (afterFull !== word.text) {
          counts.unmatchedChanged++;
          found.strays.push({ page: capture.id, before: word.text, after: afterFull });
        }
        continue;
      }
      if (digitsOf(best.text) !== digitsOf(word.text)) {
        counts.unreadable++;
        if (found.misreads.length < 2000)
          found.misreads.push({ page: capture.id, truth: best.text, read: word.text });
        continue;
      }
      seen.add(best);
      counts.considered++;
      if (affixes(best.text) !== affixes(word.text)) counts.affixDiffers++;
      if (affixes(afterFull) !== affixes(word.text)) counts.affixChanged++;
      const [right, before, after] = [core(best.text), core(word.text), core(afterFull)];
      const outcome = outcomeOf(right, before, after);
      const xHeight = best.digitHeight * scale * 0.75;
      found.scored.push({
        page: capture.id,
        outcome,
        truth: right,
        before,
        after,
        full: { truth: best.text, before: word.text, after: afterFull },
        value: best.value,
        cat: best.cat,
        context: best.context,
        style: `${spec.face}${spec.bold ? ' bold' : ''}`,
        degradation: capture.degradation,
        size: sizeBucket(xHeight),
        xHeight: Math.round(xHeight * 10) / 10,
        figureShaped: figureShape.test(word.text),
        ...(outcome === 'correct->wrong' || outcome === 'wrong->other wrong'
          ? { pattern: changePattern(right, before, after) }
          : {}),
        box: word.box,
      });
    }
  }
  counts.truthUnseen += truth.filter((t) => !seen.has(t)).length;
}
