/**
 * A lone sign or currency symbol before an amount is one word with it (sign-words.ts), as Textract
 * reads "$ 452.43" and "- 6.56"; signs apart from figures, or far from them, stay words of their own.
 */
import type { RecognisedLine } from '@docket/local/textract/blocks';
import { joinSigns } from '@docket/local/textract/sign-words';

/** A word at pixel x of a 1000 px wide, square-pixelled page, 14 px tall, 8 px a character. */
function word(text: string, x: number) {
  return {
    text,
    confidence: 90,
    box: { left: x / 1000, top: 0.1, width: (text.length * 8) / 1000, height: 0.014 },
  };
}
const texts = (line: RecognisedLine) => line.words.map((w) => w.text);

test('a sign or currency symbol just before a figure joins it, keeping a printed space', () => {
  const line = {
    words: [word('Net', 100), word('$', 200), word('291.90', 208), word('-', 300), word('6.56', 314)],
  };
  const joined = joinSigns(line);
  expect(texts(joined)).toEqual(['Net', '$291.90', '- 6.56']);
  const amount = joined.words[1]!;
  expect(amount.box.left).toBeCloseTo(0.2);
  expect(amount.box.left + amount.box.width).toBeCloseTo((208 + 48) / 1000);
});

test('signs before words, or far from the figure, stay apart', () => {
  const line = { words: [word('-', 100), word('Tax', 112), word('$', 300), word('12.00', 400)] };
  expect(texts(joinSigns(line))).toEqual(['-', 'Tax', '$', '12.00']);
});
