/**
 * What OCR reads from marks that are not print: Tesseract gives every blob of ink its best guess at a
 * word, so security patterns, watermarks in tinted bars and rows of asterisks come back as short
 * words of low confidence ("EE", "Fa", "HIKE" for "****"). Textract reports nothing there. Two signs
 * tell such readings from text, each within one line as Tesseract found it:
 *
 * - the line as a whole was read with little confidence (its words' mean under `noiseLineConfidence`):
 *   print that OCR can read scores 80–96 on its words even where one word is doubtful;
 * - a word of capitals, digits or tall letters much shorter than the line's other words, read with
 *   little confidence: those glyphs stand as tall as the line's print, so a short one was read from
 *   marks (asterisks, dots) that sit inside the line.
 *
 * And a form's rules: the stretch of an underline showing beside handwriting on it, or a blank rule
 * after "Name:", is read as underscores ("_Brother", "____"). Textract reports the words alone, so
 * underscores at a word's ends are cut off it (its box with them, by their share of its characters)
 * and a word of nothing else is dropped.
 */
import type { RecognisedLine, RecognisedWord } from './blocks';

/** Lines whose words' mean confidence is below this are noise. */
export const noiseLineConfidence = 40;

/** A word under this confidence and under `shortWord` of the line's median height is a misread mark. */
const markConfidence = 60;
const shortWord = 0.7;

/** Text whose glyphs reach the height of capitals: a capital, a digit, or a letter with an ascender. */
const tallGlyph = /[\p{Lu}\p{N}bdfhklt]/u;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The word without the underscores OCR read from a rule at its ends; undefined when nothing else is left. */
function withoutRule(word: RecognisedWord): RecognisedWord | undefined {
  const { text, box } = word;
  if (!text.startsWith('_') && !text.endsWith('_')) return word;
  const lead = /^_*/.exec(text)?.[0].length ?? 0;
  const trail = /_*$/.exec(text)?.[0].length ?? 0;
  if (lead >= text.length) return undefined;
  const share = box.width / text.length;
  return {
    ...word,
    text: text.slice(lead, text.length - trail),
    box: { ...box, left: box.left + lead * share, width: box.width - (lead + trail) * share },
  };
}

/** The line without words read from marks; an empty line when the whole line is noise. */
export function withoutNoise(line: RecognisedLine): RecognisedLine {
  const words = line.words.flatMap((w) => withoutRule(w) ?? []);
  if (words.length === 0) return { ...line, words };
  const mean = words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
  if (mean < noiseLineConfidence) return { ...line, words: [] };
  const height = median(words.map((w) => w.box.height));
  const mark = (w: RecognisedWord) =>
    w.confidence < markConfidence && tallGlyph.test(w.text) && w.box.height < height * shortWord;
  return { ...line, words: words.filter((w) => !mark(w)) };
}
