/**
 * Checkboxes on a PDF page read from its text layer, through the real Textract client: the page is
 * rendered to find them, as Textract finds them on any page, boxes ruled in a light colour included.
 */
import { AnalyzeDocumentCommand, type Block } from '@aws-sdk/client-textract';
import { writePdf } from '../fixtures/textract/pdf-writer';
import { contractBucket, harness, type Harness } from '../fixtures/textract/harness';
import { formPairs } from '../support/form-blocks';

let h: Harness;

beforeAll(async () => {
  h = await harness('pdf-checkboxes');
});
afterAll(() => h.destroy());

/** A 20-point box at (x, y) ruled in `colour` (RGB 0-1), crossed when `ticked`. */
function box(x: number, y: number, colour: string, ticked: boolean): string {
  const frame = `q ${colour} RG 1 w ${x} ${y} 20 20 re S Q`;
  return ticked
    ? `${frame}\nq 0 0 0 RG 1 w ${x} ${y} m ${x + 20} ${y + 20} l S ${x} ${y + 20} m ${x + 20} ${y} l S Q`
    : frame;
}

const analyse = async (name: string, bytes: Buffer): Promise<Block[]> => {
  const key = await h.put(`pdf-checkboxes/${name}.pdf`, bytes);
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { S3Object: { Bucket: contractBucket, Name: key } },
      FeatureTypes: ['FORMS'],
    }),
  );
  return res.Blocks ?? [];
};

test('boxes beside their labels on a text-layer PDF are selection elements, ticked or not', async () => {
  const green = '0.44 0.68 0.28';
  const pdf = writePdf([
    {
      lines: [
        { text: 'Delivery preferences', x: 72, y: 700, size: 16 },
        { text: 'Leave at the door', x: 104, y: 645, size: 11 },
        { text: 'Signature required', x: 104, y: 605, size: 11 },
        { text: 'Call before delivery', x: 104, y: 565, size: 11 },
      ],
      drawing: [box(76, 640, green, true), box(76, 600, green, false), box(76, 560, '0 0 0', true)],
    },
  ]);
  const blocks = await analyse('preferences', pdf);
  const states = blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT').map((b) => b.SelectionStatus);
  expect(states.sort()).toEqual(['NOT_SELECTED', 'SELECTED', 'SELECTED']);
  const pairs = new Map(formPairs(blocks));
  expect(pairs.get('Leave at the door')).toBe('SELECTED');
  expect(pairs.get('Signature required')).toBe('NOT_SELECTED');
  expect(pairs.get('Call before delivery')).toBe('SELECTED');
  // The text still comes from the text layer, word for word.
  const lines = blocks.filter((b) => b.BlockType === 'LINE').map((b) => b.Text);
  expect(lines).toEqual(
    expect.arrayContaining(['Delivery preferences', 'Leave at the door', 'Signature required']),
  );
});

test('a text-layer PDF without boxes has no selection elements, a lightly shaded square none either', async () => {
  const pdf = writePdf([
    {
      lines: [
        { text: 'Statement of account', x: 72, y: 700, size: 16 },
        { text: 'Opening balance 1,204.10', x: 72, y: 650, size: 11 },
      ],
      // A rule, and an empty square cell shaded light grey (as word processors shade table cells).
      drawing: ['q 0 0 0 RG 1 w 72 630 m 540 630 l S Q', 'q 0.85 0.85 0.85 rg 300 560 20 20 re f Q'],
    },
  ]);
  const blocks = await analyse('statement', pdf);
  expect(blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT')).toEqual([]);
});
