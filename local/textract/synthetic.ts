/**
 * Synthetic large results for load tests: N pages of PAGE, LINE and WORD blocks computed from their
 * position alone, so a 3,000-page job streams through Get* and OutputConfig with flat memory.
 */
import type { Block } from '@aws-sdk/client-textract';
import type { BlockSource } from './block-source';
import { geometry } from './blocks';

/** Shape of a synthetic result. */
export interface SyntheticSpec {
  pages: number;
  /** @default 99 */
  linesPerPage?: number;
  /** @default 4 (so a page has 1 + 99 × 5 = 496 blocks) */
  wordsPerLine?: number;
}

const vocabulary = [
  'invoice',
  'total',
  'amount',
  'due',
  'date',
  'account',
  'number',
  'payment',
  '$1,250.00',
  'net',
];

/** Generates blocks on demand; Ids are deterministic per job (seed) and position. */
export class SyntheticBlocks implements BlockSource {
  readonly pages: number;
  private readonly lines: number;
  private readonly words: number;
  private readonly perPage: number;
  private readonly seed: string;

  constructor(spec: SyntheticSpec, seed: string) {
    this.pages = spec.pages;
    this.lines = spec.linesPerPage ?? 99;
    this.words = spec.wordsPerLine ?? 4;
    this.perPage = 1 + this.lines * (1 + this.words);
    this.seed = seed
      .replace(/[^0-9a-f]/g, '')
      .padEnd(8, '0')
      .slice(0, 8);
  }

  get count(): number {
    return this.pages * this.perPage;
  }

  slice(start: number, end: number): Block[] {
    const out: Block[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.count); i++) out.push(this.block(i));
    return out;
  }

  private id(page: number, kind: number, index: number): string {
    const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
    return `${this.seed}-${hex(page, 4)}-4${hex(kind, 3)}-8000-${hex(index, 12)}`;
  }

  private wordText(page: number, line: number, word: number): string {
    return vocabulary[(page * 7 + line * 3 + word) % vocabulary.length] ?? 'word';
  }

  private block(i: number): Block {
    const page = Math.floor(i / this.perPage);
    const at = i % this.perPage;
    const pageNo = page + 1;
    const lineHeight = 0.9 / this.lines;
    if (at === 0) {
      return {
        BlockType: 'PAGE',
        Geometry: geometry({ left: 0, top: 0, width: 1, height: 1 }),
        Id: this.id(page, 0, 0),
        Relationships: [
          { Type: 'CHILD', Ids: Array.from({ length: this.lines }, (_, l) => this.id(page, 1, l)) },
        ],
        Page: pageNo,
      };
    }
    if (at <= this.lines) {
      const line = at - 1;
      const texts = Array.from({ length: this.words }, (_, w) => this.wordText(page, line, w));
      return {
        BlockType: 'LINE',
        Confidence: 99,
        Text: texts.join(' '),
        Geometry: geometry({
          left: 0.05,
          top: 0.05 + line * lineHeight,
          width: 0.9,
          height: lineHeight * 0.8,
        }),
        Id: this.id(page, 1, line),
        Relationships: [
          {
            Type: 'CHILD',
            Ids: Array.from({ length: this.words }, (_, w) => this.id(page, 2, line * this.words + w)),
          },
        ],
        Page: pageNo,
      };
    }
    const wordIndex = at - 1 - this.lines;
    const line = Math.floor(wordIndex / this.words);
    const word = wordIndex % this.words;
    const width = 0.9 / this.words;
    return {
      BlockType: 'WORD',
      Confidence: 99,
      Text: this.wordText(page, line, word),
      TextType: 'PRINTED',
      Geometry: geometry({
        left: 0.05 + word * width,
        top: 0.05 + line * lineHeight,
        width: width * 0.9,
        height: lineHeight * 0.8,
      }),
      Id: this.id(page, 2, wordIndex),
      Page: pageNo,
    };
  }
}
