/**
 * Ink that no recognised word explains: tiles of the page's ink map outside every word box and off
 * the ruling lines, grouped into connected areas. A handwritten signature, a logo or a chart is such
 * an area; print is not.
 */
import type { Box } from '../blocks';
import type { PageInk } from '../tables/page-ink';

export interface InkArea {
  box: Box;
  /** Tiles with ink in the area. */
  tiles: number;
  /** Share of the area's box the ink tiles fill (0..1): a scribble is sparse, a photo is solid. */
  fill: number;
}

/** Tiles with at least this density (0..255) hold ink: about 4 of an 8x8 tile's pixels. */
const inkDensity = 16;

export function looseInk(ink: PageInk, explained: readonly Box[], margin: number): InkArea[] {
  const { tile, width, height, columns, rows, tiles } = ink.ink;
  const fx = tile / width;
  const fy = tile / height;
  const loose = new Uint8Array(columns * rows);
  for (let i = 0; i < tiles.length; i++) if ((tiles[i] ?? 0) >= inkDensity) loose[i] = 1;
  const clear = (b: Box, mx: number, my: number) => {
    const x0 = Math.max(0, Math.floor((b.left - mx) / fx));
    const x1 = Math.min(columns - 1, Math.floor((b.left + b.width + mx) / fx));
    const y0 = Math.max(0, Math.floor((b.top - my) / fy));
    const y1 = Math.min(rows - 1, Math.floor((b.top + b.height + my) / fy));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) loose[y * columns + x] = 0;
  };
  for (const box of explained) clear(box, margin, margin);
  for (const r of ink.horizontal) clear({ left: r.from, top: r.at, width: r.to - r.from, height: 0 }, 0, fy);
  for (const r of ink.vertical) clear({ left: r.at, top: r.from, width: 0, height: r.to - r.from }, fx, 0);
  return components(loose, columns, rows).map((c) => {
    const w = c.maxX - c.minX + 1;
    const h = c.maxY - c.minY + 1;
    return {
      box: { left: c.minX * fx, top: c.minY * fy, width: w * fx, height: h * fy },
      tiles: c.count,
      fill: c.count / (w * h),
    };
  });
}

interface Component {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  count: number;
}

/** 8-connected areas of set tiles, bridging gaps of one tile (pen strokes break up at this scale). */
function components(set: Uint8Array, columns: number, rows: number): Component[] {
  const seen = new Uint8Array(set.length);
  const out: Component[] = [];
  for (let start = 0; start < set.length; start++) {
    if (!set[start] || seen[start]) continue;
    const c: Component = { minX: columns, minY: rows, maxX: 0, maxY: 0, count: 0 };
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop() ?? 0;
      const x = i % columns;
      const y = Math.floor(i / columns);
      c.count++;
      c.minX = Math.min(c.minX, x);
      c.maxX = Math.max(c.maxX, x);
      c.minY = Math.min(c.minY, y);
      c.maxY = Math.max(c.maxY, y);
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= columns || ny >= rows) continue;
          const n = ny * columns + nx;
          if (set[n] && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
      }
    }
    out.push(c);
  }
  return out;
}
