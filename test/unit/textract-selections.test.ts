/**
 * Checkboxes: found in page pixels (hollow, ticked, filled; not letters or rings), erased before OCR,
 * and reported as Textract does under FORMS — SELECTION_ELEMENT values of the label beside them.
 */
import type { Block } from '@aws-sdk/client-textract';
import { assembleBlocks } from '@docket/local/textract/analysis';
import type { RecognisedWord } from '@docket/local/textract/blocks';
import { analyseInk, eraseBoxes, findSelections, type GreyImage } from '@docket/local/textract/selection';

const width = 1000;
const height = 1300;

function blank(): GreyImage {
  return { pixels: new Uint8Array(width * height).fill(235), width, height };
}

function fill(image: GreyImage, x: number, y: number, w: number, h: number, value = 20): void {
  for (let row = y; row < y + h; row++) image.pixels.fill(value, row * width + x, row * width + x + w);
}

/** A ruled square `side` pixels wide with `stroke`-pixel lines. */
function box(image: GreyImage, x: number, y: number, side: number, stroke = 2): void {
  fill(image, x, y, side, stroke);
  fill(image, x, y + side - stroke, side, stroke);
  fill(image, x, y, stroke, side);
  fill(image, x + side - stroke, y, stroke, side);
}

/** The pixel box of a found selection, to compare with what was drawn. */
const pixels = (b: { left: number; top: number; width: number; height: number }) => [
  Math.round(b.left * width),
  Math.round(b.top * height),
  Math.round(b.width * width),
  Math.round(b.height * height),
];

describe('finding checkboxes in pixels', () => {
  test('empty, filled and ticked boxes are found with their status; letters, rings and bars are not', () => {
    const image = blank();
    box(image, 100, 100, 20); // empty
    box(image, 200, 100, 20); // with a filled square inside, apart from the rules
    fill(image, 205, 105, 10, 10);
    box(image, 300, 100, 20); // ticked: a diagonal stroke inside
    for (let i = 0; i < 12; i++) fill(image, 304 + i, 104 + i, 2, 2);
    fill(image, 400, 100, 16, 16); // a solid square, as forms print a selected box
    // An "n": ruled on three sides, open in the middle of the bottom.
    fill(image, 500, 100, 20, 3);
    fill(image, 500, 100, 3, 20);
    fill(image, 517, 100, 3, 20);
    fill(image, 500, 117, 7, 3);
    fill(image, 513, 117, 7, 3);
    // A ring: closed, but round.
    for (let y = 0; y < 22; y++)
      for (let x = 0; x < 22; x++) {
        const r = Math.hypot(x - 10.5, y - 10.5);
        if (r <= 10.5 && r >= 8) image.pixels[(100 + y) * width + 600 + x] = 20;
      }
    box(image, 700, 100, 6, 1); // too small to be a checkbox (a letter "o" of small print)
    fill(image, 100, 300, 400, 3); // a rule
    box(image, 100, 400, 60); // too big: a table cell or a frame, not a checkbox

    const found = findSelections(image);
    expect(found.map((s) => [...pixels(s.box), s.selected])).toEqual([
      [100, 100, 20, 20, false],
      [200, 100, 20, 20, true],
      [300, 100, 20, 20, true],
      [400, 100, 16, 16, true],
    ]);
    for (const s of found) expect(s.confidence).toBeGreaterThanOrEqual(90);
  });

  test('an erased box is white, so OCR never sees it, and is not found again', () => {
    const image = blank();
    box(image, 100, 100, 20);
    fill(image, 130, 100, 40, 20); // text-sized ink beside it stays
    const found = findSelections(image);
    expect(found).toHaveLength(1);
    eraseBoxes(
      image,
      found.map((s) => s.box),
    );
    expect(findSelections(image)).toEqual([]);
    for (let y = 99; y <= 120; y++)
      for (let x = 99; x <= 120; x++) expect(image.pixels[y * width + x]).toBe(255);
    expect(image.pixels[110 * width + 150]).toBe(20);
  });
});

describe('the size of print', () => {
  test('the typical character height ignores specks, rules, frames and the odd large heading', () => {
    const image = blank();
    // 60 letters 9 px tall, 10 heading letters 30 px tall, specks, a rule and a frame.
    for (let i = 0; i < 60; i++) fill(image, 50 + (i % 30) * 12, 200 + Math.floor(i / 30) * 20, 7, 9);
    for (let i = 0; i < 10; i++) fill(image, 50 + i * 30, 100, 20, 30);
    for (let i = 0; i < 80; i++) fill(image, 600 + (i % 20) * 5, 600 + Math.floor(i / 20) * 5, 2, 2);
    fill(image, 50, 400, 800, 3);
    box(image, 50, 700, 400);
    expect(analyseInk(image).charHeight).toBe(9);
    expect(analyseInk(blank()).charHeight).toBe(0);
  });

  test('the ink tells which way up the text is: lines across or down, baselines below, above or beside', () => {
    // Four lines of 30 letters 7 px wide, 5 px apart, lines 20 px apart; each letter stands on the
    // baseline and every third one is 4 px taller (an ascender). Drawn in a 600 px square turned
    // clockwise `quarters` times.
    const page = (quarters: number) => {
      const image = blank();
      for (let i = 0; i < 120; i++) {
        const tall = i % 3 === 0 ? 4 : 0;
        let [x, y, w, h] = [50 + (i % 30) * 12, 200 + Math.floor(i / 30) * 20 - tall, 7, 9 + tall];
        for (let q = 0; q < quarters; q++) [x, y, w, h] = [600 - y - h, x, h, w];
        fill(image, x, y, w, h);
      }
      return analyseInk(image);
    };
    expect(page(0)).toMatchObject({ sideways: false, turns: 0, charHeight: 9 });
    // Turned clockwise: lines run down, baselines on the left; three more turns right it.
    expect(page(1)).toMatchObject({ sideways: true, turns: 3, charHeight: 9 });
    expect(page(2)).toMatchObject({ sideways: false, turns: 2, charHeight: 9 });
    expect(page(3)).toMatchObject({ sideways: true, turns: 1, charHeight: 9 });
    expect(analyseInk(blank())).toMatchObject({ sideways: false, turns: 0 });
  });
});

const word = (text: string, left: number, top: number, w = 0.06): RecognisedWord => ({
  text,
  confidence: 95,
  box: { left, top, width: w, height: 0.012 },
});
const checkbox = (left: number, top: number, selected: boolean) => ({
  box: { left, top, width: 0.014, height: 0.011 },
  selected,
  confidence: 97,
});

function pairs(blocks: Block[]): Record<string, string> {
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const children = (b: Block | undefined) =>
    (b?.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? []).map((id) => byId.get(id));
  return Object.fromEntries(
    blocks
      .filter((b) => b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.[0] === 'KEY')
      .map((k) => [
        children(k)
          .map((w) => w?.Text)
          .join(' '),
        children(byId.get(k.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0]))
          .map((c) => c?.SelectionStatus ?? c?.Text)
          .join(' '),
      ]),
  );
}

describe('checkboxes under FORMS', () => {
  let n = 0;
  const newId = () => `sel-${++n}`;
  // "Dwelling Type: ☐ House ☑ Condo/Townhome", then "☐ Other:" and a box with nothing beside it.
  const page = {
    lines: [
      { words: [word('Dwelling', 0.05, 0.5), word('Type:', 0.12, 0.5)] },
      { words: [word('House', 0.24, 0.5)] },
      { words: [word('Condo/Townhome', 0.34, 0.5, 0.14)] },
      { words: [word('Other:', 0.24, 0.6)] },
    ],
    selections: [checkbox(0.22, 0.5, false), checkbox(0.32, 0.5, true), checkbox(0.22, 0.6, false)],
  };
  page.selections.push(checkbox(0.8, 0.8, false));

  // The question over a row of boxes ("Dwelling Type:") is no key of its own: the boxes answer it, as
  // in Textract's response for the corpus form.
  test('each box is the VALUE of the label to its right; the question the boxes answer is no key', () => {
    const blocks = assembleBlocks(
      [page],
      { featureTypes: ['FORMS'], queries: [] },
      { withPage: true, newId },
    );
    expect(pairs(blocks)).toEqual({
      House: 'NOT_SELECTED',
      'Condo/Townhome': 'SELECTED',
      'Other:': 'NOT_SELECTED',
    });
    const elements = blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT');
    expect(elements.map((e) => e.SelectionStatus)).toEqual([
      'NOT_SELECTED',
      'SELECTED',
      'NOT_SELECTED',
      'NOT_SELECTED',
    ]);
    for (const e of elements) expect(e.Page).toBe(1);
    // Like Textract, the PAGE lists the KEY_VALUE_SETs but not the selection elements.
    const pageChildren = new Set(blocks[0]?.Relationships?.[0]?.Ids);
    for (const e of elements) expect(pageChildren.has(e.Id ?? '')).toBe(false);
  });

  test('without FORMS the boxes stay out of the result: no SELECTION_ELEMENT, the words unchanged', () => {
    const blocks = assembleBlocks(
      [page],
      { featureTypes: ['TABLES'], queries: [] },
      { withPage: true, newId },
    );
    expect(blocks.filter((b) => b.BlockType === 'SELECTION_ELEMENT')).toEqual([]);
    expect(blocks.filter((b) => b.BlockType === 'WORD').map((b) => b.Text)).toEqual([
      'Dwelling',
      'Type:',
      'House',
      'Condo/Townhome',
      'Other:',
    ]);
  });
});
