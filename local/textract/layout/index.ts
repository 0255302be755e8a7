/**
 * LAYOUT and SIGNATURES for a page, from geometry: lines grouped into blocks by their gaps, and each
 * block classified by where it stands and how it looks (LAYOUT_HEADER / PAGE_NUMBER in the page's
 * margins, LAYOUT_FOOTER for a block reaching the bottom margin set apart from the body, LAYOUT_TABLE over a found table, LAYOUT_TITLE for the largest print near the top,
 * LAYOUT_SECTION_HEADER for short lines in larger or capital print standing alone on their row,
 * LAYOUT_LIST for bulleted or numbered items, LAYOUT_KEY_VALUE for "label: value" lines and for a
 * form's fields as one region (regions.ts), LAYOUT_FIGURE for loose ink and barcodes (barcodes.ts), else
 * LAYOUT_TEXT). Every
 * layout block's CHILDren are the LINEs in it, as Textract's are.
 */
import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import { boxOf, geometry, unionBox, type Box, type IdFactory, type PageBlocks } from '../blocks';
import type { PageInk } from '../tables/page-ink';
import { median } from '../tables/grid';
import { barcodes } from './barcodes';
import { looseInk } from './loose-ink';
import { formRegions } from './regions';
import { signatureAreas, signatureBlocks } from './signatures';

export interface PageLayoutOptions {
  layout: boolean;
  signatures: boolean;
  /** Boxes of the tables found on the page (LAYOUT_TABLE covers their lines). */
  tables: readonly Box[];
  newId?: IdFactory;
}

export type LayoutType =
  | 'LAYOUT_TITLE'
  | 'LAYOUT_SECTION_HEADER'
  | 'LAYOUT_HEADER'
  | 'LAYOUT_FOOTER'
  | 'LAYOUT_PAGE_NUMBER'
  | 'LAYOUT_TEXT'
  | 'LAYOUT_LIST'
  | 'LAYOUT_TABLE'
  | 'LAYOUT_FIGURE'
  | 'LAYOUT_KEY_VALUE';

interface Line {
  block: Block;
  box: Box;
  text: string;
  /** Its print's height: the median of its words' (a stray mark OCR took into the line does not count). */
  size: number;
}

/** A group of lines and what it is. */
export interface LayoutGroup {
  type: LayoutType;
  lines: Line[];
  box: Box;
}

const margin = 0.06;
/** A title's print is at least this many times the page's usual in height… */
const titleSize = 1.4;
/** …and its characters this many times as wide. */
const titleWidth = 1.2;
/** Blank space, in line heights, between a page's body and its footer. */
const footerGap = 1.5;
/** A footer is a line or a few: a paragraph of prose running to the page's foot is body text. */
const maxFooterLines = 3;
const pageNumber = /^(page\s*)?\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i;
const bullet = /^([•·▪◦●‣\-–*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s/i;
/** "Label: value" or a label ending its line in a colon; the label has a letter ("12:22 PM" is a time). */
const keyValue = /^(?=[^:]*\p{L})[^:]{1,40}:\s*\S|\p{L}[^:]*:\s*$/u;

/** Layout and signature blocks of a page, and the ids the PAGE lists. */
export function pageLayout(
  page: PageBlocks,
  ink: PageInk | undefined,
  options: PageLayoutOptions,
): { blocks: Block[]; pageChildren: string[] } {
  const newId = options.newId ?? randomUUID;
  const withPage = page.page.Page !== undefined ? { Page: page.page.Page } : {};
  const lines: Line[] = page.lines.map((l) => {
    const box = boxOf(l.block);
    const size = median(l.words.map((w) => boxOf(w).height)) || box.height;
    return { block: l.block, box, text: l.block.Text ?? '', size };
  });
  const lineHeight = median(lines.map((l) => l.box.height)) || 0.01;
  const areas = ink
    ? looseInk(
        ink,
        lines.map((l) => l.box),
        lineHeight * 0.3,
      )
    : [];
  const signatures =
    ink && options.signatures ? signatureAreas({ ink, areas, lines, lineHeight, aspect: page.aspect }) : [];
  // Textract lists SIGNATUREs before the layout blocks.
  const blocks: Block[] = signatureBlocks(signatures, newId, withPage);
  if (options.layout) {
    const figures = areas
      .filter((a) => !signatures.includes(a))
      .filter(
        (a) => a.box.height > lineHeight * 3 && a.box.width / Math.max(page.aspect, 0.01) > lineHeight * 3,
      )
      .map((a) => a.box)
      .concat(ink ? barcodes(ink, lineHeight, page.aspect) : []);
    for (const group of classify(lines, options.tables, figures, lineHeight, page.aspect))
      blocks.push(...layoutBlocks(group, newId, withPage));
  }
  // A list's items are listed under the list, not on the page.
  const nested = new Set(
    blocks.filter((b) => b.BlockType === 'LAYOUT_LIST').flatMap((b) => b.Relationships?.[0]?.Ids ?? []),
  );
  return { blocks, pageChildren: blocks.filter((b) => !nested.has(b.Id ?? '')).map((b) => b.Id ?? '') };
}

/** Groups and classifies the page's lines (exported for tests). */
export function classify(
  lines: readonly Line[],
  tables: readonly Box[],
  figures: readonly Box[],
  lineHeight: number,
  aspect = 1,
): LayoutGroup[] {
  const groups: LayoutGroup[] = [];
  const inside = (outer: Box, b: Box) => {
    const cx = b.left + b.width / 2;
    const cy = b.top + b.height / 2;
    return (
      cx >= outer.left && cx <= outer.left + outer.width && cy >= outer.top && cy <= outer.top + outer.height
    );
  };
  for (const t of tables) {
    const held = lines.filter((l) => inside(t, l.box));
    groups.push({ type: 'LAYOUT_TABLE', lines: held, box: t });
  }
  for (const f of figures)
    groups.push({ type: 'LAYOUT_FIGURE', lines: lines.filter((l) => inside(f, l.box)), box: f });
  const taken = new Set(groups.flatMap((g) => g.lines));
  const rest = lines.filter((l) => !taken.has(l));
  const margins: LayoutGroup[] = [];
  const body: Line[] = [];
  const feet: Line[] = [];
  const heads: Line[] = [];
  for (const l of rest) {
    const top = l.box.top < margin;
    const bottom = l.box.top + l.box.height > 1 - margin;
    if ((top || bottom) && pageNumber.test(l.text.trim())) margins.push(group('LAYOUT_PAGE_NUMBER', [l]));
    else if (top) heads.push(l);
    else if (bottom) feet.push(l);
    else body.push(l);
  }
  // A header is a short paragraph starting in the top margin, its lines below the margin with it
  // ("MAIL OR FAX YOUR APPLICATION TO ONE OF" over "OR EMAIL YOUR APPLICATION TO: …").
  for (const p of paragraphsOf([...heads, ...body], lineHeight)) {
    if (!p.some((l) => heads.includes(l))) continue;
    // Its short "Key: value" lines below the margin are fields (a receipt's "Date: …" under its shop).
    const field = (l: Line) => keyValue.test(l.text) && (l.text.split(':')[0]?.split(/\s+/).length ?? 0) <= 3;
    const lines = p.filter((l) => heads.includes(l) || (p.length <= maxFooterLines && !field(l)));
    margins.push(group('LAYOUT_HEADER', lines));
    body.splice(0, body.length, ...body.filter((l) => !lines.includes(l)));
  }
  // A footer stands apart at the page's foot: each short paragraph reaching into the bottom margin is
  // one when a clear gap parts it from whatever stands above it (text, a table, a figure), else its
  // lines are the body's last (a form's last row of boxes printed close to the edge).
  const footers = new Set<Line>();
  const byTop = (a: Line[], b: Line[]) =>
    Math.min(...a.map((l) => l.box.top)) - Math.min(...b.map((l) => l.box.top));
  for (const p of paragraphsOf([...body, ...feet], lineHeight).sort(byTop)) {
    if (!p.some((l) => feet.includes(l))) continue;
    const box = unionBox(p.map((l) => l.box));
    const across = (b: Box) => b.left < box.left + box.width && b.left + b.width > box.left;
    // What stands above: the body, and foot lines that are not a footer (a footer's own lines above
    // it, a two-line footer's first, do not part it from the body).
    const over = [
      ...[...body, ...feet].filter((l) => !p.includes(l) && !footers.has(l)).map((l) => l.box),
      ...groups.map((g) => g.box),
    ].filter((b) => across(b) && b.top < box.top);
    const gap = box.top - Math.max(0, ...over.map((b) => b.top + b.height));
    if (p.length > maxFooterLines || (over.length > 0 && gap < lineHeight * footerGap)) continue;
    margins.push(group('LAYOUT_FOOTER', p));
    for (const l of p) footers.add(l);
  }
  body.push(...feet);
  body.splice(0, body.length, ...body.filter((l) => !footers.has(l)));
  const paragraphs = paragraphsOf(body, lineHeight);
  const bodyHeight = median(body.map((l) => l.size)) || lineHeight;
  // Capitals set a heading apart on a page whose body is not in capitals; on one that is (a till
  // receipt, a typed notice), only a short capital line over a paragraph heads it.
  const lettered = body.filter((l) => l.text.replace(/[^\p{L}]/gu, '').length >= 3);
  const capitalBody = lettered.filter((l) => capitals(l.text, Infinity)).length * 2 > lettered.length;
  // The title: the largest print of a short paragraph near the top (the first of equals), with a
  // word, no "Key: value" line, no figure beside it on its row ("TOTAL  10.77" is a field). Its print
  // is larger both ways: a word OCR boxed with the rule or box around it measures tall, not wide
  // ("Married" beside its checkbox).
  const charWidth = (l: Line) => l.box.width / Math.max(1, l.text.length);
  const bodyWidth = median(body.map(charWidth)) || 0;
  const sizeOf = (p: readonly Line[]) => median(p.map((l) => l.size));
  const beside = (p: readonly Line[]) =>
    body.filter(
      (o) =>
        !p.includes(o) &&
        p.some(
          (l) =>
            Math.min(o.box.top + o.box.height, l.box.top + l.box.height) - Math.max(o.box.top, l.box.top) > 0,
        ),
    );
  // A word of three letters or mostly letters: "Form 1040" is a title, "123456 C" is not.
  const wordy = (l: Line) =>
    /\p{L}{3}/u.test(l.text) ||
    l.text.replace(/[^\p{L}]/gu, '').length * 2 > l.text.replace(/\s/g, '').length;
  const title = paragraphs
    .filter(
      (p) =>
        short(p) &&
        unionBox(p.map((l) => l.box)).top < 0.4 &&
        !p.every((l) => keyValue.test(l.text)) &&
        p.every(wordy) &&
        sizeOf(p) >= bodyHeight * titleSize &&
        median(p.map(charWidth)) >= bodyWidth * titleWidth &&
        !beside(p).some((o) => !wordy(o)),
    )
    .reduce<Line[] | undefined>((best, p) => (!best || sizeOf(p) > sizeOf(best) ? p : best), undefined);
  for (const p of paragraphs) {
    const height = median(p.map((l) => l.size));
    const box = unionBox(p.map((l) => l.box));
    if (p === title) {
      groups.push(group('LAYOUT_TITLE', p));
    } else if (p.filter((l) => bullet.test(l.text)).length >= 2) groups.push(group('LAYOUT_LIST', p));
    else if (p.filter((l) => keyValue.test(l.text)).length >= Math.max(1, p.length / 2))
      groups.push(group('LAYOUT_KEY_VALUE', p));
    else if (
      short(p) &&
      p.length === 1 &&
      (height >= bodyHeight * 1.15 ||
        (capitals(p[0]?.text ?? '') &&
          (!capitalBody || headsParagraph(box, paragraphs, lineHeight, aspect)))) &&
      heading(p[0]!, body, { aspect, lineHeight, bodyHeight, paragraphs })
    )
      groups.push(group('LAYOUT_SECTION_HEADER', p));
    else groups.push(group('LAYOUT_TEXT', p));
  }
  return [...margins, ...formRegions(groups, lineHeight, aspect)].sort(
    (a, b) => a.box.top - b.box.top || a.box.left - b.box.left,
  );
}

/** A paragraph of a line or two, each of ten words or fewer: a title's or a heading's. */
const short = (p: readonly Line[]) => p.length <= 2 && p.every((l) => l.text.split(/\s+/).length <= 10);

function group(type: LayoutType, lines: Line[]): LayoutGroup {
  return { type, lines, box: unionBox(lines.map((l) => l.box)) };
}

/**
 * A line that can head a section: with a letter (mostly letters in body-size print: not a date, an
 * amount or a time), not ending a sentence, not the answer under a "Key:" line, and alone on its
 * row unless a paragraph follows close under it (a heading over one of a page's columns): a word with others beside it on its
 * row and nothing under it to head is a form's field or a box's label ("YES  NO", "House  Duplex
 * Studio"); "Ingredients" and "Method" over their two columns are headings.
 */
function heading(
  l: Line,
  body: readonly Line[],
  page: { aspect: number; lineHeight: number; bodyHeight: number; paragraphs: readonly Line[][] },
): boolean {
  const chars = l.text.replace(/\s/g, '');
  const letters = chars.replace(/[^\p{L}]/gu, '').length;
  const larger = l.size >= page.bodyHeight * 1.15;
  if (letters === 0 || (!larger && letters * 2 < chars.length)) return false;
  // A sentence's end ("TO $10.00 PER HOUR."), or the answer under a "Key:" line.
  if (/[.,;]$/.test(chars)) return false;
  const across = (o: Line) =>
    Math.min(o.box.left + o.box.width, l.box.left + l.box.width) > Math.max(o.box.left, l.box.left);
  const above = body.filter(
    (o) => across(o) && o.box.top < l.box.top && l.box.top - (o.box.top + o.box.height) < page.lineHeight,
  );
  if (above.some((o) => o.text.trim().endsWith(':'))) return false;
  if (headsParagraph(l.box, page.paragraphs, page.lineHeight, page.aspect)) return true;
  return !body.some((o) => {
    if (o === l) return false;
    const overlap =
      Math.min(o.box.top + o.box.height, l.box.top + l.box.height) - Math.max(o.box.top, l.box.top);
    return overlap >= Math.min(o.box.height, l.box.height) / 2;
  });
}

/** A heading stands this many line heights or fewer over the paragraph it heads. */
const headingGap = 2.5;

/**
 * A paragraph (two lines or more, or a sentence's six words) starts close under `box`, aligned with
 * it: its left edge under the heading's, or centred under it (a box's label over the next row of a
 * form is neither).
 */
function headsParagraph(
  box: Box,
  paragraphs: readonly Line[][],
  lineHeight: number,
  aspect: number,
): boolean {
  const slack = lineHeight * aspect;
  const centre = (b: Box) => b.left + b.width / 2;
  return paragraphs.some((q) => {
    if (q.length < 2 && (q[0]?.text.split(/\s+/).length ?? 0) < 6) return false;
    const b = unionBox(q.map((l) => l.box));
    const gap = b.top - (box.top + box.height);
    const aligned = Math.abs(b.left - box.left) <= slack || Math.abs(centre(b) - centre(box)) <= slack * 2;
    return gap >= 0 && gap < lineHeight * headingGap && aligned;
  });
}

/** Short all-capitals text of a few words ("EARNINGS", "B. DWELLING INFORMATION"). */
function capitals(text: string, maxWords = 6): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 3 && letters === letters.toUpperCase() && text.split(/\s+/).length <= maxWords;
}

/**
 * Lines into paragraphs: a line joins the paragraph above it when the gap is under most of a line,
 * they overlap along x, and their print is of a size.
 */
function paragraphsOf(lines: readonly Line[], lineHeight: number): Line[][] {
  const sorted = [...lines].sort((a, b) => a.box.top - b.box.top);
  const open: Line[][] = [];
  for (const l of sorted) {
    const target = open.find((p) => {
      const last = p[p.length - 1];
      if (!last) return false;
      const gap = l.box.top - (last.box.top + last.box.height);
      const overlapX =
        Math.min(l.box.left + l.box.width, last.box.left + last.box.width) -
        Math.max(l.box.left, last.box.left);
      // Of a size by their words' print (a stray mark OCR took into one word does not count) or by
      // their boxes (a line of short letters only, "sure our new move", beside one with tall ones).
      const near = (r: number) => r > 0.75 && r < 1.33;
      const sized =
        near(l.size / Math.max(last.size, 1e-6)) || near(l.box.height / Math.max(last.box.height, 1e-6));
      return gap < lineHeight * 0.8 && gap > -lineHeight * 0.5 && overlapX > 0 && sized;
    });
    if (target) target.push(l);
    else open.push([l]);
  }
  return open;
}

function layoutBlocks(g: LayoutGroup, newId: IdFactory, page: { Page?: number }): Block[] {
  const confidence = 80;
  const block = (type: LayoutType, ids: string[], box: Box): Block => ({
    BlockType: type,
    Confidence: confidence,
    Geometry: geometry(box),
    Id: newId(),
    ...(ids.length > 0 ? { Relationships: [{ Type: 'CHILD' as const, Ids: ids }] } : {}),
    ...page,
  });
  if (g.type !== 'LAYOUT_LIST')
    return [
      block(
        g.type,
        g.lines.map((l) => l.block.Id ?? ''),
        g.box,
      ),
    ];
  // A list's CHILDren are LAYOUT_TEXT items (a bulleted line and the lines that continue it).
  const items: Line[][] = [];
  for (const l of g.lines) {
    if (bullet.test(l.text) || items.length === 0) items.push([l]);
    else items[items.length - 1]?.push(l);
  }
  const texts = items.map((item) =>
    block(
      'LAYOUT_TEXT',
      item.map((l) => l.block.Id ?? ''),
      unionBox(item.map((l) => l.box)),
    ),
  );
  return [
    block(
      'LAYOUT_LIST',
      texts.map((t) => t.Id ?? ''),
      g.box,
    ),
    ...texts,
  ];
}
