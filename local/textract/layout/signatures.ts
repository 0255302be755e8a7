/**
 * SIGNATURE blocks: loose ink (no word read in it) the size of a handwritten name, sparse like pen
 * strokes, standing on a ruled line or next to a "Signature" / "Signed" label.
 */
import type { Block } from '@aws-sdk/client-textract';
import { geometry, unionBox, type Box, type IdFactory } from '../blocks';
import type { PageInk } from '../tables/page-ink';
import type { InkArea } from './loose-ink';

export interface SignatureContext {
  ink: PageInk;
  areas: readonly InkArea[];
  /** Boxes and texts of the page's lines. */
  lines: readonly { box: Box; text: string }[];
  lineHeight: number;
  aspect: number;
}

const label = /\b(sign(ed|ature)?|signatory|autograph)\b/i;

/** The loose-ink areas that are signatures. */
export function signatureAreas(ctx: SignatureContext): InkArea[] {
  const { lineHeight: lh, aspect } = ctx;
  return joined(ctx.areas, lh, aspect).filter((area) => {
    const b = area.box;
    const widthInHeights = b.width / Math.max(aspect, 0.01);
    if (widthInHeights < lh * 3 || b.height < lh * 0.8 || b.height > lh * 8 || area.fill > 0.85) return false;
    const bottom = b.top + b.height;
    const onRule = ctx.ink.horizontal.some(
      (r) =>
        r.at > bottom - lh * 1.5 &&
        r.at < bottom + lh * 2 &&
        Math.min(r.to, b.left + b.width) - Math.max(r.from, b.left) > b.width * 0.3,
    );
    const labelled = ctx.lines.some((l) => label.test(l.text) && distance(l.box, b, aspect) < lh * 4);
    return onRule || labelled;
  });
}

export function signatureBlocks(
  areas: readonly InkArea[],
  newId: IdFactory,
  page: { Page?: number },
): Block[] {
  return areas.map((a) => ({
    BlockType: 'SIGNATURE',
    Confidence: Math.round(60 + 30 * (1 - a.fill)),
    Geometry: geometry(a.box),
    Id: newId(),
    ...page,
  }));
}

/** Gap between two boxes in page heights (0 when they overlap). */
export function distance(a: Box, b: Box, aspect: number): number {
  const dx =
    Math.max(0, Math.max(a.left, b.left) - Math.min(a.left + a.width, b.left + b.width)) /
    Math.max(aspect, 0.01);
  const dy = Math.max(0, Math.max(a.top, b.top) - Math.min(a.top + a.height, b.top + b.height));
  return Math.hypot(dx, dy);
}

/** Areas less than a line apart joined: a signature's strokes lie apart at the ink map's scale. */
function joined(areas: readonly InkArea[], lh: number, aspect: number): InkArea[] {
  const out: InkArea[] = [];
  for (const area of [...areas].sort((a, b) => a.box.left - b.box.left)) {
    const near = out.find((o) => distance(o.box, area.box, aspect) < lh * 2.5);
    if (!near) {
      out.push({ ...area });
      continue;
    }
    const box = unionBox([near.box, area.box]);
    const tiles = near.tiles + area.tiles;
    const size = (b: Box) => b.width * b.height;
    const fill = (near.fill * size(near.box) + area.fill * size(area.box)) / Math.max(size(box), 1e-9);
    Object.assign(near, { box, tiles, fill });
  }
  return out;
}
