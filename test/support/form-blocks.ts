/**
 * Form tests' shared helpers: recognised words and lines placed on a generated page, and the
 * key/value pairs a user reads from Textract's blocks (KEY_VALUE_SET keys with their values' text).
 */
import type { Block } from '@aws-sdk/client-textract';
import { assembleBlocks } from '@docket/local/textract/analysis';
import type { RecognisedLine, RecognisedPage } from '@docket/local/textract/blocks';

/** A recognised word at (left, top), in page fractions. */
export const word = (text: string, left: number, top: number, width = 0.06, height = 0.012) => ({
  text,
  confidence: 95,
  box: { left, top, width, height },
});

/** A line of words starting at `left`, each 0.06 wide with 0.01 between; `height` is the print's size. */
export const line = (text: string, left: number, top: number, height = 0.012): RecognisedLine => ({
  words: text.split(' ').map((t, i) => word(t, left + i * 0.07, top, 0.06, height)),
});

/** Every form pair as [key text, value text]; a selection element reads as its status. */
export function formPairs(blocks: Block[]): [string, string][] {
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const text = (b: Block | undefined) =>
    (b?.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? [])
      .map((id) => byId.get(id))
      .map((c) => c?.SelectionStatus ?? c?.Text)
      .join(' ');
  return blocks
    .filter((b) => b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.includes('KEY'))
    .map((k) => [text(k), text(byId.get(k.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0]))]);
}

/** The FORMS pairs the local Textract finds on one recognised page, by key text. */
export const forms = (page: RecognisedPage): Record<string, string> =>
  Object.fromEntries(
    formPairs(assembleBlocks([page], { featureTypes: ['FORMS'], queries: [] }, { withPage: true })),
  );
