/**
 * Straightening a skewed page resamples it once, turned and scaled together, with a sharp cubic and
 * the contrast of thin strokes given back: small print measures the size it has upright, and marks
 * land where the geometry turned back onto the stored page says they are.
 */
import { straighten, toSkewed } from '@docket/local/textract/deskew';
import { turnAndScale, unsharp } from '@docket/local/textract/resample';
import { analyseInk, toGrey, type GreyImage } from '@docket/local/textract/selection';
import { turnedPage } from '../support/generated-pages';

/** A page of small print (characters about 7 px tall, strokes a pixel wide), turned `degrees` clockwise. */
function smallPrint(degrees: number): GreyImage {
  const [w, h] = [700, 900];
  const { context } = turnedPage(w, h, degrees);
  context.fillStyle = '#222';
  context.font = '10px sans-serif';
  for (let line = 0; line < 50; line++) {
    const words = [
      'Federal Income Tax - 40.60 2,111.20',
      'Social Security Tax - 28.05 1,458.60',
      'Net Pay 291.90',
    ];
    context.fillText(words[line % 3] ?? '', 60 + (line % 2) * 250, 60 + line * 15);
    context.fillText(words[(line + 1) % 3] ?? '', 380, 60 + line * 15);
  }
  return toGrey(context.getImageData(0, 0, w, h).data, w, h);
}

describe('straightening small print', () => {
  test('a page copied 3° askew measures, straightened, the print size it has upright', () => {
    const upright = analyseInk(smallPrint(0)).charHeight;
    expect(upright).toBeGreaterThan(4);
    expect(analyseInk(straighten(smallPrint(3), 3)).charHeight).toBe(upright);
  });

  test('turned and scaled at once, a mark lands where the turned-back geometry says it was', () => {
    // A dark square drawn at (200, 300) on the straight page of 700 x 900, the page turned 4° clockwise.
    const [w, h, degrees] = [700, 900, 4];
    const { context } = turnedPage(w, h, degrees);
    context.fillRect(195, 295, 10, 10);
    const skewed = toGrey(context.getImageData(0, 0, w, h).data, w, h);
    const straight = straighten(skewed, degrees, 2);
    expect([straight.width, straight.height]).toEqual([1400, 1800]);
    // The darkest pixel's centre on the straight page, as page fractions, is the square's centre.
    let [best, bx, by] = [256, 0, 0];
    for (let y = 0; y < straight.height; y++) {
      for (let x = 0; x < straight.width; x++) {
        const p = straight.pixels[y * straight.width + x] ?? 255;
        if (p < best || (p === best && Math.hypot(x - 400, y - 600) < Math.hypot(bx - 400, by - 600)))
          [best, bx, by] = [p, x, y];
      }
    }
    expect(Math.abs((bx + 0.5) / 1400 - 200 / 700)).toBeLessThan(4 / 1400);
    expect(Math.abs((by + 0.5) / 1800 - 300 / 900)).toBeLessThan(4 / 1800);
    // And turned back onto the stored page it is where the square was drawn.
    const back = toSkewed({ X: (bx + 0.5) / 1400, Y: (by + 0.5) / 1800 }, degrees, h / w);
    const rad = (degrees * Math.PI) / 180;
    const [dx, dy] = [200 - w / 2, 300 - h / 2];
    expect(Math.abs((back.X ?? 0) * w - (w / 2 + dx * Math.cos(rad) - dy * Math.sin(rad)))).toBeLessThan(2);
    expect(Math.abs((back.Y ?? 0) * h - (h / 2 + dx * Math.sin(rad) + dy * Math.cos(rad)))).toBeLessThan(2);
  });
});

describe('resampling', () => {
  test('turning by nothing at scale 1 gives the image back', () => {
    const image = smallPrint(0);
    expect(turnAndScale(image, 0, 1).pixels).toEqual(image.pixels);
  });

  test('an unsharp mask leaves flat paper alone and steepens an edge', () => {
    const flat = { pixels: new Uint8Array(20 * 20).fill(230), width: 20, height: 20 };
    expect(unsharp(flat, 0.6, 1).pixels).toEqual(flat.pixels);
    // A soft edge across each row: grey paper falling to ink over three pixels.
    const ramp = [200, 200, 200, 200, 150, 100, 50, 50, 50, 50, 50];
    const edge = {
      pixels: Uint8Array.from({ length: 11 * 5 }, (_, i) => ramp[i % 11] ?? 0),
      width: 11,
      height: 5,
    };
    const sharp = unsharp(edge, 0.6, 1).pixels;
    // The paper brightens and the ink darkens where the edge starts and ends.
    expect(sharp[2 * 11 + 3]).toBeGreaterThan(200);
    expect(sharp[2 * 11 + 6]).toBeLessThan(50);
  });
});
