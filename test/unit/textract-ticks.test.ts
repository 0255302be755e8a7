/**
 * Tick state from the ink inside a box, on generated pages: ticks, crosses, fills, scribbles and
 * ticks running out of the box are SELECTED at several box sizes and pen widths; empty boxes are not.
 */
import { createCanvas } from '@napi-rs/canvas';
import { findSelections, toGrey } from '@docket/local/textract/selection';

type Mark = 'empty' | 'tick' | 'cross' | 'fill' | 'scribble' | 'overshoot';

/** A page with one box per mark, drawn at `side` pixels with `stroke`-pixel lines, as a pen would. */
function boxes(marks: readonly Mark[], side: number, stroke: number) {
  const canvas = createCanvas(1000, 1300);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, 1000, 1300);
  context.strokeStyle = '#000';
  context.fillStyle = '#000';
  marks.forEach((mark, i) => {
    const [x, y] = [80 + i * 140, 200];
    context.lineWidth = 2;
    context.strokeRect(x, y, side, side);
    context.lineWidth = stroke;
    context.beginPath();
    if (mark === 'tick' || mark === 'overshoot') {
      context.moveTo(x + side * 0.2, y + side * 0.55);
      context.lineTo(x + side * 0.45, y + side * 0.8);
      // An overshooting tick runs well out of the box, as quick ticks do.
      if (mark === 'overshoot') context.lineTo(x + side * 1.3, y - side * 0.4);
      else context.lineTo(x + side * 0.8, y + side * 0.2);
    } else if (mark === 'cross') {
      context.moveTo(x + side * 0.2, y + side * 0.2);
      context.lineTo(x + side * 0.8, y + side * 0.8);
      context.moveTo(x + side * 0.8, y + side * 0.2);
      context.lineTo(x + side * 0.2, y + side * 0.8);
    } else if (mark === 'scribble') {
      for (let k = 0; k < 4; k++) {
        context.moveTo(x + side * 0.25, y + side * (0.3 + k * 0.12));
        context.lineTo(x + side * 0.75, y + side * (0.3 + k * 0.12));
      }
    } else if (mark === 'fill') {
      context.fillRect(x + side * 0.25, y + side * 0.25, side * 0.5, side * 0.5);
    }
    context.stroke();
  });
  // A few lines of text so the page reads as a page.
  context.font = '14px sans-serif';
  for (let line = 0; line < 10; line++)
    context.fillText('Please tick every box that applies to you', 80, 400 + line * 24);
  return toGrey(context.getImageData(0, 0, 1000, 1300).data, 1000, 1300);
}

describe('tick state from the ink inside the box', () => {
  const marks: Mark[] = ['empty', 'tick', 'cross', 'fill', 'scribble', 'overshoot', 'empty'];
  test.each([
    [16, 2],
    [24, 1],
    [30, 3],
  ])('boxes of %p px with %p px pen strokes: every mark is SELECTED, empty boxes are not', (side, stroke) => {
    const found = findSelections(boxes(marks, side, stroke)).sort((a, b) => a.box.left - b.box.left);
    expect(found.map((s) => s.selected)).toEqual(marks.map((m) => m !== 'empty'));
    for (const s of found) expect(Math.abs(s.box.width * 1000 - side)).toBeLessThanOrEqual(3);
  });
});
