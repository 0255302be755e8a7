/**
 * QUERIES answered from the document: the question's content words are matched against the keys of
 * the page's key-value pairs, then against line text ("Invoice Date 2024-01-02") and table rows under
 * column headings (query-rows.ts); the best match above
 * a threshold gives the QUERY_RESULT. Unanswered queries get a QUERY block with no ANSWER, as Textract does.
 */
import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, geometry, unionBox, type IdFactory, type PageBlocks } from './blocks';
import type { KeyValuePair } from './forms';
import { candidatesFromRows } from './query-rows';
import type { QueryInput } from './validation';

const stopWords = new Set(
  'a an the is are was were what which who whom whose when where why how many much of for to in on at by with from as and or do does did this that these those there their its it be been any'.split(
    ' ',
  ),
);

/**
 * Column headings of statements said two ways: a question asks for the "YTD" or "current" amount of
 * a column headed "Year to date" or "This period".
 */
const phrases: [RegExp, string][] = [
  [/\byear[\s\-–]+to[\s\-–]+date\b|\by-t-d\b/g, 'ytd'],
  [/\bthis[\s-]+period\b/g, 'current'],
];

/**
 * "Invoice No." and "Account #" answer "invoice number" and "account number": an abbreviation with its
 * full stop or colon, or a "#" (a bare "No" is the answer to a question, as in a Yes/No column).
 */
const numberSigns = /\b(?:no|nos|nr|num)\s*[.:]+(?=\s|$)|#/g;

/**
 * A word without its inflection, the same way on both sides of a comparison: a plural's s, then
 * -ing or -ed, then a final e ("Period Ending" and "period ended" answer "period end date", "Rates"
 * answers "rate"), keeping at least three letters.
 */
export function stem(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.length > 3 && /[^su]s$/.test(w)) w = w.slice(0, -1);
  for (const ending of ['ing', 'ed']) {
    if (w.endsWith(ending) && w.length - ending.length >= 3) {
      w = w.slice(0, -ending.length);
      break;
    }
  }
  return w.length > 3 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/** Lower-cased content words of a question or label. */
export function contentWords(text: string): string[] {
  let lower = text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(numberSigns, ' number ');
  for (const [phrase, word] of phrases) lower = lower.replace(phrase, word);
  return lower
    .replace(/[^a-z0-9%$ ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !stopWords.has(w))
    .map(stem);
}

/** How much each word says on this page: words on fewer of its lines say more (`wordWeights`). */
export type Weights = (word: string) => number;

/**
 * Inverse document frequency over the page's lines: ln((lines + 1) / (lines holding the word + 1)) + 1.
 * "Pay" on a pay statement is on many lines and tells little; "start" on none tells that a label
 * without it ("Pay Date") does not answer "What is the pay period start date?".
 */
export function wordWeights(page: PageBlocks): Weights {
  const lines = new Map<string, number>();
  for (const line of page.lines) {
    for (const w of new Set(contentWords(line.block.Text ?? ''))) lines.set(w, (lines.get(w) ?? 0) + 1);
  }
  const total = page.lines.length;
  return (word) => Math.log((total + 1) / ((lines.get(word) ?? 0) + 1)) + 1;
}

/** Share of the question's content words found in the candidate label (0..1), each by its weight. */
export function overlap(
  question: readonly string[],
  label: readonly string[],
  weight: Weights = () => 1,
): number {
  if (question.length === 0 || label.length === 0) return 0;
  const have = new Set(label);
  const sum = (words: readonly string[]) => words.reduce((n, w) => n + weight(w), 0);
  const hits = sum(question.filter((w) => have.has(w)));
  // Penalise long labels that merely contain the words, so "Date" beats "Date of birth of spouse".
  return hits / Math.max(sum(question), sum(label) * 0.75);
}

interface Candidate {
  score: number;
  text: string;
  words: Block[];
  confidence: number;
}

function candidatesFromPairs(
  question: string[],
  pairs: readonly KeyValuePair[],
  words: Map<string, Block>,
  weight: Weights,
): Candidate[] {
  return pairs
    .filter((p) => p.valueText.length > 0)
    .map((p) => ({
      score: overlap(question, contentWords(p.keyText), weight),
      text: p.valueText.replace(/([$€£]) (?=[\d.,]+)/g, '$1'),
      words: (p.value.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? []).flatMap((id) => {
        const w = words.get(id);
        return w ? [w] : [];
      }),
      confidence: p.key.Confidence ?? 0,
    }));
}

/**
 * Candidates from lines and rows: the longest prefix of a line made only of question words is a
 * label, and what follows it on its row answers it. Weaker evidence than a key-value pair, unless the
 * question also names the column the answer stands under.
 */
function candidatesFromLines(question: string[], page: PageBlocks, weight: Weights): Candidate[] {
  const scored = (q: readonly string[], label: readonly string[]) => overlap(q, label, weight);
  return candidatesFromRows(question, page, scored, contentWords).map((c) => ({
    score: c.headed ? c.score : c.score * 0.6,
    text: c.text,
    words: c.words,
    confidence: c.confidence,
  }));
}

function pageSelected(pageNo: number, pageCount: number, pages: readonly string[] | undefined): boolean {
  if (!pages) return pageNo === 1;
  return pages.some((spec) => {
    if (spec === '*') return true;
    const [from, to] = spec.split('-');
    const lo = from === '*' ? pageCount : Number(from);
    const hi = to === undefined ? lo : to === '*' ? pageCount : Number(to);
    return pageNo >= lo && pageNo <= hi;
  });
}

/**
 * QUERY and QUERY_RESULT blocks for one page. As in Textract, a query without `Pages` is asked of the
 * first page only.
 */
export function answerQueries(
  queries: readonly QueryInput[],
  page: PageBlocks,
  pairs: readonly KeyValuePair[],
  pageCount: number,
  newId: IdFactory = randomUUID,
): Block[] {
  const pageNo = page.page.Page ?? 1;
  const withPage = page.page.Page !== undefined ? { Page: pageNo } : {};
  const words = new Map(page.lines.flatMap((l) => l.words.map((w) => [w.Id ?? '', w] as const)));
  const blocks: Block[] = [];
  const weight = wordWeights(page);
  for (const query of queries) {
    if (!pageSelected(pageNo, pageCount, query.pages)) continue;
    const question = contentWords(query.text);
    const best = [
      ...candidatesFromPairs(question, pairs, words, weight),
      ...candidatesFromLines(question, page, weight),
    ].sort((a, b) => b.score - a.score)[0];
    const queryBlock: Block = {
      BlockType: 'QUERY',
      Id: newId(),
      Query: {
        Text: query.text,
        ...(query.alias ? { Alias: query.alias } : {}),
        ...(query.pages ? { Pages: query.pages } : {}),
      },
      ...withPage,
    };
    blocks.push(queryBlock);
    if (!best || best.score < 0.5) continue;
    const result: Block = {
      BlockType: 'QUERY_RESULT',
      Confidence: Math.min(100, best.confidence * best.score),
      Text: best.text,
      Geometry: geometry(unionBox(best.words.map(boxOf))),
      Id: newId(),
      ...withPage,
    };
    queryBlock.Relationships = [{ Type: 'ANSWER', Ids: [result.Id ?? ''] }];
    blocks.push(result);
  }
  return blocks;
}
