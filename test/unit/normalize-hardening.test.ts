// Shapes of Textract output TRP.js throws on, made safe before parsing; a page that still cannot be
// read fails the activity without retry, naming the page. Also: query answers in Textract's order and
// TRP's warnings kept out of the logs.
import type { Block } from '@aws-sdk/client-textract';
import { ApplicationFailure } from '@temporalio/common';
import { ResultNormalizer, normalizePage } from '../../activities/normalize';
import { hardenPageBlocks } from '../../activities/page-blocks';
import { corpusBlocks, normalizeInParts } from '../support/textract-corpus';

/** Page 2 of the two-page form: a table with merged cells, checkboxes, key/value pairs. */
function formPage2(): Block[] {
  return corpusBlocks('multi-page-forms-samples-2-page.json').filter((b) => b.Page === 2);
}

const find = (blocks: Block[], type: string, where: (b: Block) => boolean = () => true) =>
  blocks.find((b) => b.BlockType === type && where(b))!;

async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('blocks TRP would throw on', () => {
  const baseline = normalizePage(2, formPage2());

  test('a TABLE without Relationships: the page reads, the table is empty, the rest is intact', () => {
    const blocks = formPage2();
    delete find(blocks, 'TABLE').Relationships;
    const result = normalizePage(2, blocks);
    expect(result.tables.tables[0]).toMatchObject({ rowCount: 0, cells: [] });
    expect(result.page.fields).toEqual(baseline.page.fields);
    expect(result.page.lines).toEqual(baseline.page.lines);
  });

  test('a KEY_VALUE_SET without EntityTypes: a key (it points at a value) stays a field', () => {
    const blocks = formPage2();
    const key = find(blocks, 'KEY_VALUE_SET', (b) => b.EntityTypes?.includes('KEY') ?? false);
    const value = find(blocks, 'KEY_VALUE_SET', (b) => b.EntityTypes?.includes('VALUE') ?? false);
    delete key.EntityTypes;
    delete value.EntityTypes;
    const result = normalizePage(2, blocks);
    expect(result.page.fields.map((f) => f.key.text).sort()).toEqual(
      baseline.page.fields.map((f) => f.key.text).sort(),
    );
  });

  test('dangling ids (a cell, a word, a merged cell’s child, a layout-less page child) are dropped', () => {
    const blocks = formPage2();
    const table = find(blocks, 'TABLE');
    table.Relationships![0]!.Ids!.push('missing-cell');
    find(blocks, 'LINE').Relationships![0]!.Ids!.push('missing-word');
    find(blocks, 'MERGED_CELL').Relationships![0]!.Ids!.push('missing-sub-cell');
    find(blocks, 'PAGE').Relationships![0]!.Ids!.push('missing-child');
    const key = find(blocks, 'KEY_VALUE_SET', (b) => b.EntityTypes?.includes('KEY') ?? false);
    key.Relationships!.find((r) => r.Type === 'VALUE')!.Ids = ['missing-value'];
    const result = normalizePage(2, blocks);
    expect(result.tables.tables[0]!.cells).toEqual(baseline.tables.tables[0]!.cells);
    expect(result.page.lines).toEqual(baseline.page.lines);
    // The key whose value block is missing stays a field, with an empty value.
    expect(result.page.fields).toHaveLength(baseline.page.fields.length);
    expect(result.page.fields.filter((f) => f.value.box === undefined)).toHaveLength(1);
  });

  test('a merged cell naming a cell of another table loses only that reference', () => {
    const blocks = corpusBlocks('paystub.jpg.analysis.json');
    const tables = blocks.filter((b) => b.BlockType === 'TABLE');
    const merged = blocks.find((b) => b.BlockType === 'MERGED_CELL')!;
    const foreignCell = tables.find((t) => !t.Relationships!.some((r) => r.Ids!.includes(merged.Id!)))!
      .Relationships![0]!.Ids![0]!;
    merged.Relationships![0]!.Ids!.push(foreignCell);
    expect(() => normalizePage(1, blocks)).not.toThrow();
  });

  test('the PAGE block anywhere in the page’s blocks', () => {
    const blocks = formPage2();
    const page = blocks.shift()!;
    blocks.push(page);
    expect(normalizePage(2, blocks)).toEqual(baseline);
  });

  test('hardening copies what it fixes and leaves the input alone', () => {
    const blocks = formPage2();
    delete find(blocks, 'TABLE').Relationships;
    const before = JSON.stringify(blocks);
    const hardened = hardenPageBlocks(2, blocks);
    expect(JSON.stringify(blocks)).toBe(before);
    expect(find(hardened, 'TABLE').Relationships).toEqual([]);
  });
});

describe('a page that cannot be read', () => {
  test('fails without retry, naming the page: no PAGE block', async () => {
    const blocks = corpusBlocks('multi-page-forms-samples-2-page.json').filter(
      (b) => b.BlockType !== 'PAGE' || b.Page !== 2,
    );
    const err = await failureOf(() => normalizeInParts(blocks, 300));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'TextractResultUnreadable', nonRetryable: true });
    expect((err as Error).message).toBe(
      'page 2 of the Textract result could not be read: page 2 has no PAGE block',
    );
  });

  test('fails without retry, naming the page: a line without geometry', async () => {
    const blocks = formPage2();
    const line = find(blocks, 'LINE');
    delete line.Geometry;
    const err = await failureOf(() => normalizePage(2, blocks));
    expect(err).toMatchObject({ type: 'TextractResultUnreadable', nonRetryable: true });
    expect((err as Error).message).toMatch(/^page 2 of the Textract result could not be read: /);
    expect((err as Error).message).not.toContain(line.Text!);
  });

  test('a block arriving after its page was complete fails rather than duplicating the page', async () => {
    const blocks = corpusBlocks('multi-page-forms-samples-2-page.json');
    const normalizer = new ResultNormalizer([]);
    normalizer.add(blocks, false);
    const late = blocks.find((b) => b.Page === 1 && b.BlockType === 'LINE')!;
    const err = await failureOf(() => normalizer.add([late], true));
    expect(err).toMatchObject({ type: 'TextractResultUnreadable', nonRetryable: true });
  });
});

describe('query answers', () => {
  function queryPage(answers: { text: string; confidence: number }[]): Block[] {
    const geometry = corpusBlocks('queries_sample.json').find(
      (b) => b.BlockType === 'QUERY_RESULT',
    )!.Geometry;
    return [
      {
        BlockType: 'PAGE',
        Id: 'page',
        Page: 1,
        Geometry: geometry,
        Relationships: [{ Type: 'CHILD', Ids: ['q'] }],
      },
      {
        BlockType: 'QUERY',
        Id: 'q',
        Page: 1,
        Query: { Text: 'What is the total?', Alias: 'total' },
        Relationships: [{ Type: 'ANSWER', Ids: answers.map((_, i) => `a${i}`) }],
      },
      ...answers.map((a, i): Block => ({
        BlockType: 'QUERY_RESULT',
        Id: `a${i}`,
        Page: 1,
        Text: a.text,
        Confidence: a.confidence,
        ...(i === 0 ? { Geometry: geometry } : {}),
      })),
    ];
  }

  test('all of them, in Textract’s order (not by confidence); an interpreted one has no box', () => {
    const result = normalizePage(
      1,
      queryPage([
        { text: '12.00', confidence: 40 },
        { text: '12.50', confidence: 90 },
      ]),
    );
    expect(result.page.queries.map((q) => [q.id, q.text, q.box !== undefined])).toEqual([
      ['p1-q1', '12.00', true],
      ['p1-q2', '12.50', false],
    ]);
  });

  test('the most confident answer per alias is the routed value, across pages', () => {
    const page1 = queryPage([
      { text: '12.00', confidence: 40 },
      { text: '12.50', confidence: 90 },
    ]);
    const page2 = queryPage([{ text: '13.00', confidence: 70 }]).map((b) => ({
      ...b,
      Page: 2,
      Id: `${b.Id}-2`,
      Relationships: b.Relationships?.map((r) => ({ ...r, Ids: r.Ids!.map((id) => `${id}-2`) })),
    }));
    const { summary } = normalizeInParts([...page1, ...page2], 1000, ['total']);
    expect(summary.fields).toEqual([
      { id: 'p1-q2', name: 'total', value: '12.50', confidence: 90, page: 1, source: 'QUERY' },
    ]);
    expect(summary.minConfidence).toBe(90);
  });
});

test('TRP’s warnings are counted, not logged (one quotes a form key’s text)', () => {
  const blocks = formPage2();
  const key = find(blocks, 'KEY_VALUE_SET', (b) => b.EntityTypes?.includes('KEY') ?? false);
  const value = find(blocks, 'KEY_VALUE_SET', (b) => b.EntityTypes?.includes('VALUE') ?? false);
  key.Relationships!.find((r) => r.Type === 'VALUE')!.Ids!.push(value.Id!);
  const warn = jest.spyOn(console, 'warn');
  try {
    const result = normalizePage(2, blocks);
    expect(result.parserWarnings).toBeGreaterThan(0);
    expect(warn).not.toHaveBeenCalled();
    expect(console.warn).toBe(warn); // put back
  } finally {
    warn.mockRestore();
  }
});
