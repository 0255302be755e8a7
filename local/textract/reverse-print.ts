/**
 * Reverse print: light text on a dark bar (a payee's name on a cheque, a shaded heading). Tesseract
 * reads dark print on light paper only (its own inverted-text retry is off: it cost ~10% of OCR time
 * and read shaded boxes and cheque patterns as garbage), so bars holding light text are inverted on the
 * copy of the page sent to OCR. A bar is a solid dark rectangle a line or a few lines of print tall,
 * several characters wide, with light strokes inside it.
 */
import type { GreyImage } from './selection';

/** Tile side (px) the dark areas are found on: 4, a pixel's tile column is `x >> tileShift`. */
const tileShift = 2;
const tile = 1 << tileShift;
/** A pixel darker than this is dark; lighter than `lightLevel` is a light stroke. */
const darkLevel = 96;
const lightLevel = 160;

interface Bar {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Dark bars with light print in them, in pixels (x1, y1 exclusive). */
export function reverseBars(image: GreyImage, charHeight = 13): Bar[] {
  const { width, height, pixels } = image;
  const columns = Math.floor(width / tile);
  const rows = Math.floor(height / tile);
  // A tile is dark when most of its pixels are: the bar's background, not a stroke of ink. Its dark
  // pixels are counted a row of pixels at a time, the row's tiles side by side.
  const dark = new Uint8Array(columns * rows);
  const counts = new Uint8Array(columns);
  const span = columns * tile;
  for (let ty = 0; ty < rows; ty++) {
    counts.fill(0);
    for (let y = ty * tile; y < (ty + 1) * tile; y++) {
      for (let x = 0, i = y * width; x < span; x++, i++)
        if (pixels[i]! < darkLevel) counts[x >> tileShift]!++;
    }
    for (let tx = 0; tx < columns; tx++) dark[ty * columns + tx] = counts[tx]! >= tile * tile * 0.75 ? 1 : 0;
  }
  const bars: Bar[] = [];
  const seen = new Uint8Array(columns * rows);
  const stack: number[] = [];
  for (let start = 0; start < dark.length; start++) {
    if (dark[start] !== 1 || seen[start] === 1) continue;
    let [minX, minY, maxX, maxY, count] = [columns, rows, 0, 0, 0];
    stack.push(start);
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const [tx, ty] = [i % columns, Math.floor(i / columns)];
      [minX, minY, maxX, maxY] = [
        Math.min(minX, tx),
        Math.min(minY, ty),
        Math.max(maxX, tx),
        Math.max(maxY, ty),
      ];
      count++;
      // Neighbours two tiles away too: the light strokes inside the bar split its dark tiles.
      for (const [dx, dy] of neighbours) {
        const [nx, ny] = [tx + (dx ?? 0), ty + (dy ?? 0)];
        if (nx < 0 || ny < 0 || nx >= columns || ny >= rows) continue;
        const j = ny * columns + nx;
        if (dark[j] === 1 && seen[j] === 0) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    const [w, h] = [(maxX - minX + 1) * tile, (maxY - minY + 1) * tile];
    if (h < charHeight * 1.2 || h > charHeight * 5 || w < charHeight * 3) continue;
    if (count < (maxX - minX + 1) * (maxY - minY + 1) * 0.3) continue;
    // A bar is a band: its top and bottom edges are dark from end to end (letters and logos are not).
    const share = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let ty = y0; ty <= y1; ty++) for (let tx = x0; tx <= x1; tx++) n += dark[ty * columns + tx] ?? 0;
      return n / ((x1 - x0 + 1) * (y1 - y0 + 1));
    };
    if (share(minX, minY, maxX, minY) < 0.8 || share(minX, maxY, maxX, maxY) < 0.8) continue;
    const bar = { x0: minX * tile, y0: minY * tile, x1: (maxX + 1) * tile, y1: (maxY + 1) * tile };
    const light = lightShare(image, bar);
    // Light strokes inside, but not a light box merely framed in dark.
    if (light >= 0.04 && light <= 0.45) bars.push(bar);
  }
  return bars;
}

const neighbours = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [2, 0],
  [-2, 0],
];

function lightShare({ width, pixels }: GreyImage, bar: Bar): number {
  let n = 0;
  for (let y = bar.y0; y < bar.y1; y++) {
    for (let x = bar.x0; x < bar.x1; x++) if ((pixels[y * width + x] ?? 0) > lightLevel) n++;
  }
  return n / ((bar.x1 - bar.x0) * (bar.y1 - bar.y0));
}

/** The page with its reverse-print bars inverted (a copy), or the page itself when it has none. */
export function withReversePrint(image: GreyImage, charHeight = 13): GreyImage {
  const bars = reverseBars(image, charHeight);
  if (bars.length === 0) return image;
  const pixels = new Uint8Array(image.pixels);
  for (const bar of bars) {
    for (let y = bar.y0; y < bar.y1; y++) {
      for (let x = bar.x0; x < bar.x1; x++)
        pixels[y * image.width + x] = 255 - (pixels[y * image.width + x] ?? 0);
    }
  }
  return { ...image, pixels };
}
