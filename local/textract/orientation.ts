/**
 * Pages scanned sideways or upside down. Textract reads them and reports every box on the page as
 * stored, with each Polygon starting at its text's own top-left corner, so a reader can tell the
 * orientation. Here the page is turned upright for OCR, read there (lines, forms and queries all work
 * in the upright frame), and the geometry is turned back at the end.
 */
import type { Block, Point } from '@aws-sdk/client-textract';
import type { Box } from './blocks';
import { unskewBlocks } from './deskew';
import type { GreyImage } from './selection';

/** Quarter turns clockwise that bring a page's text upright. */
export type QuarterTurns = 0 | 1 | 2 | 3;

/** The order to read a page in: the way the ink suggests, the opposite way, then the other two. */
export function turnsToTry(guess: QuarterTurns): QuarterTurns[] {
  return [0, 2, 1, 3].map((t) => ((guess + t) % 4) as QuarterTurns);
}

/** The image turned `turns` quarter turns clockwise. */
export function rotateGrey(image: GreyImage, turns: QuarterTurns): GreyImage {
  if (turns === 0) return image;
  const { width: w, height: h, pixels } = image;
  const out = new Uint8Array(pixels.length);
  const width = turns === 2 ? w : h;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      // Where (x, y) lands once turned: clockwise, a pixel of the left column moves to the top row.
      const at =
        turns === 1 ? x * h + (h - 1 - y) : turns === 2 ? (h - 1 - y) * w + (w - 1 - x) : (w - 1 - x) * h + y;
      out[at] = pixels[row + x] ?? 255;
    }
  }
  return { pixels: out, width, height: turns === 2 ? h : w };
}

/** A point in page fractions, from the page as stored to the page turned upright. */
export function toUpright(p: Point, turns: QuarterTurns): Point {
  const x = p.X ?? 0;
  const y = p.Y ?? 0;
  if (turns === 1) return { X: 1 - y, Y: x };
  if (turns === 2) return { X: 1 - x, Y: 1 - y };
  if (turns === 3) return { X: y, Y: 1 - x };
  return { X: x, Y: y };
}

/** The inverse of `toUpright`. */
export function fromUpright(p: Point, turns: QuarterTurns): Point {
  return toUpright(p, ((4 - turns) % 4) as QuarterTurns);
}

/** A box on the page as stored, as the box it covers on the upright page. */
export function uprightBox(box: Box, turns: QuarterTurns): Box {
  const a = toUpright({ X: box.left, Y: box.top }, turns);
  const b = toUpright({ X: box.left + box.width, Y: box.top + box.height }, turns);
  const left = Math.min(a.X ?? 0, b.X ?? 0);
  const top = Math.min(a.Y ?? 0, b.Y ?? 0);
  return { left, top, width: Math.abs((a.X ?? 0) - (b.X ?? 0)), height: Math.abs((a.Y ?? 0) - (b.Y ?? 0)) };
}

/**
 * Turns the geometry of a page's blocks (built on the upright page) back onto the page as stored: each
 * Polygon keeps its order, so its first point stays the text's top-left, and each BoundingBox is the
 * box around the turned Polygon. The PAGE block covers the whole page either way and is left alone.
 * A page straightened before OCR (`skew`, see deskew.ts) has its geometry turned back by that too.
 */
export function orientBlocks(
  blocks: Block[],
  turns: QuarterTurns,
  skew?: { degrees: number; aspect: number },
): Block[] {
  if (skew) unskewBlocks(orientBlocks(blocks, turns), skew.degrees, skew.aspect);
  if (turns === 0 || skew) return blocks;
  for (const block of blocks) {
    const polygon = block.Geometry?.Polygon;
    if (block.BlockType === 'PAGE' || !block.Geometry || !polygon) continue;
    const turned = polygon.map((p) => fromUpright(p, turns));
    const xs = turned.map((p) => p.X ?? 0);
    const ys = turned.map((p) => p.Y ?? 0);
    const left = Math.min(...xs);
    const top = Math.min(...ys);
    block.Geometry = {
      ...block.Geometry,
      BoundingBox: { Width: Math.max(...xs) - left, Height: Math.max(...ys) - top, Left: left, Top: top },
      Polygon: turned,
    };
  }
  return blocks;
}
