/**
 * Contract: pages scanned sideways or upside down are read as Textract reads them, with every box on
 * the page as stored and each Polygon starting at its text's own top-left corner.
 */
import {
  AnalyzeDocumentCommand,
  DetectDocumentTextCommand,
  type Block,
  type Point,
} from '@aws-sdk/client-textract';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import fs from 'node:fs';
import path from 'node:path';
import { normaliseWord, wordF1 } from '@docket/local/textract/word-f1';
import { corpusDir, corpusDocument, harness, type Harness } from '../fixtures/textract/harness';
import { writePdf } from '../fixtures/textract/pdf-writer';

let h: Harness;
beforeAll(async () => {
  h = await harness('orientation');
});
afterAll(() => h.destroy());

const recorded = (file: string) =>
  (JSON.parse(fs.readFileSync(path.join(corpusDir, 'textract', file), 'utf8')) as { Blocks: Block[] }).Blocks;

/** The image turned clockwise by `quarters` quarter turns, as a scanner feeding it sideways would store it. */
async function turned(bytes: Buffer, quarters: 1 | 2 | 3): Promise<Buffer> {
  const image = await loadImage(bytes);
  const sideways = quarters % 2 === 1;
  const canvas = createCanvas(sideways ? image.height : image.width, sideways ? image.width : image.height);
  const context = canvas.getContext('2d');
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((quarters * Math.PI) / 2);
  context.drawImage(image, -image.width / 2, -image.height / 2);
  return canvas.encode('png');
}

/** Where a point of the upright page lies once the page is turned clockwise by `quarters`. */
function turnPoint(p: Point, quarters: number): { x: number; y: number } {
  let x = p.X ?? 0;
  let y = p.Y ?? 0;
  for (let i = 0; i < quarters; i++) [x, y] = [1 - y, x];
  return { x, y };
}

/** Words whose text occurs once in each list, paired by text. */
function uniquePairs(ours: Block[], real: Block[]): [Block, Block][] {
  const once = (blocks: Block[]) => {
    const byText = new Map<string, Block[]>();
    for (const b of blocks.filter((b) => b.BlockType === 'WORD')) {
      const text = normaliseWord(b.Text ?? '');
      if (text.length >= 3) byText.set(text, [...(byText.get(text) ?? []), b]);
    }
    return new Map([...byText].filter(([, bs]) => bs.length === 1).map(([t, bs]) => [t, bs[0] as Block]));
  };
  const theirs = once(real);
  return [...once(ours)].flatMap(([text, b]) => {
    const r = theirs.get(text);
    return r ? [[b, r] as [Block, Block]] : [];
  });
}

test.each([1, 2, 3] as const)(
  'a receipt stored turned %i quarter(s) clockwise is read, its boxes where the words are',
  async (quarters) => {
    const res = await h.textract.send(
      new DetectDocumentTextCommand({
        Document: { Bytes: await turned(corpusDocument('receipt.jpg'), quarters) },
      }),
    );
    const blocks = res.Blocks ?? [];
    const real = recorded('receipt.jpg.analysis.json');
    expect(wordF1(blocks, real).f1).toBeGreaterThan(0.93);
    const pairs = uniquePairs(blocks, real);
    expect(pairs.length).toBeGreaterThan(30);
    let near = 0;
    for (const [ours, theirs] of pairs) {
      // The text's top-left corner: Polygon[0] in both, once Textract's upright page is turned too.
      const a = ours.Geometry?.Polygon?.[0] ?? {};
      const b = turnPoint(theirs.Geometry?.Polygon?.[0] ?? {}, quarters);
      if (Math.hypot((a.X ?? 0) - b.x, (a.Y ?? 0) - b.y) < 0.02) near++;
      // The bounding box is axis-aligned on the stored page and holds the polygon.
      const box = ours.Geometry?.BoundingBox;
      const [left, top] = [box?.Left ?? 0, box?.Top ?? 0];
      for (const p of ours.Geometry?.Polygon ?? []) {
        expect(p.X).toBeGreaterThanOrEqual(left - 1e-9);
        expect(p.X).toBeLessThanOrEqual(left + (box?.Width ?? 0) + 1e-9);
        expect(p.Y).toBeGreaterThanOrEqual(top - 1e-9);
        expect(p.Y).toBeLessThanOrEqual(top + (box?.Height ?? 0) + 1e-9);
      }
    }
    expect(near / pairs.length).toBeGreaterThan(0.9);
  },
);

test('checkboxes on an upside-down form are found where they are and paired with their labels', async () => {
  const res = await h.textract.send(
    new AnalyzeDocumentCommand({
      Document: { Bytes: await turned(corpusDocument('form.png'), 2) },
      FeatureTypes: ['FORMS'],
    }),
  );
  const blocks = res.Blocks ?? [];
  const real = recorded('form.png.analysis.json').filter((b) => b.BlockType === 'SELECTION_ELEMENT');
  const ours = blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT');
  expect(ours.length).toBeGreaterThanOrEqual(30);
  // One box of the form's table-cell grid is on the page but not in the recorded response (see
  // textract-documents.test.ts): at most one of ours may have no real box; every other agrees.
  let unmatched = 0;
  for (const box of ours) {
    const b = box.Geometry?.BoundingBox;
    // The centre of our box, turned back upright, lies inside a box real Textract found, same status.
    const centre = turnPoint(
      { X: (b?.Left ?? 0) + (b?.Width ?? 0) / 2, Y: (b?.Top ?? 0) + (b?.Height ?? 0) / 2 },
      2,
    );
    const match = real.find((r) => {
      const q = r.Geometry?.BoundingBox;
      const left = q?.Left ?? 0;
      const top = q?.Top ?? 0;
      return (
        centre.x > left &&
        centre.x < left + (q?.Width ?? 0) &&
        centre.y > top &&
        centre.y < top + (q?.Height ?? 0)
      );
    });
    if (!match) {
      unmatched += 1;
      continue;
    }
    expect(match.SelectionStatus).toBe(box.SelectionStatus);
  }
  expect(unmatched).toBeLessThanOrEqual(1);
  const valuesWithBoxes = blocks.filter(
    (b) =>
      b.BlockType === 'KEY_VALUE_SET' &&
      b.EntityTypes?.includes('VALUE') &&
      b.Relationships?.some((r) => r.Ids?.some((id) => ours.some((s) => s.Id === id))),
  );
  expect(valuesWithBoxes.length).toBeGreaterThanOrEqual(30);
});

test('a PDF page shown turned (/Rotate 90) has its text layer read in lines, boxes on the page as shown', async () => {
  const lines = [
    { text: 'Invoice number INV-20417', x: 72, y: 700, size: 18 },
    { text: 'Total due 1,234.56 USD', x: 72, y: 660, size: 14 },
    { text: 'Pay within 30 days', x: 72, y: 630, size: 12 },
  ];
  const read = async (rotate: 0 | 90) =>
    (
      await h.textract.send(
        new DetectDocumentTextCommand({ Document: { Bytes: writePdf([{ lines, rotate }]) } }),
      )
    ).Blocks ?? [];
  const upright = await read(0);
  const turnedPage = await read(90);
  const texts = (blocks: Block[], type: string) =>
    blocks.filter((b) => b.BlockType === type).map((b) => b.Text);
  expect(texts(upright, 'LINE')).toEqual(lines.map((l) => l.text));
  expect(texts(turnedPage, 'LINE')).toEqual(lines.map((l) => l.text));
  const words = (blocks: Block[]) => blocks.filter((b) => b.BlockType === 'WORD');
  expect(words(turnedPage)).toHaveLength(words(upright).length);
  words(turnedPage).forEach((word, i) => {
    // Shown turned a quarter clockwise: every corner is the upright page's corner, turned.
    const expected = (words(upright)[i]?.Geometry?.Polygon ?? []).map((p) => turnPoint(p, 1));
    (word.Geometry?.Polygon ?? []).forEach((p, k) => {
      expect(p.X).toBeCloseTo(expected[k]?.x ?? NaN, 3);
      expect(p.Y).toBeCloseTo(expected[k]?.y ?? NaN, 3);
    });
    const box = word.Geometry?.BoundingBox;
    if ((word.Text ?? '').length > 3) expect(box?.Height ?? 0).toBeGreaterThan(box?.Width ?? 0);
  });
});
