/**
 * A lone sign or currency symbol printed before an amount ("$ 452.43", "- 6.56") is one word with
 * it, as Textract reads amounts; OCR gives the symbol a word of its own.
 */
import type { RecognisedLine, RecognisedWord } from './blocks';

const sign = /^[$€£¥+-]$/;
const figure = /^\(?\d/;

/** The line with each lone sign joined to the figure right after it (closer than a character's height). */
export function joinSigns(line: RecognisedLine, aspect = 1): RecognisedLine {
  const words: RecognisedWord[] = [];
  for (let i = 0; i < line.words.length; i++) {
    const word = line.words[i]!;
    const next = line.words[i + 1];
    if (next && sign.test(word.text) && figure.test(next.text)) {
      const gap = next.box.left - (word.box.left + word.box.width);
      const height = Math.max(word.box.height, next.box.height) * aspect;
      if (gap >= -height * 0.2 && gap <= height) {
        const top = Math.min(word.box.top, next.box.top);
        const bottom = Math.max(word.box.top + word.box.height, next.box.top + next.box.height);
        words.push({
          text: `${word.text}${gap > height * 0.3 ? ' ' : ''}${next.text}`,
          confidence: Math.min(word.confidence, next.confidence),
          box: {
            left: word.box.left,
            top,
            width: next.box.left + next.box.width - word.box.left,
            height: bottom - top,
          },
        });
        i++;
        continue;
      }
    }
    words.push(word);
  }
  return { ...line, words };
}
