/** Generated pages for the local Textract's tests: page images, and words as OCR would report them. */
import { createCanvas } from '@napi-rs/canvas';
import type { RecognisedLine } from '@docket/local/textract/blocks';

/** A white page of `width` x `height` pixels, its context ready to draw in black. */
export function blankPage(width: number, height: number) {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#000';
  return { canvas, context };
}

/**
 * A white page whose drawing is turned `degrees` clockwise about its centre, as a crooked scan of the
 * page drawn on it would be.
 */
export function turnedPage(width: number, height: number, degrees: number) {
  const page = blankPage(width, height);
  page.context.translate(width / 2, height / 2);
  page.context.rotate((degrees * Math.PI) / 180);
  page.context.translate(-width / 2, -height / 2);
  return page;
}

/**
 * Words placed in pixels on a `width` x `height` page, `charHeight` px tall and 8 px a character,
 * as OCR would report them (the box in page fractions).
 */
export function pixelWords(width: number, height: number, charHeight: number) {
  return (text: string, x: number, y: number) => ({
    text,
    confidence: 95,
    box: { left: x / width, top: y / height, width: (text.length * 8) / width, height: charHeight / height },
  });
}

/**
 * Lines of words placed in pixels on a `width` x `height` page: `size` px tall, a character 0.55 of
 * the size wide, words a space of 0.4 of it apart, as OCR would report them (boxes in page fractions).
 */
export function pixelLines(width: number, height: number) {
  return (text: string, x: number, y: number, size = 14): RecognisedLine => {
    let left = x;
    return {
      words: text.split(' ').map((t) => {
        const box = {
          left: left / width,
          top: y / height,
          width: (t.length * size * 0.55) / width,
          height: size / height,
        };
        left += t.length * size * 0.55 + size * 0.4;
        return { text: t, confidence: 95, box };
      }),
    };
  };
}

/** `count` lines of a statement: words a reader must get back, figures among them. */
export function statementLines(count: number): string[][] {
  return Array.from({ length: count }, (_, i) => {
    const n = 1000 + i * 137;
    const place = ['Harbour', 'Station', 'Quarry', 'Meadow'][i % 4] ?? '';
    return [`Invoice ${n}`, 'delivered', 'to', place, 'Road', `${(n * 3.17).toFixed(2)}`];
  });
}

/** Share of the printed words that were read back exactly, each read word counted once. */
export function wordRecall(printed: readonly string[], read: readonly string[]): number {
  const left = new Map<string, number>();
  for (const word of read) left.set(word, (left.get(word) ?? 0) + 1);
  let found = 0;
  for (const word of printed) {
    const n = left.get(word) ?? 0;
    if (n === 0) continue;
    found++;
    left.set(word, n - 1);
  }
  return found / printed.length;
}
