/**
 * How blurred a page's print is, from the width of its ink edges: crisp print measures under the
 * threshold at any print size, the same page blurred or resampled half a pixel measures wider, and a
 * page without print says nothing.
 */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { blurredEdgeWidth, edgeWidth } from '@docket/local/textract/edge-width';
import { toGrey, type GreyImage } from '@docket/local/textract/grey-image';
import { blankPage } from '../support/generated-pages';

const [w, h] = [900, 1100];

/** A page of printed lines, `px` pixels tall, drawn with the canvas's own antialiasing (as a scan). */
function printed(px: number): Canvas {
  const { canvas, context } = blankPage(w, h);
  context.font = `${px}px sans-serif`;
  const words = ['Account holder 4471', 'Total due 1,234.56', 'Payment terms: thirty days net'];
  for (let y = 60, i = 0; y < h - 40; y += Math.round(px * 1.8), i++)
    context.fillText(words[i % 3] ?? '', 60, y);
  return canvas;
}

/** `source` redrawn through a canvas filter, or moved by a fraction of a pixel (bilinear). */
function redrawn(source: Canvas, how: { filter?: string; shift?: number }): GreyImage {
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, w, h);
  if (how.filter) context.filter = how.filter;
  if (how.shift) context.translate(how.shift, how.shift);
  context.drawImage(source, 0, 0);
  return toGrey(context.getImageData(0, 0, w, h).data, w, h);
}

const grey = (canvas: Canvas): GreyImage =>
  toGrey(canvas.getContext('2d').getImageData(0, 0, w, h).data, w, h);

test.each([9, 14, 24, 40])('crisp print %p px tall measures under the threshold', (px) => {
  expect(edgeWidth(grey(printed(px)))).toBeLessThan(blurredEdgeWidth);
});

test.each([9, 14, 24])('the same print blurred by a pixel measures at or over it', (px) => {
  expect(edgeWidth(redrawn(printed(px), { filter: 'blur(1px)' }))).toBeGreaterThanOrEqual(blurredEdgeWidth);
});

test('a half-pixel resampling widens the edges; a whole-pixel move does not', () => {
  const page = printed(14);
  const crisp = edgeWidth(grey(page)) ?? 0;
  expect(edgeWidth(redrawn(page, { shift: 0.5 }))).toBeGreaterThan(crisp + 0.3);
  expect(edgeWidth(redrawn(page, { shift: 1 }))).toBeCloseTo(crisp, 1);
});

test('a blank page and a page of a few marks have no edge width', () => {
  expect(edgeWidth(grey(blankPage(w, h).canvas))).toBeUndefined();
  const { canvas, context } = blankPage(w, h);
  context.fillRect(100, 100, 3, 3);
  expect(edgeWidth(grey(canvas))).toBeUndefined();
});
