/**
 * Words OCR reads from marks that are not print (ocr-noise.ts): a line read with little confidence
 * throughout (a security pattern, a watermark in a tinted bar) is dropped whole, and a short word of
 * tall glyphs read with little confidence ("HIKE" for "****") is dropped from its line; doubtful
 * words among confident ones, and lowercase x-height words, stay.
 */
import type { RecognisedLine } from '@docket/local/textract/blocks';
import { withoutNoise } from '@docket/local/textract/ocr-noise';

/** A word at pixel x of a 1000 px wide page, `height` px tall. */
function word(text: string, x: number, confidence: number, height = 13) {
  return {
    text,
    confidence,
    box: { left: x / 1000, top: 0.1, width: (text.length * 8) / 1000, height: height / 1000 },
  };
}
const texts = (line: RecognisedLine) => withoutNoise(line).words.map((w) => w.text);

test('a line read with little confidence throughout is dropped whole', () => {
  const line = { words: [word('EE', 50, 27), word('ET', 130, 26), word('A', 200, 22), word('ENG', 260, 45)] };
  expect(texts(line)).toEqual([]);
});

test('a doubtful word among confident ones stays', () => {
  const line = {
    words: [
      word('TRANS', 20, 92),
      word('ID', 80, 89),
      word('-', 110, 87, 2),
      word('2516267815C098E0', 130, 28),
    ],
  };
  expect(texts(line)).toEqual(['TRANS', 'ID', '-', '2516267815C098E0']);
});

test('a short word of capitals read with little confidence is a misread mark', () => {
  const line = {
    words: [word('ACCOUNT', 20, 75), word('#', 90, 75), word('HIKE', 300, 42, 8), word('VISA', 600, 85)],
  };
  expect(texts(line)).toEqual(['ACCOUNT', '#', 'VISA']);
});

test('confident short words and lowercase x-height words stay', () => {
  const line = {
    words: [word('Total', 20, 90), word('due', 70, 55, 8), word('ST', 120, 90, 8), word('now', 160, 91, 8)],
  };
  expect(texts(line)).toEqual(['Total', 'due', 'ST', 'now']);
});

test("a rule's underscores are cut off the word written on it, and a word of nothing else is dropped", () => {
  const line = { words: [word('Relationship:', 20, 92), word('__Brother_', 130, 85), word('____', 300, 70)] };
  const clean = withoutNoise(line).words;
  expect(clean.map((w) => w.text)).toEqual(['Relationship:', 'Brother']);
  // The box keeps the written word's share: two of its ten characters cut on the left, one on the right.
  const cut = clean[1]?.box;
  expect(cut?.left).toBeCloseTo((130 + 2 * 8) / 1000, 6);
  expect(cut?.width).toBeCloseTo((7 * 8) / 1000, 6);
  // Underscores inside a word are its own ("first_name").
  expect(texts({ words: [word('first_name', 20, 90)] })).toEqual(['first_name']);
});
