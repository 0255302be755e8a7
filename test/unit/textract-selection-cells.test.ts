/**
 * Checkboxes printed as cells of a ruled table: double-ruled (bevelled or twice-lined) cells touch
 * the grid's lines, so they are found between the page's rulings; plain cells of the same size are not
 * boxes.
 */
import { findSelections, type GreyImage } from '@docket/local/textract/selection';

const width = 1000;
const height = 1300;

function blank(): GreyImage {
  return { pixels: new Uint8Array(width * height).fill(255), width, height };
}

function fill(image: GreyImage, x: number, y: number, w: number, h: number, value = 0): void {
  for (let row = y; row < y + h; row++) image.pixels.fill(value, row * width + x, row * width + x + w);
}

/** A frame `w` x `h` at (x, y), `stroke` pixels wide in `value`. */
function frame(image: GreyImage, x: number, y: number, w: number, h: number, stroke: number, value: number) {
  fill(image, x, y, w, stroke, value);
  fill(image, x, y + h - stroke, w, stroke, value);
  fill(image, x, y, stroke, h, value);
  fill(image, x + w - stroke, y, stroke, h, value);
}

const cellW = 44;
const cellH = 25;
const left = 300;
const top = 400;

/**
 * A table of `rows` x `columns` cells ruled with 1-pixel lines, its first column a text column and
 * the others boxes drawn by `box` inside their cells, touching the grid's lines.
 */
function table(image: GreyImage, rows: number, columns: number, box: (x: number, y: number) => void): void {
  const text = 120;
  for (let r = 0; r <= rows; r++) fill(image, left, top + r * cellH, text + columns * cellW + 1, 1);
  fill(image, left, top, 1, rows * cellH + 1);
  for (let c = 0; c <= columns; c++) fill(image, left + text + c * cellW, top, 1, rows * cellH + 1);
  for (let r = 0; r < rows; r++) {
    // Words in the text column: print-sized marks, not boxes.
    for (let k = 0; k < 5; k++) fill(image, left + 10 + k * 14, top + r * cellH + 7, 9, 12);
    for (let c = 0; c < columns; c++) box(left + text + c * cellW, top + r * cellH);
  }
}

/** A bevelled box: the cell's own dark rule, then lighter grey rules inside it. */
const bevelled = (image: GreyImage) => (x: number, y: number) => {
  frame(image, x, y, cellW + 1, cellH + 1, 2, 20);
  frame(image, x + 2, y + 2, cellW - 3, cellH - 3, 1, 130);
  frame(image, x + 3, y + 3, cellW - 5, cellH - 5, 1, 200);
};

/** Two dark rules with a pixel of paper between them. */
const twiceLined = (image: GreyImage) => (x: number, y: number) => {
  frame(image, x, y, cellW + 1, cellH + 1, 1, 0);
  frame(image, x + 3, y + 3, cellW - 5, cellH - 5, 1, 0);
};

const centre = (b: { left: number; top: number; width: number; height: number }) => [
  Math.floor(((b.left + b.width / 2) * width - left - 120) / cellW),
  Math.floor(((b.top + b.height / 2) * height - top) / cellH),
];

describe('checkboxes in ruled table cells', () => {
  test.each([
    ['bevelled', bevelled],
    ['twice-lined', twiceLined],
  ])('%s boxes touching the grid are found, each with its tick state', (_, style) => {
    const image = blank();
    table(image, 3, 4, style(image));
    // A filled square in box (0, 0), a cross in box (2, 1); the rest empty.
    fill(image, left + 120 + 18, top + 9, 9, 9);
    for (let i = 0; i < 12; i++) {
      fill(image, left + 120 + 2 * cellW + 16 + i, top + cellH + 7 + i, 2, 2);
      fill(image, left + 120 + 2 * cellW + 28 - i, top + cellH + 7 + i, 2, 2);
    }
    const found = findSelections(image);
    const cells = found.map((s) => [...centre(s.box), s.selected]).sort();
    const expected = [];
    for (let c = 0; c < 4; c++)
      for (let r = 0; r < 3; r++) expected.push([c, r, (c === 0 && r === 0) || (c === 2 && r === 1)]);
    expect(cells).toEqual(expected.sort());
    // Each box is reported at its frame, not as the filled square or the cross alone.
    for (const s of found) expect(Math.round(s.box.width * width)).toBeGreaterThanOrEqual(cellW - 6);
  });

  test('plain cells of a table, ruled once, are not boxes, even empty or holding a mark', () => {
    const image = blank();
    table(image, 3, 4, () => undefined);
    fill(image, left + 120 + 18, top + 9, 6, 6); // a dot in an empty cell
    fill(image, left + 120 + cellW + 5, top + 4, 30, 3, 0); // a thick rule inside a cell is no frame
    expect(findSelections(image)).toEqual([]);
  });
});
