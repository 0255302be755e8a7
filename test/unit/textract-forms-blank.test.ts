/**
 * Blank boxed fields on generated pages: labels at the top of empty ruled boxes are KEYs with empty
 * VALUEs (as Textract reports them); a box with something written in it, and a ruled table's row
 * (text centred in its cells, figures beside it), are not.
 */
import { buildPageBlocks, type RecognisedLine } from '@docket/local/textract/blocks';
import { blankFields, filledFields } from '@docket/local/textract/forms-blank';
import { toGrey } from '@docket/local/textract/selection';
import { assembleBlocks } from '@docket/local/textract/analysis';
import { formPairs } from '../support/form-blocks';
import { pageInk } from '@docket/local/textract/tables/page-ink';
import { blankPage, pixelWords } from '../support/generated-pages';

const W = 1000;
const H = 800;

/** A word at pixel (x, y), 13 px tall, 8 px a character, as OCR would report it. */
const word = pixelWords(W, H, 13);
const line = (text: string, x: number, y: number): RecognisedLine => ({ words: [word(text, x, y)] });

/** Rulings drawn on a white page: horizontal [y, x0, x1] and vertical [x, y0, y1], 2 px thick. */
function inkOf(horizontal: [number, number, number][], vertical: [number, number, number][]) {
  const { context: ctx } = blankPage(W, H);
  for (const [y, x0, x1] of horizontal) ctx.fillRect(x0, y, x1 - x0, 2);
  for (const [x, y0, y1] of vertical) ctx.fillRect(x, y0, 2, y1 - y0);
  return pageInk(toGrey(ctx.getImageData(0, 0, W, H).data, W, H));
}

let ids = 0;
const newId = () => `id-${++ids}`;

function blanks(lines: RecognisedLine[], ink: ReturnType<typeof inkOf>) {
  const [page] = buildPageBlocks([{ lines, aspect: H / W }], { withPage: false, newId });
  return blankFields(page!, ink, new Set(), newId).map((p) => ({
    key: p.keyText,
    value: p.value.Relationships?.length ?? 0,
    box: p.value.Geometry?.BoundingBox,
  }));
}

// A row of boxes 40 px tall from x 100 to 900, split at 500 and 700, with a filled row above it.
const rows: [number, number, number][] = [
  [160, 100, 900],
  [200, 100, 900],
  [240, 100, 900],
];
const sides: [number, number, number][] = [
  [100, 160, 240],
  [500, 160, 240],
  [700, 160, 240],
  [900, 160, 240],
];

test('labels at the top of empty ruled boxes are keys with empty values under them', () => {
  const lines = [
    line('Street', 105, 163),
    line('Springfield', 105, 180),
    line('City', 505, 203),
    line('State', 705, 203),
    line('Address', 105, 203),
  ];
  const found = blanks(lines, inkOf(rows, sides));
  expect(found.map((f) => f.key).sort()).toEqual(['Address', 'City', 'State']);
  for (const f of found) expect(f.value).toBe(0);
  // The City value is the box's empty space: between its side rules, under the label, above the rule.
  const city = found.find((f) => f.key === 'City')?.box;
  expect(city?.Left).toBeCloseTo(501 / W, 2);
  expect((city?.Left ?? 0) + (city?.Width ?? 0)).toBeCloseTo(701 / W, 2);
  expect(city?.Top).toBeCloseTo(216 / H, 2);
});

test('a box with something written under its label is not blank', () => {
  const lines = [line('City', 505, 203), line('Springfield', 520, 222), line('State', 705, 203)];
  expect(blanks(lines, inkOf(rows, sides)).map((f) => f.key)).toEqual(['State']);
});

test("a ruled table's row, its text centred with figures beside it, gives no blank field", () => {
  // Rows 40 px tall, the text in the middle of each cell; the row under it is empty.
  const lines = [line('Spouse', 105, 213), line('08/02/84', 505, 213), line('38', 705, 213)];
  expect(blanks(lines, inkOf(rows, sides))).toEqual([]);
  // Words, not figures, centred in the cells: still not fields.
  const centred = [line('Spouse', 105, 213), line('Female', 505, 213)];
  expect(blanks(centred, inkOf(rows, sides))).toEqual([]);
});

test('a label at the top of a ruled box takes the words written under it in the box, words or figures', () => {
  // One box 80 px tall (160..240) split at 500 and 700: names and a city written under their labels.
  const tall: [number, number, number][] = [
    [160, 100, 900],
    [240, 100, 900],
  ];
  const lines = [
    line('Surname', 105, 163),
    line('Okafor', 120, 205),
    line('Elm Town', 380, 205),
    line('City', 505, 163),
    line('Portland', 515, 190),
    line('Oregon', 515, 210),
    // The label's own next line, in lower case, is no value; a line far across the box is another's.
    line('Citizen', 705, 163),
    line('or resident', 705, 178),
    line('Member', 105, 263),
  ];
  const [page] = buildPageBlocks([{ lines, aspect: H / W }], { withPage: false, newId });
  const found = filledFields(page!, inkOf(tall, sides), new Set(), newId).map((p) => [
    p.keyText,
    p.valueText,
  ]);
  expect(found).toEqual([
    ['Surname', 'Okafor'],
    ['City', 'Portland Oregon'],
  ]);
  // Through FORMS, the box's pairs come first and their words are no part of another pair.
  const ink = inkOf(tall, sides);
  const blocks = assembleBlocks(
    [{ lines, aspect: H / W, ink }],
    { featureTypes: ['FORMS'], queries: [] },
    {
      withPage: true,
    },
  );
  const pairs = formPairs(blocks);
  expect(pairs).toEqual(
    expect.arrayContaining([
      ['Surname', 'Okafor'],
      ['City', 'Portland Oregon'],
    ]),
  );
  expect(pairs.filter(([key]) => key === 'Okafor' || key === 'Portland')).toEqual([]);
});

test("a box's value set close under its label is its value; a label over a figure ends it, one over words does not", () => {
  // Boxes 100 px tall: typed values 2 px under their labels, as a filled-in PDF sets them.
  const tall: [number, number, number][] = [
    [160, 100, 900],
    [262, 100, 900],
  ];
  const lines = [
    line('Mailing Address', 105, 163),
    line('Jane Doe', 105, 178),
    line('Finance Department', 105, 193),
    line('100 Main Street', 105, 208),
    line('Employer', 505, 163),
    line('Northwind Traders', 505, 178),
    line('Phone', 505, 215),
    line('555-0100', 505, 230),
    // A box of instructions: a sentence is no value.
    line('Notes', 705, 163),
    line('Complete every section in blue or black ink, then sign below.', 715, 190),
  ];
  const [page] = buildPageBlocks([{ lines, aspect: H / W }], { withPage: false, newId });
  const found = filledFields(page!, inkOf(tall, sides), new Set(), newId).map((p) => [
    p.keyText,
    p.valueText,
  ]);
  expect(found).toEqual([
    ['Mailing Address', 'Jane Doe Finance Department 100 Main Street'],
    ['Employer', 'Northwind Traders'],
  ]);
});
