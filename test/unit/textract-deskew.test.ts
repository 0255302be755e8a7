/**
 * Skewed pages: the skew is told from generated pages' ink, the page is straightened before OCR, and
 * geometry read on the straight page goes back to where the text is on the page as stored.
 */
import { createCanvas } from '@napi-rs/canvas';
import { estimateSkew, straighten, toSkewed, unskewBlocks } from '@docket/local/textract/deskew';
import { toGrey, type GreyImage } from '@docket/local/textract/selection';

/** A 900 x 1100 page of printed lines, turned `degrees` clockwise about its centre. */
function page(degrees: number, sideways = false): GreyImage {
  const [w, h] = sideways ? [1100, 900] : [900, 1100];
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, w, h);
  context.translate(w / 2, h / 2);
  context.rotate(((degrees + (sideways ? 90 : 0)) * Math.PI) / 180);
  context.translate(-450, -550);
  context.fillStyle = '#000';
  context.font = '18px sans-serif';
  for (let line = 0; line < 24; line++) {
    const words = ['Account holder name and address', 'Total due 1,234.56', 'Payment terms: thirty days net'];
    context.fillText(words[line % 3] ?? '', 80 + (line % 4) * 20, 140 + line * 34);
  }
  return toGrey(context.getImageData(0, 0, w, h).data, w, h);
}

describe('estimating skew', () => {
  test.each([-7, -3, -1, 0, 2.5, 6])('a page turned %p° is measured within 0.3°', (degrees) => {
    expect(Math.abs(estimateSkew(page(degrees)) - degrees)).toBeLessThanOrEqual(0.3);
  });

  test('a page stored sideways is measured along its columns', () => {
    expect(Math.abs(estimateSkew(page(3, true), true) - 3)).toBeLessThanOrEqual(0.3);
  });

  test('a blank page and a dark photo have no skew to tell', () => {
    const blank = { pixels: new Uint8Array(400 * 400).fill(250), width: 400, height: 400 };
    expect(estimateSkew(blank)).toBe(0);
    const dark = {
      pixels: new Uint8Array(400 * 400).map((_, i) => (i % 7 === 0 ? 250 : 20)),
      width: 400,
      height: 400,
    };
    expect(estimateSkew(dark)).toBe(0);
  });

  test('straightening a skewed page leaves it measuring straight', () => {
    const skewed = page(4);
    const degrees = estimateSkew(skewed);
    expect(Math.abs(estimateSkew(straighten(skewed, degrees)))).toBeLessThanOrEqual(0.2);
  });
});

describe('geometry on the page as stored', () => {
  test('a point on the straightened page maps to where it was drawn on the skewed page', () => {
    // A mark drawn at (200, 300) on the straight page of 900 x 1100, then the page turned 5° clockwise.
    const [w, h, deg] = [900, 1100, 5];
    const rad = (deg * Math.PI) / 180;
    const [dx, dy] = [200 - w / 2, 300 - h / 2];
    const expected = {
      X: (w / 2 + dx * Math.cos(rad) - dy * Math.sin(rad)) / w,
      Y: (h / 2 + dx * Math.sin(rad) + dy * Math.cos(rad)) / h,
    };
    const got = toSkewed({ X: 200 / w, Y: 300 / h }, deg, h / w);
    expect(got.X).toBeCloseTo(expected.X, 6);
    expect(got.Y).toBeCloseTo(expected.Y, 6);
  });

  test('a word box becomes a slanted polygon, its bounding box around it; the page is left alone', () => {
    const polygon = [
      { X: 0.1, Y: 0.1 },
      { X: 0.3, Y: 0.1 },
      { X: 0.3, Y: 0.12 },
      { X: 0.1, Y: 0.12 },
    ];
    const blocks = unskewBlocks(
      [
        {
          BlockType: 'PAGE',
          Geometry: { BoundingBox: { Left: 0, Top: 0, Width: 1, Height: 1 }, Polygon: [] },
        },
        {
          BlockType: 'WORD',
          Geometry: { BoundingBox: { Left: 0.1, Top: 0.1, Width: 0.2, Height: 0.02 }, Polygon: polygon },
        },
      ],
      3,
      1.3,
    );
    const [pageBlock, word] = blocks;
    expect(pageBlock?.Geometry?.BoundingBox).toEqual({ Left: 0, Top: 0, Width: 1, Height: 1 });
    const p = word?.Geometry?.Polygon ?? [];
    // Turned clockwise: the top edge runs down to the right.
    expect((p[1]?.Y ?? 0) - (p[0]?.Y ?? 0)).toBeGreaterThan(0.005);
    const box = word?.Geometry?.BoundingBox;
    for (const point of p) {
      expect(point.X).toBeGreaterThanOrEqual((box?.Left ?? 0) - 1e-9);
      expect(point.Y).toBeLessThanOrEqual((box?.Top ?? 0) + (box?.Height ?? 0) + 1e-9);
    }
  });
});
