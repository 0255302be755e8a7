/**
 * LAYOUT classification from geometry and SIGNATURE from loose ink on a signature line. The shape of
 * AnalyzeExpense documents is in textract-expense.test.ts.
 */
import type { Block } from '@aws-sdk/client-textract';
import { buildPageBlocks, type RecognisedPage } from '@docket/local/textract/blocks';
import { pageLayout } from '@docket/local/textract/layout';
import { formRegions } from '@docket/local/textract/layout/regions';
import { toGrey } from '@docket/local/textract/selection';
import { pageInk } from '@docket/local/textract/tables/page-ink';
import { blankPage, pixelLines } from '../support/generated-pages';

const W = 1000;
const H = 1300;

/** A line of words at pixel (x, y), `size` px tall. */
const line = pixelLines(W, H);

let ids = 0;
const newId = () => `id-${++ids}`;

function layoutOf(page: RecognisedPage, signatures = false): { blocks: Block[]; text: (b: Block) => string } {
  const [built] = buildPageBlocks([page], { withPage: false, newId });
  const { blocks } = pageLayout(built!, page.ink, { layout: true, signatures, tables: [], newId });
  const byId = new Map([...built!.lines.map((l) => l.block), ...blocks].map((b) => [b.Id, b]));
  const text = (b: Block): string =>
    (b.Relationships?.[0]?.Ids ?? [])
      .map((id) => byId.get(id))
      .map((c) => (c?.BlockType === 'LINE' ? (c.Text ?? '') : c ? text(c) : ''))
      .join(' / ');
  return { blocks, text };
}

test('LAYOUT: title, section header, text, list, key-value lines, running header, footer, page number', () => {
  const page: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Acme Quarterly Report', 100, 30),
      line('Annual Review', 100, 140, 36),
      line('SUMMARY', 100, 260),
      line('Sales grew in every region this quarter and the', 100, 300),
      line('board expects the same for the next one as well', 100, 320),
      line('1. Open two new stores', 100, 400),
      line('2. Hire ten engineers', 100, 420),
      line('3. Close the old warehouse', 100, 440),
      line('Prepared by: Jane Doe', 100, 520),
      line('Approved on: 3 March', 100, 540),
      line('Confidential', 100, 1250),
      line('Page 2 of 5', 800, 1250),
    ],
  };
  const { blocks, text } = layoutOf(page);
  const kinds = blocks.map((b) => `${b.BlockType}: ${text(b)}`);
  expect(kinds).toEqual(
    expect.arrayContaining([
      'LAYOUT_HEADER: Acme Quarterly Report',
      'LAYOUT_TITLE: Annual Review',
      'LAYOUT_SECTION_HEADER: SUMMARY',
      'LAYOUT_TEXT: Sales grew in every region this quarter and the / board expects the same for the next one as well',
      'LAYOUT_LIST: 1. Open two new stores / 2. Hire ten engineers / 3. Close the old warehouse',
      'LAYOUT_KEY_VALUE: Prepared by: Jane Doe / Approved on: 3 March',
      'LAYOUT_FOOTER: Confidential',
      'LAYOUT_PAGE_NUMBER: Page 2 of 5',
    ]),
  );
  // A list's items are LAYOUT_TEXT blocks under it.
  const list = blocks.find((b) => b.BlockType === 'LAYOUT_LIST');
  const items = (list?.Relationships?.[0]?.Ids ?? []).map((id) => blocks.find((b) => b.Id === id)?.BlockType);
  expect(items).toEqual(['LAYOUT_TEXT', 'LAYOUT_TEXT', 'LAYOUT_TEXT']);
});

test('LAYOUT: a header runs on under the top margin; the title is large both ways, with no figure beside it', () => {
  /** A line whose words OCR boxed `tall` px high at the print's width (a rule or box taken in). */
  const boxed = (text: string, x: number, y: number, tall: number) => {
    const l = line(text, x, y);
    return { words: l.words.map((w) => ({ ...w, box: { ...w.box, height: tall / H } })) };
  };
  const page: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('MAIL OR FAX YOUR APPLICATION TO ONE OF THE', 100, 60),
      line('OFFICES BELOW OR E-MAIL IT TO US', 100, 80),
      line('INVOICE', 100, 160, 36),
      line('Invoice No 3307', 700, 170),
      line('Please read the notes below before you fill in', 100, 260),
      line('any of the fields of this form, then sign it.', 100, 280),
      line('Single', 140, 360),
      boxed('Married', 340, 352, 34),
      line('Widowed', 540, 360),
    ],
  };
  const { blocks, text } = layoutOf(page);
  const kinds = blocks.map((b) => `${b.BlockType}: ${text(b)}`);
  expect(kinds).toEqual(
    expect.arrayContaining([
      'LAYOUT_HEADER: MAIL OR FAX YOUR APPLICATION TO ONE OF THE / OFFICES BELOW OR E-MAIL IT TO US',
      'LAYOUT_TITLE: INVOICE',
    ]),
  );
  expect(kinds.filter((k) => k.startsWith('LAYOUT_TITLE'))).toEqual(['LAYOUT_TITLE: INVOICE']);
  // Without the title, a word boxed tall with its checkbox's rules is still no title, nor a large
  // "Key: value" line, nor a large figure, nor a large label with its figure beside it.
  const untitled = page.lines.filter((l) => l.words[0]?.text !== 'INVOICE');
  const extras = [
    [line('Due date: 4 May', 100, 200, 30)],
    [line('123456 C', 600, 450, 30)],
    [line('TOTAL', 700, 320, 30), line('10.77', 900, 320, 30)],
  ];
  for (const extra of [[], ...extras]) {
    const { blocks: laid } = layoutOf({ ...page, lines: [...untitled, ...extra] });
    expect(laid.filter((b) => b.BlockType === 'LAYOUT_TITLE')).toEqual([]);
  }
});

test('LAYOUT: a footer is the block standing apart at the foot, all its lines; a form running on to the edge has none', () => {
  const footed: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Thank you for your business and see you again next month', 100, 300),
      // Two lines set apart at the foot, the first above the bottom margin.
      line('Payment is due within 30 days of the invoice date', 100, 1200),
      line('Questions: billing@example.com', 100, 1222),
    ],
  };
  const { blocks, text } = layoutOf(footed);
  expect(blocks.filter((b) => b.BlockType === 'LAYOUT_FOOTER').map(text)).toEqual([
    'Payment is due within 30 days of the invoice date / Questions: billing@example.com',
  ]);
  // Two footer lines further apart than a paragraph's: each a footer, the lower not parted from the
  // body by the upper.
  const spaced = layoutOf({
    aspect: H / W,
    lines: [
      line('Thank you for your business and see you again next month', 100, 300),
      line('Acme Ltd, 12 High Street, Springfield', 100, 1236),
      line('Registered in England No. 1234567', 100, 1264),
    ],
  });
  expect(spaced.blocks.filter((b) => b.BlockType === 'LAYOUT_FOOTER').map(spaced.text)).toEqual([
    'Acme Ltd, 12 High Street, Springfield',
    'Registered in England No. 1234567',
  ]);
  // A form's last rows of boxes' labels, in two columns, running into the bottom margin close under
  // the row before them.
  const form: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('How did you hear about us?', 100, 300),
      ...[1194, 1224, 1246, 1268].flatMap((y, i) => [
        line(`Option ${i + 1}`, 100, y),
        line(`Choice ${i + 1}`, 300, y),
      ]),
    ],
  };
  expect(layoutOf(form).blocks.some((b) => b.BlockType === 'LAYOUT_FOOTER')).toBe(false);
  // Two columns: the right one's prose runs to the foot of the page, the left one's footer stands apart.
  const columns: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Terms of the agreement', 100, 500),
      ...Array.from({ length: 16 }, (_, i) =>
        line('the parties agree to the terms set out', 560, 920 + i * 22),
      ),
      line('Acme Corp confidential', 100, 1250),
    ],
  };
  const laid = layoutOf(columns);
  expect(laid.blocks.filter((b) => b.BlockType === 'LAYOUT_FOOTER').map(laid.text)).toEqual([
    'Acme Corp confidential',
  ]);
});

test('LAYOUT: the rows of a form (labels, values and box labels) are one LAYOUT_KEY_VALUE; prose and its heading stand apart', () => {
  const page: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('PERSONAL DETAILS', 350, 200),
      line('Please fill in every field below and sign the form at the end of this', 100, 240),
      line('page before you send it to the office nearest to your home address', 100, 258),
      line('Name: Jane Doe', 100, 300),
      line('Date of birth: 1 May 1980', 500, 300),
      line('Are there other people in your home?', 100, 330),
      line('YES', 500, 330),
      line('NO', 560, 330),
      line('Home address (include apartment or unit number)', 100, 360),
      line('City', 600, 360),
      line('123 Sample Street', 100, 378),
      line('Springfield', 600, 378),
      line('We will write to you within ten working days of the day we receive this', 100, 440),
      line('form, and sooner where a payment is already due to you from the office', 100, 458),
    ],
  };
  const { blocks, text } = layoutOf(page);
  expect(blocks.map((b) => `${b.BlockType}: ${text(b)}`)).toEqual([
    'LAYOUT_SECTION_HEADER: PERSONAL DETAILS',
    'LAYOUT_TEXT: Please fill in every field below and sign the form at the end of this / page before you send it to the office nearest to your home address',
    'LAYOUT_KEY_VALUE: Name: Jane Doe / Date of birth: 1 May 1980 / Are there other people in your home? / YES / NO / Home address (include apartment or unit number) / City / 123 Sample Street / Springfield',
    'LAYOUT_TEXT: We will write to you within ten working days of the day we receive this / form, and sooner where a payment is already due to you from the office',
  ]);
  // Without a single "Label:" the rows of pieces side by side are still a form.
  const bare = layoutOf({
    ...page,
    lines: page.lines.map((l) => ({ words: l.words.map((w) => ({ ...w, text: w.text.replace(':', '') })) })),
  });
  expect(bare.blocks.filter((b) => b.BlockType === 'LAYOUT_KEY_VALUE').map(bare.text)).toEqual([
    'Name Jane Doe / Date of birth 1 May 1980 / Are there other people in your home? / YES / NO / Home address (include apartment or unit number) / City / 123 Sample Street / Springfield',
  ]);
});

test('LAYOUT: a note standing among the fields of a form is part of its region; fields far apart are not', () => {
  const box = (left: number, top: number, width: number, height: number) => ({ left, top, width, height });
  const of = (text: string, b: ReturnType<typeof box>) => ({
    block: { Id: text },
    box: b,
    text,
    size: b.height,
  });
  const group = (type: 'LAYOUT_KEY_VALUE' | 'LAYOUT_TEXT', lines: ReturnType<typeof of>[]) => ({
    type,
    lines,
    box: box(
      Math.min(...lines.map((l) => l.box.left)),
      Math.min(...lines.map((l) => l.box.top)),
      Math.max(...lines.map((l) => l.box.left + l.box.width)) - Math.min(...lines.map((l) => l.box.left)),
      Math.max(...lines.map((l) => l.box.top + l.box.height)) - Math.min(...lines.map((l) => l.box.top)),
    ),
  });
  const name = group('LAYOUT_KEY_VALUE', [of('Name:', box(0.1, 0.3, 0.05, 0.01))]);
  const jane = group('LAYOUT_TEXT', [of('Jane Doe', box(0.2, 0.3, 0.08, 0.01))]);
  const phone = group('LAYOUT_KEY_VALUE', [of('Phone:', box(0.1, 0.322, 0.05, 0.01))]);
  const number = group('LAYOUT_TEXT', [of('555 0101', box(0.2, 0.322, 0.08, 0.01))]);
  const note = group('LAYOUT_TEXT', [
    of('Give the number we can reach you on in the day when we call', box(0.11, 0.311, 0.2, 0.008)),
  ]);
  const far = group('LAYOUT_TEXT', [of('Reference', box(0.8, 0.3, 0.08, 0.01))]);
  const regions = formRegions([name, jane, phone, number, note, far], 0.01, 1.3);
  expect(regions.map((g) => `${g.type}: ${g.lines.map((l) => l.text).join(' / ')}`)).toEqual([
    'LAYOUT_TEXT: Reference',
    'LAYOUT_KEY_VALUE: Name: / Jane Doe / Give the number we can reach you on in the day when we call / Phone: / 555 0101',
  ]);
  // Paragraphs side by side or one over another are a page's columns, not a form's rows.
  const prose = (left: number, top: number) =>
    group(
      'LAYOUT_TEXT',
      [0, 1, 2].map((i) => of(`line ${i} of a column`, box(left, top + i * 0.014, 0.3, 0.01))),
    );
  const columns = [
    group('LAYOUT_KEY_VALUE', [
      of('Ref: AB/123', box(0.1, 0.2, 0.1, 0.01)),
      of('Date: 3 May', box(0.1, 0.214, 0.1, 0.01)),
    ]),
    prose(0.1, 0.235),
    prose(0.5, 0.235),
  ];
  expect(formRegions(columns, 0.01, 1.3).map((g) => g.type)).toEqual([
    'LAYOUT_KEY_VALUE',
    'LAYOUT_TEXT',
    'LAYOUT_TEXT',
  ]);
});

test('LAYOUT: no heading from words beside others, a date, the end of a sentence, the answer under a "Key:" line, or capitals on a page in capitals', () => {
  const mixed: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('The figures below are the ones we hold for the household this year', 100, 100),
      line('DWELLING TYPE', 100, 200),
      line('House', 300, 200),
      line('Apartment', 450, 200),
      line('12/07/2019', 100, 300, 17),
      line('SEE YOU SOON.', 100, 400),
      line('List the names of the members:', 100, 500),
      line('Jane Doe', 100, 518, 19),
      line('Thank you for the time you have taken to fill in this form today', 100, 600),
    ],
  };
  const laid = layoutOf(mixed);
  const headers = laid.blocks.filter((b) => b.BlockType === 'LAYOUT_SECTION_HEADER').map(laid.text);
  expect(headers).toEqual([]);
  // Headings over a page's two columns share a row: each heads the paragraph under it.
  const recipe: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Ingredients', 80, 180, 18),
      line('Method', 500, 180, 18),
      line('Two cups of flour and a pinch', 80, 210),
      line('of salt for the dough', 80, 228),
      line('Mix the flour and the salt in a', 500, 210),
      line('bowl and add the water slowly', 500, 228),
    ],
  };
  const cook = layoutOf(recipe);
  expect(cook.blocks.filter((b) => b.BlockType === 'LAYOUT_SECTION_HEADER').map(cook.text)).toEqual([
    'Ingredients',
    'Method',
  ]);
  // A receipt is printed in capitals: capitals set nothing apart there; a time is no "Key: value".
  const receipt: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('ST# 1477 OP# 19280104', 100, 100),
      line('MILK 2 LITRE', 100, 200),
      line('$2.99', 600, 200),
      line('BREAD WHITE', 100, 220),
      line('$1.49', 600, 220),
      line('THANK YOU FOR SHOPPING', 100, 400),
      line('12/07/2019', 100, 500),
      line('12:22 PM', 600, 500),
    ],
  };
  const till = layoutOf(receipt);
  const kinds = till.blocks.map((b) => `${b.BlockType}: ${till.text(b)}`);
  expect(kinds).toEqual(
    expect.arrayContaining([
      'LAYOUT_TEXT: THANK YOU FOR SHOPPING',
      'LAYOUT_TEXT: 12/07/2019',
      'LAYOUT_TEXT: 12:22 PM',
    ]),
  );
  expect(kinds.filter((k) => /SECTION_HEADER|KEY_VALUE/.test(k))).toEqual([]);
  // On a typed notice in capitals, a short capital line over its paragraph still heads it.
  const notice = layoutOf({
    aspect: H / W,
    lines: [
      line('THE ANNUAL MEETING WILL BE HELD ON MONDAY', 100, 200),
      line('AT THE TOWN HALL AT SEVEN IN THE EVENING', 100, 218),
      line('AGENDA', 100, 280),
      line('ELECTION OF OFFICERS AND THE ANNUAL ACCOUNTS', 100, 320),
    ],
  });
  expect(notice.blocks.filter((b) => b.BlockType === 'LAYOUT_SECTION_HEADER').map(notice.text)).toEqual([
    'AGENDA',
  ]);
});

test('LAYOUT: the lines of a paragraph are of a size by their words, not a stray mark; a foot of close lines is no footer', () => {
  const marked = line('475 ANY AVENUE', 100, 218);
  // OCR took a mark across the street number into its word: the line's box is twice the print.
  const first = marked.words[0]!;
  marked.words[0] = {
    ...first,
    box: { ...first.box, top: first.box.top - 8 / H, height: first.box.height + 16 / H },
  };
  const page: RecognisedPage = {
    aspect: H / W,
    lines: [
      line('Acme Company Limited', 100, 200),
      marked,
      line('Anytown 10101', 100, 236),
      line('How did you hear about us?', 100, 1140),
      line('TV', 100, 1180),
      line('Radio', 100, 1212),
      line('Print media', 100, 1244),
    ],
  };
  const { blocks, text } = layoutOf(page);
  const kinds = blocks.map((b) => `${b.BlockType}: ${text(b)}`);
  expect(kinds).toContain('LAYOUT_TEXT: Acme Company Limited / 475 ANY AVENUE / Anytown 10101');
  expect(kinds.filter((k) => k.startsWith('LAYOUT_FOOTER'))).toEqual([]);
});

/** A page with a scribble standing on a rule beside "Signature", and a rule with nothing on it. */
function signedPage(): RecognisedPage {
  const { context: ctx } = blankPage(W, H);
  ctx.fillRect(300, 1000, 400, 2);
  ctx.fillRect(300, 1150, 400, 2);
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(320, 990);
  for (let i = 0; i < 20; i++) ctx.lineTo(320 + i * 12, 960 + (i % 2 === 0 ? -18 : 22));
  ctx.stroke();
  return {
    aspect: H / W,
    lines: [line('Signature', 100, 985), line('Date', 100, 1135)],
    ink: pageInk(toGrey(ctx.getImageData(0, 0, W, H).data, W, H)),
  };
}

test('SIGNATURE: ink on the signature line, none on the empty date line', () => {
  const { blocks } = layoutOf(signedPage(), true);
  const signatures = blocks.filter((b) => b.BlockType === 'SIGNATURE');
  expect(signatures).toHaveLength(1);
  const box = signatures[0]?.Geometry?.BoundingBox;
  expect(box?.Left).toBeGreaterThan(0.3);
  expect((box?.Left ?? 0) + (box?.Width ?? 0)).toBeLessThan(0.6);
  expect(box?.Top).toBeGreaterThan(900 / H);
  expect((box?.Top ?? 0) + (box?.Height ?? 0)).toBeLessThan(1005 / H);
});
