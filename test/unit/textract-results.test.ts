import type { Block } from '@aws-sdk/client-textract';
import { assembleBlocks } from '@docket/local/textract/analysis';
import {
  groupIntoLines,
  splitAtGaps,
  type RecognisedLine,
  type RecognisedWord,
} from '@docket/local/textract/blocks';
import { textDetectionView } from '@docket/local/textract/fixtures';
import { decodeNextToken, encodeNextToken } from '@docket/local/textract/pagination';
import { SyntheticBlocks } from '@docket/local/textract/synthetic';
import { ResultNormalizer } from '../../activities/normalize';
import { wordF1 } from '@docket/local/textract/word-f1';

/** Words laid out left to right on one row starting at `left`, each 0.1 wide with 0.01 gaps. */
function row(top: number, left: number, ...texts: string[]): RecognisedWord[] {
  return texts.map((text, i) => ({
    text,
    confidence: 90,
    box: { left: left + i * 0.11, top, width: 0.1, height: 0.02 },
  }));
}

let n = 0;
const newId = () => `id-${++n}`;

function kv(blocks: Block[]): Record<string, string> {
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const text = (b: Block | undefined) =>
    (b?.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? []).map((id) => byId.get(id)?.Text).join(' ');
  return Object.fromEntries(
    blocks
      .filter((b) => b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.[0] === 'KEY')
      .map((k) => [text(k), text(byId.get(k.Relationships?.find((r) => r.Type === 'VALUE')?.Ids?.[0]))]),
  );
}

describe('lines and blocks', () => {
  test('words on one row split into separate lines at a column-wide gap', () => {
    const words = [
      ...row(0.1, 0.05, 'Invoice', 'Date'),
      ...row(0.1, 0.6, 'January', '25,', '2016'),
      ...row(0.2, 0.05, 'Total'),
    ];
    const lines: RecognisedLine[] = groupIntoLines(words);
    expect(lines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual([
      'Invoice Date',
      'January 25, 2016',
      'Total',
    ]);
  });

  test("gaps are measured in pixels: a receipt's wide word spacing stays one line, a column gap splits", () => {
    // A receipt photo 805 x 1917: words 23 px tall, 26 px apart, the price 270 px further right.
    const px = (left: number, width: number, text: string): RecognisedWord => ({
      text,
      confidence: 90,
      box: { left: left / 805, top: 400 / 1917, width: width / 805, height: 23 / 1917 },
    });
    const line = {
      words: [
        px(40, 80, 'SONY'),
        px(146, 80, 'VIAO'),
        px(252, 40, 'I7'),
        px(318, 80, '6938'),
        px(668, 140, '$689.99'),
      ],
    };
    const texts = (lines: RecognisedLine[]) => lines.map((l) => l.words.map((w) => w.text).join(' '));
    expect(texts(splitAtGaps(line, 1917 / 805))).toEqual(['SONY VIAO I7 6938', '$689.99']);
    // Read as if the page were square, the 26 px gaps looked like 2.7 heights and split every word.
    expect(texts(splitAtGaps(line, 1))).toHaveLength(5);
  });

  test('PAGE, then LINEs, then WORDs; each LINE text is its WORDs', () => {
    const blocks = assembleBlocks(
      [{ lines: [{ words: row(0.1, 0.1, 'Hello', 'world') }] }],
      { featureTypes: [], queries: [] },
      { withPage: true, newId },
    );
    expect(blocks.map((b) => b.BlockType)).toEqual(['PAGE', 'LINE', 'WORD', 'WORD']);
    expect(blocks[1]?.Text).toBe('Hello world');
    expect(blocks[1]?.Relationships?.[0]?.Ids).toEqual([blocks[2]?.Id, blocks[3]?.Id]);
    expect(blocks.every((b) => b.Page === 1)).toBe(true);
    const box = blocks[1]?.Geometry?.BoundingBox;
    expect(box?.Left).toBeCloseTo(0.1);
    expect(box?.Width).toBeCloseTo(0.21);
  });
});

describe('FORMS', () => {
  const page = {
    lines: [
      { words: row(0.1, 0.05, 'Name:', 'Jane', 'Doe') },
      { words: row(0.2, 0.05, 'Address:') },
      { words: row(0.23, 0.05, '1', 'Main', 'St') },
      { words: row(0.3, 0.05, 'Invoice', 'Number') },
      { words: row(0.3, 0.5, 'INV-3337') },
      { words: row(0.4, 0.05, 'Hrs/Qty') },
      { words: row(0.4, 0.5, 'Service') },
    ],
  };

  test('"label: value", a label above its value, and a label beside its value become KEY/VALUE pairs', () => {
    const blocks = assembleBlocks(
      [page],
      { featureTypes: ['FORMS'], queries: [] },
      { withPage: true, newId },
    );
    expect(kv(blocks)).toEqual({
      'Name:': 'Jane Doe',
      'Address:': '1 Main St',
      'Invoice Number': 'INV-3337',
    });
    const pageChildren = new Set(blocks[0]?.Relationships?.[0]?.Ids);
    for (const b of blocks.filter((x) => x.BlockType === 'KEY_VALUE_SET'))
      expect(pageChildren.has(b.Id ?? '')).toBe(true);
  });

  test('on a tall receipt, a value under its label is found by its offset in pixels, not in page fractions', () => {
    // 805 x 1917 px. "Total:" is 23 px tall; the amount below starts 30 px further right, within two
    // heights (46 px). As page fractions, 30 px across (0.037) is three times the height (0.012).
    const px = (x: number, y: number, w: number, text: string): RecognisedWord => ({
      text,
      confidence: 90,
      box: { left: x / 805, top: y / 1917, width: w / 805, height: 23 / 1917 },
    });
    const receipt = {
      lines: [{ words: [px(80, 900, 70, 'Total:')] }, { words: [px(110, 930, 80, '$41.97')] }],
    };
    const pairs = (aspect?: number) =>
      kv(
        assembleBlocks(
          [{ ...receipt, ...(aspect ? { aspect } : {}) }],
          { featureTypes: ['FORMS'], queries: [] },
          { withPage: true, newId },
        ),
      );
    expect(pairs(1917 / 805)).toEqual({ 'Total:': '$41.97' });
    expect(pairs()).toEqual({ 'Total:': '' });
  });

  test('QUERIES are answered from the pairs, and a question nothing answers gets no ANSWER', () => {
    const blocks = assembleBlocks(
      [page],
      {
        featureTypes: ['QUERIES'],
        queries: [{ text: 'What is the invoice number?', alias: 'NO' }, { text: 'What is the weather?' }],
      },
      { withPage: true, newId },
    );
    expect(blocks.some((b) => b.BlockType === 'KEY_VALUE_SET')).toBe(false);
    const queries = blocks.filter((b) => b.BlockType === 'QUERY');
    expect(queries.map((q) => q.Query)).toEqual([
      { Text: 'What is the invoice number?', Alias: 'NO' },
      { Text: 'What is the weather?' },
    ]);
    const answer = blocks.find((b) => b.Id === queries[0]?.Relationships?.[0]?.Ids?.[0]);
    expect(answer).toMatchObject({ BlockType: 'QUERY_RESULT', Text: 'INV-3337' });
    expect(queries[1]?.Relationships).toBeUndefined();
  });
});

describe('NextToken', () => {
  test('a token resumes where it was issued, for its own job only', () => {
    const token = encodeNextToken('job-a', 3000);
    expect(decodeNextToken('job-a', token)).toBe(3000);
    expect(() => decodeNextToken('job-b', token)).toThrow(/NextToken/);
    const tampered = Buffer.from(
      Buffer.from(token, 'base64url').toString().replace(':3000:', ':4000:'),
    ).toString('base64url');
    expect(() => decodeNextToken('job-a', tampered)).toThrow(/NextToken/);
    expect(encodeNextToken('f'.repeat(64), 1_500_000).length).toBeLessThanOrEqual(255);
  });
});

describe('synthetic results', () => {
  test('blocks are the same however they are sliced, with unique ids and resolvable children', () => {
    const source = new SyntheticBlocks({ pages: 3, linesPerPage: 4, wordsPerLine: 2 }, 'abc123');
    expect(source.count).toBe(3 * (1 + 4 * 3));
    const whole = source.slice(0, source.count);
    const pieces = [...source.slice(0, 7), ...source.slice(7, 20), ...source.slice(20, 1000)];
    expect(pieces).toEqual(whole);
    const ids = new Set(whole.map((b) => b.Id));
    expect(ids.size).toBe(whole.length);
    for (const b of whole) for (const id of b.Relationships?.[0]?.Ids ?? []) expect(ids.has(id)).toBe(true);
    expect(whole.filter((b) => b.BlockType === 'PAGE').map((b) => b.Page)).toEqual([1, 2, 3]);
  });

  test('with tableRows every page has a table whose cells are its last lines, as the normaliser reads it', () => {
    const source = new SyntheticBlocks(
      { pages: 2, linesPerPage: 5, wordsPerLine: 3, tableRows: 2 },
      'abc123',
    );
    expect(source.count).toBe(2 * (1 + 5 * 4 + 1 + 2 * 3));
    const blocks = source.slice(0, source.count);
    const ids = new Set(blocks.map((b) => b.Id));
    expect(ids.size).toBe(blocks.length);
    for (const b of blocks) for (const id of b.Relationships?.[0]?.Ids ?? []) expect(ids.has(id)).toBe(true);
    const part = new ResultNormalizer([]).add(blocks, true);
    expect(
      part.tables.map((t) => [t.parts.map((p) => p.page), t.rowCount, t.columnCount, t.headerRows]),
    ).toEqual([
      [[1], 2, 3, [1]],
      [[2], 2, 3, [1]],
    ]);
    // A cell's text is the word of the line it stands on.
    const lastLine = part.pages[0]!.lines.at(-1)!.text.split(' ');
    expect(part.tables[0]!.cells.filter((c) => c.row === 2).map((c) => c.text)).toEqual(lastLine);
  });
});

describe('recorded responses', () => {
  test('the text-detection view drops analysis blocks and references to them', () => {
    const blocks: Block[] = [
      { BlockType: 'PAGE', Id: 'p', Relationships: [{ Type: 'CHILD', Ids: ['l', 't'] }] },
      { BlockType: 'LINE', Id: 'l', Relationships: [{ Type: 'CHILD', Ids: ['w'] }] },
      { BlockType: 'WORD', Id: 'w', Text: 'x' },
      { BlockType: 'TABLE', Id: 't', Relationships: [{ Type: 'CHILD', Ids: ['c'] }] },
      { BlockType: 'CELL', Id: 'c', Relationships: [{ Type: 'CHILD', Ids: ['w'] }] },
    ];
    const view = textDetectionView({ pages: 1, blocks });
    expect(view.blocks.map((b) => b.Id)).toEqual(['p', 'l', 'w']);
    expect(view.blocks[0]?.Relationships).toEqual([{ Type: 'CHILD', Ids: ['l'] }]);
  });
});

describe('word F1', () => {
  const words = (...t: string[]): Block[] => t.map((Text) => ({ BlockType: 'WORD', Text }));

  test('case and punctuation outside $.,:/- do not count; repeated words count as often as they occur', () => {
    const s = wordF1(
      words('Total:', '$93.50', '(Paid)', 'the', 'the'),
      words('total:', '$93.50', 'paid', 'the'),
    );
    expect(s.precision).toBeCloseTo(4 / 5);
    expect(s.recall).toBe(1);
    expect(s.f1).toBeCloseTo((2 * 0.8) / 1.8);
  });

  test('nothing in common scores 0', () => {
    expect(wordF1(words('a'), words('b')).f1).toBe(0);
    expect(wordF1([], words('b')).f1).toBe(0);
  });
});
