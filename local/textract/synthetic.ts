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
  /**
   * A table on every page (TABLES): its rows are the page's last lines, one CELL per word, so a
   * page gains 1 + rows × wordsPerLine blocks. @default 0 (no table)
   */
  tableRows?: number;
  /**
   * A form field on every page (FORMS): a KEY_VALUE_SET pair whose key is the page's first word and
   * whose value is its second, both at this confidence, so routing tests can set a document's field
   * confidence without OCR. @default none
   */
  keyValue?: { confidence: number };
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
  private readonly tableRows: number;
  private readonly keyValue: { confidence: number } | undefined;
  /** PAGE, LINE, WORD, TABLE and CELL blocks of a page, before its KEY_VALUE_SET pair. */
  private readonly beforeForms: number;
  /** PAGE, LINE and WORD blocks of a page, before its TABLE and CELL blocks. */
  private readonly textBlocks: number;
  private readonly perPage: number;
  private readonly seed: string;

  constructor(spec: SyntheticSpec, seed: string) {
    this.pages = spec.pages;
    this.lines = spec.linesPerPage ?? 99;
    this.words = spec.wordsPerLine ?? 4;
    this.tableRows = Math.min(spec.tableRows ?? 0, this.lines);
    this.textBlocks = 1 + this.lines * (1 + this.words);
    this.keyValue = spec.keyValue;
    this.beforeForms = this.textBlocks + (this.tableRows > 0 ? 1 + this.tableRows * this.words : 0);
    // The key and the value need two words on the first line.
    this.perPage = this.beforeForms + (this.keyValue && this.words >= 2 ? 2 : 0);
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
          {
            Type: 'CHILD',
            Ids: [
              ...Array.from({ length: this.lines }, (_, l) => this.id(page, 1, l)),
              ...(this.tableRows > 0 ? [this.id(page, 3, 0)] : []),
              ...(this.perPage > this.beforeForms ? [this.id(page, 5, 0), this.id(page, 5, 1)] : []),
            ],
          },
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
    if (at >= this.beforeForms) return this.formBlock(page, at - this.beforeForms);
    if (at >= this.textBlocks) return this.tableBlock(page, at - this.textBlocks);
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

  /** The page's KEY (index 0) or VALUE (index 1): the first and second word of its first line. */
  private formBlock(page: number, index: number): Block {
    const width = 0.9 / this.words;
    const lineHeight = 0.9 / this.lines;
    const common = {
      BlockType: 'KEY_VALUE_SET' as const,
      Confidence: this.keyValue?.confidence ?? 99,
      Geometry: geometry({
        left: 0.05 + index * width,
        top: 0.05,
        width: width * 0.9,
        height: lineHeight * 0.8,
      }),
      Id: this.id(page, 5, index),
      Page: page + 1,
    };
    return index === 0
      ? {
          ...common,
          EntityTypes: ['KEY'],
          Relationships: [
            { Type: 'VALUE', Ids: [this.id(page, 5, 1)] },
            { Type: 'CHILD', Ids: [this.id(page, 2, 0)] },
          ],
        }
      : { ...common, EntityTypes: ['VALUE'], Relationships: [{ Type: 'CHILD', Ids: [this.id(page, 2, 1)] }] };
  }

  /** The page's TABLE (index 0) or one of its CELLs: the last `tableRows` lines, a cell per word. */
  private tableBlock(page: number, index: number): Block {
    const pageNo = page + 1;
    const lineHeight = 0.9 / this.lines;
    const firstLine = this.lines - this.tableRows;
    const width = 0.9 / this.words;
    const cellId = (cell: number) => this.id(page, 4, cell);
    if (index === 0) {
      return {
        BlockType: 'TABLE',
        Confidence: 99,
        Geometry: geometry({
          left: 0.05,
          top: 0.05 + firstLine * lineHeight,
          width: 0.9,
          height: this.tableRows * lineHeight,
        }),
        Id: this.id(page, 3, 0),
        Relationships: [
          { Type: 'CHILD', Ids: Array.from({ length: this.tableRows * this.words }, (_, c) => cellId(c)) },
        ],
        EntityTypes: ['STRUCTURED_TABLE'],
        Page: pageNo,
      };
    }
    const cell = index - 1;
    const row = Math.floor(cell / this.words);
    const column = cell % this.words;
    const line = firstLine + row;
    return {
      BlockType: 'CELL',
      Confidence: 99,
      RowIndex: row + 1,
      ColumnIndex: column + 1,
      RowSpan: 1,
      ColumnSpan: 1,
      Geometry: geometry({
        left: 0.05 + column * width,
        top: 0.05 + line * lineHeight,
        width,
        height: lineHeight,
      }),
      Id: cellId(cell),
      Relationships: [{ Type: 'CHILD', Ids: [this.id(page, 2, line * this.words + column)] }],
      ...(row === 0 ? { EntityTypes: ['COLUMN_HEADER'] } : {}),
      Page: pageNo,
    };
  }
}
