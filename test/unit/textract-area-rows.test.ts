/**
 * An area cropped for a second reading (area-rows.ts): cut into its text rows at the valleys of its
 * ink, and its rulings painted out, so lines that touch and box sides beside words read right.
 */
import { eraseRulings, textRows } from '@docket/local/textract/area-rows';
import type { GreyImage } from '@docket/local/textract/grey-image';

function blank(w = 300, h = 120, paper = 245): GreyImage {
  return { pixels: new Uint8Array(w * h).fill(paper), width: w, height: h };
}

function fill(page: GreyImage, x0: number, y0: number, x1: number, y1: number, level = 40): void {
  for (let y = y0; y < y1; y++) page.pixels.fill(level, y * page.width + x0, y * page.width + x1);
}

/** Lower-case letters (6 x 8 px, 3 px apart) from x0 to x1 on x-height top y; every fourth with an ascender. */
function letters(page: GreyImage, x0: number, x1: number, y: number): void {
  for (let x = x0, i = 0; x + 6 <= x1; x += 9, i++) {
    fill(page, x, y, x + 6, y + 8);
    if (i % 4 === 0) fill(page, x, y - 4, x + 2, y);
  }
}

const area = { x0: 10, y0: 5, x1: 290, y1: 115 };

test('two rows of print, a descender of the first touching the second, are two rows', () => {
  const page = blank();
  letters(page, 20, 280, 30);
  letters(page, 20, 250, 50);
  fill(page, 21, 38, 23, 46); // a "y"'s tail down to the next row's ascender
  const rows = textRows(page, area, 14);
  expect(rows).toHaveLength(2);
  const [first, second] = rows;
  // Cut between the rows (first ends 38, the next row's ascenders start at 46), across the whole area.
  expect(first!.y0).toBe(area.y0);
  expect(first!.y1).toBeGreaterThanOrEqual(38);
  expect(first!.y1).toBeLessThanOrEqual(46);
  expect(second!.y0).toBe(first!.y1);
  expect(second!.y1).toBe(area.y1);
  expect(rows.every((r) => r.x0 === area.x0 && r.x1 === area.x1)).toBe(true);
});

test("one row's ascenders and descenders are not rows of their own", () => {
  const page = blank();
  letters(page, 20, 280, 50);
  fill(page, 40, 58, 42, 63); // a descender
  expect(textRows(page, area, 14)).toEqual([area]);
});

test('an area without ink has no rows', () => {
  expect(textRows(blank(), area, 14)).toEqual([]);
});

test("rulings are painted with the paper's shade; letters' strokes stay", () => {
  const page = blank();
  letters(page, 40, 200, 50);
  fill(page, 30, 40, 32, 70); // a box's side, 30 px (over 1.5 word heights of 14)
  fill(page, 30, 68, 260, 70); // its bottom, 230 px
  fill(page, 220, 46, 222, 58); // a letter's stem of 12 px
  eraseRulings(page, 14);
  const at = (x: number, y: number) => page.pixels[y * page.width + x];
  expect(at(31, 45)).toBe(245);
  expect(at(100, 69)).toBe(245);
  expect(at(221, 50)).toBe(40);
  expect(at(43, 52)).toBe(40);
});
