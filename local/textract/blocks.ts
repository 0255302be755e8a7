/**
 * Pure construction of Textract-shaped blocks (PAGE, LINE, WORD) from recognised words. Coordinates
 * are page fractions, as Textract reports them; block order matches the real service: per page the
 * PAGE block, then its LINEs, then their WORDs.
 */
import { randomUUID } from 'node:crypto';
import type { Block, Geometry } from '@aws-sdk/client-textract';
import type { QuarterTurns } from './orientation';
import type { RecognisedSelection } from './selection';
import type { PageInk } from './tables/page-ink';

/** An axis-aligned box in page fractions (0..1). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface RecognisedWord {
  text: string;
  /** 0..100 */
  confidence: number;
  box: Box;
}

export interface RecognisedLine {
  words: RecognisedWord[];
}

/** One page's recognised text, in reading order, and the checkboxes found on it. */
export interface RecognisedPage {
  lines: RecognisedLine[];
  selections?: RecognisedSelection[];
  /**
   * Quarter turns clockwise that brought the page upright for reading; lines and selections are on
   * the upright page and their geometry is turned back when blocks are assembled.
   */
  turns?: QuarterTurns;
  /**
   * Degrees the page was straightened by before OCR (clockwise skew as stored) and the stored page's
   * height over width; lines and selections are on the straightened page.
   */
  skew?: { degrees: number; aspect: number };
  /** Height over width of the (upright) page, to compare horizontal distances with heights. @default 1 */
  aspect?: number;
  /** Ruling lines and where ink lies on the upright page image, for tables, signatures and layout. */
  ink?: PageInk;
}

/** Makes block ids; injectable so tests and synthetic results can be deterministic. */
export type IdFactory = () => string;

export interface BuildOptions {
  /** Async results carry `Page` on every block; sync results of the old API shape do too, harmlessly. */
  withPage: boolean;
  newId?: IdFactory;
}

/** A page of blocks with indexes into it, so FORMS and QUERIES can refer to words and lines. */
export interface PageBlocks {
  page: Block;
  lines: { block: Block; words: Block[] }[];
  /** Checkboxes found on the page; they become blocks only when FORMS asks for them. */
  selections: readonly RecognisedSelection[];
  /**
   * Height over width of the page: boxes are page fractions, so a height times `aspect` is the
   * horizontal fraction of the same length.
   */
  aspect: number;
}

const clamp = (n: number) => Math.min(1, Math.max(0, n));

/** Textract's Geometry (BoundingBox plus the TL, TR, BR, BL polygon) for a box. */
export function geometry(box: Box): Geometry {
  const left = clamp(box.left);
  const top = clamp(box.top);
  const right = clamp(box.left + box.width);
  const bottom = clamp(box.top + box.height);
  return {
    BoundingBox: { Width: right - left, Height: bottom - top, Left: left, Top: top },
    Polygon: [
      { X: left, Y: top },
      { X: right, Y: top },
      { X: right, Y: bottom },
      { X: left, Y: bottom },
    ],
  };
}

/** The smallest box holding every box given. */
export function unionBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { left: 0, top: 0, width: 0, height: 0 };
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const b of boxes) {
    left = Math.min(left, b.left);
    top = Math.min(top, b.top);
    right = Math.max(right, b.left + b.width);
    bottom = Math.max(bottom, b.top + b.height);
  }
  return { left, top, width: right - left, height: bottom - top };
}

/** Reads the box back out of a block's geometry. */
export function boxOf(block: Block): Box {
  const b = block.Geometry?.BoundingBox;
  return { left: b?.Left ?? 0, top: b?.Top ?? 0, width: b?.Width ?? 0, height: b?.Height ?? 0 };
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Builds PAGE, LINE and WORD blocks for each page (1-based page numbers follow array order). */
export function buildPageBlocks(pages: readonly RecognisedPage[], options: BuildOptions): PageBlocks[] {
  const newId = options.newId ?? randomUUID;
  return pages.map((page, i) => {
    const pageNo = i + 1;
    const withPage = options.withPage ? { Page: pageNo } : {};
    const lines = page.lines
      .filter((line) => line.words.length > 0)
      .map((line) => {
        const words: Block[] = line.words.map((w) => ({
          BlockType: 'WORD',
          Confidence: w.confidence,
          Text: w.text,
          TextType: 'PRINTED',
          Geometry: geometry(w.box),
          Id: newId(),
          ...withPage,
        }));
        const block: Block = {
          BlockType: 'LINE',
          Confidence: mean(line.words.map((w) => w.confidence)),
          Text: line.words.map((w) => w.text).join(' '),
          Geometry: geometry(unionBox(line.words.map((w) => w.box))),
          Id: newId(),
          Relationships: [{ Type: 'CHILD', Ids: words.map((w) => w.Id ?? '') }],
          ...withPage,
        };
        return { block, words };
      });
    const pageBlock: Block = {
      BlockType: 'PAGE',
      Geometry: geometry({ left: 0, top: 0, width: 1, height: 1 }),
      Id: newId(),
      ...(lines.length > 0
        ? { Relationships: [{ Type: 'CHILD', Ids: lines.map((l) => l.block.Id ?? '') }] }
        : {}),
      ...withPage,
    };
    return { page: pageBlock, lines, selections: page.selections ?? [], aspect: page.aspect ?? 1 };
  });
}

/** Flattens a page into Textract's order: PAGE, its LINEs, their WORDs, then any extra blocks. */
export function flattenPage(page: PageBlocks, extra: readonly Block[] = []): Block[] {
  return [page.page, ...page.lines.map((l) => l.block), ...page.lines.flatMap((l) => l.words), ...extra];
}

/** Adds ids to a PAGE block's CHILD relationship (Textract lists KEY_VALUE_SETs, tables, … there too). */
export function addPageChildren(page: Block, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const child = page.Relationships?.find((r) => r.Type === 'CHILD');
  if (child) child.Ids = [...(child.Ids ?? []), ...ids];
  else page.Relationships = [...(page.Relationships ?? []), { Type: 'CHILD', Ids: [...ids] }];
}

/**
 * Groups loose words (from a PDF text layer) into lines: words whose vertical centres are within half
 * a line height of each other, split where the horizontal gap is wide enough to mean another column,
 * as Textract splits "Invoice No:        12345" style layouts into separate lines.
 */
export function groupIntoLines(words: readonly RecognisedWord[], aspect = 1): RecognisedLine[] {
  const sorted = [...words].sort((a, b) => a.box.top + a.box.height / 2 - (b.box.top + b.box.height / 2));
  const rows: RecognisedWord[][] = [];
  for (const word of sorted) {
    const centre = word.box.top + word.box.height / 2;
    const row = rows.find((r) => {
      const ref = r[0];
      if (!ref) return false;
      const refCentre = ref.box.top + ref.box.height / 2;
      return Math.abs(refCentre - centre) < Math.max(ref.box.height, word.box.height) * 0.5;
    });
    if (row) row.push(word);
    else rows.push([word]);
  }
  const lines: RecognisedLine[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.box.left - b.box.left);
    lines.push(...splitAtGaps({ words: row }, aspect));
  }
  lines.sort((a, b) => {
    const ba = unionBox(a.words.map((w) => w.box));
    const bb = unionBox(b.words.map((w) => w.box));
    return Math.abs(ba.top - bb.top) > Math.min(ba.height, bb.height) * 0.5
      ? ba.top - bb.top
      : ba.left - bb.left;
  });
  return lines;
}

/**
 * Splits a line where the gap between words is wide enough to mean another column or field: more
 * than 1.6 character heights, where Textract splits on the corpus images. Boxes are page fractions,
 * so the page's `aspect` (height / width) turns a height into the width it measures on the page.
 */
export function splitAtGaps(line: RecognisedLine, aspect = 1): RecognisedLine[] {
  const out: RecognisedLine[] = [];
  let current: RecognisedWord[] = [];
  for (const word of line.words) {
    const prev = current[current.length - 1];
    if (prev) {
      const gap = word.box.left - (prev.box.left + prev.box.width);
      const height = Math.max(prev.box.height, word.box.height) * aspect;
      if (gap > height * 1.6) {
        out.push({ words: current });
        current = [];
      }
    }
    current.push(word);
  }
  if (current.length > 0) out.push({ words: current });
  return out;
}
