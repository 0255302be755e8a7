// Specific things the corpus holds, checked by value: the cross-page table of the GIB statement,
// repeated checkbox keys, column headers, merged cells, captions, the paystub's signature, layout
// reading order and query answers.
import { blockBox, corpusBlocks, normalizeInParts, type CorpusResponse } from '../support/textract-corpus';

const normalized = (name: CorpusResponse, named: string[] = []) =>
  normalizeInParts(corpusBlocks(name), 300, named);
const rowTexts = (table: { cells: { row: number; column: number; text: string }[] }, row: number) =>
  table.cells
    .filter((c) => c.row === row)
    .sort((a, b) => a.column - b.column)
    .map((c) => c.text);

describe('gib_multi_page_table_merge.json: four tables on three pages', () => {
  const { tables, parts } = normalized('gib_multi_page_table_merge.json');

  test('become two logical tables: one on page 1, and one continuing from page 1 over pages 2 and 3', () => {
    expect(tables.map((t) => t.id)).toEqual(['t1', 't2']);
    const [first, chain] = tables as [(typeof tables)[0], (typeof tables)[0]];
    expect(first.parts.map((p) => [p.page, p.firstRow, p.rowCount])).toEqual([[1, 1, 10]]);
    expect(chain.parts.map((p) => [p.page, p.firstRow, p.rowCount])).toEqual([
      [1, 1, 7],
      [2, 8, 41],
      [3, 49, 11],
    ]);
    expect([first.rowCount, first.columnCount, chain.rowCount, chain.columnCount]).toEqual([10, 3, 59, 3]);
  });

  test('rows of the continuations follow the first part’s, with their cells and pages', () => {
    const chain = tables[1]!;
    expect(rowTexts(chain, 1)).toEqual(['Date', 'Description Long 2', 'Withdrawals / Deposits']);
    expect(rowTexts(chain, 8)).toEqual(['2/13/2020', 'Food Purchase - McDonalds - 2130609679', '-127']);
    expect(rowTexts(chain, 48)).toEqual(['11/17/2020', 'Retail Purchase - Loblaws - 6407949623', '-67']);
    expect(rowTexts(chain, 49)).toEqual(['7/23/2020', 'Food Purchase - Starbucks - 6528599341', '-21']);
    expect(rowTexts(chain, 59)).toEqual(['6/6/2020', 'Retail Purchase - Loblaws - 8408401968', '-234']);
    expect(chain.cells.filter((c) => c.row === 8).map((c) => c.page)).toEqual([2, 2, 2]);
    expect(rowTexts(tables[0]!, 1)).toEqual(['Date', 'Description Solo 1', 'Withdrawals/Deposits']);
  });

  test('the chain stays open until the last page: each table is written once, in the part where it ends', () => {
    const written = parts
      .filter((p) => p.tables.length > 0)
      .map((p) => [p.pages.map((page) => page.page), p.tables.map((t) => t.id)]);
    expect(written).toEqual([
      [[1], ['t1']],
      [[3], ['t2']],
    ]);
  });
});

describe('multi-page-forms-samples-2-page.json', () => {
  const { pages, tables } = normalized('multi-page-forms-samples-2-page.json');

  test('a repeated checkbox key is one field per checkbox, each with its id and state', () => {
    const yes = pages.flatMap((p) => p.fields).filter((f) => f.name === 'Yes');
    const no = pages.flatMap((p) => p.fields).filter((f) => f.name === 'No');
    expect(yes.length).toBeGreaterThanOrEqual(5);
    expect(no.length).toBeGreaterThanOrEqual(5);
    expect(new Set([...yes, ...no].map((f) => f.id)).size).toBe(yes.length + no.length);
    expect(yes.map((f) => f.selected)).toEqual([true, false, false, false, false, true]);
    expect(no.map((f) => f.selected)).toEqual([false, true, false, true, true, true]);
    expect(yes[0]).toMatchObject({ id: 'p1-f15', value: { text: '' }, selected: true });
  });

  test('repeated text keys are kept too, each with its own value', () => {
    const firstNames = pages[0]!.fields.filter((f) => f.name === 'First Name').map((f) => f.value.text);
    expect(firstNames).toEqual(['ALEJANDRO', 'CARLOS', 'JANE']);
  });

  test('column headers, merged cells and a title row spanning the table', () => {
    const [questions, employment] = tables as [(typeof tables)[0], (typeof tables)[0]];
    expect(questions.headerRows).toEqual([1]);
    expect(questions.cells.find((c) => c.row === 1 && c.column === 2)).toMatchObject({
      text: 'Did you feel fever or feverish lately?',
      entityTypes: ['COLUMN_HEADER'],
    });
    expect(questions.cells.find((c) => c.row === 1 && c.column === 1)).toMatchObject({
      rowSpan: 6,
      columnSpan: 1,
    });
    expect(employment.cells.find((c) => c.row === 1)).toMatchObject({
      text: 'Previous Employment History',
      columnSpan: 5,
    });
    expect(employment.headerRows).toEqual([2]);
    expect(rowTexts(employment, 2)).toEqual([
      'Start Date',
      'End Date',
      'Employer Name',
      'Position Held',
      'Reason for leaving',
    ]);
  });
});

describe('form.png.analysis.json', () => {
  const { pages, tables } = normalized('form.png.analysis.json');

  test('the table title is a caption with its geometry; merged header cells keep their span', () => {
    const blocks = corpusBlocks('form.png.analysis.json');
    const title = blocks.find((b) => b.BlockType === 'TABLE_TITLE')!;
    expect(tables[0]).toMatchObject({
      type: 'STRUCTURED',
      title: { text: 'A. APPLICANT/HOUSEHOLD INFORMATION', page: 1, box: blockBox(title) },
      headerRows: [1],
    });
    expect(tables[0]!.cells.find((c) => c.row === 1 && c.column === 8)).toMatchObject({
      text: 'Disabled Yes No',
      columnSpan: 2,
      entityTypes: ['COLUMN_HEADER'],
    });
    expect(tables[1]!.type).toBe('SEMI_STRUCTURED');
  });

  test('a checkbox in a cell has its state; empty keys are fields too', () => {
    expect(tables[0]!.cells.find((c) => c.row === 2 && c.column === 6)).toMatchObject({
      text: '',
      selected: true,
    });
    const empty = pages[0]!.fields.filter((f) => f.name === '');
    expect(empty).toHaveLength(7);
    expect(empty.every((f) => f.key.text === '' && f.key.box !== undefined)).toBe(true);
  });

  test('lines follow LAYOUT: the title after both header blocks, not in Textract’s LINE order', () => {
    expect(pages[0]!.layout.slice(0, 3).map((e) => e.kind)).toEqual(['HEADER', 'HEADER', 'TITLE']);
    expect(pages[0]!.lines.slice(0, 4).map((l) => l.text)).toEqual([
      'DIVISION OF WELFARE AND SUPPORTIVE SERVICES',
      'MAIL OR FAX YOUR APPLICATION TO ONE OF THE OFFICES LISTED BELOW',
      'OR EMAIL YOUR APPLICATION TO: ENERGYASSISTANCE@DWSS.NV.GOV',
      'ENERGY ASSISTANCE PROGRAM',
    ]);
  });
});

describe('sample-invoice.pdf.analysis.json', () => {
  const { pages } = normalized('sample-invoice.pdf.analysis.json');

  test('the TITLE element and its line come right after the page header, footer and page number last', () => {
    const page = pages[0]!;
    expect(page.layout.map((e) => e.kind)).toEqual([
      'FIGURE',
      'HEADER',
      'TITLE',
      'SECTION_HEADER',
      'TEXT',
      'TABLE',
      'TEXT',
      'TABLE',
      'TABLE',
      'TEXT',
      'FOOTER',
      'PAGE_NUMBER',
    ]);
    expect(page.layout[2]).toMatchObject({ kind: 'TITLE', text: 'Invoice', page: 1 });
    // Textract's LINE order has "Invoice Number" third; the layout keeps the sender's block together.
    expect(page.lines.slice(0, 3).map((l) => l.text)).toEqual(['Sliced/Invoices', 'Invoice', 'From:']);
    expect(page.lines.at(-1)?.text).toBe('Page 1/1');
    expect(page.lines[0]).toMatchObject({ textType: 'PRINTED', confidence: expect.any(Number) as number });
  });
});

describe('paystub.jpg.analysis.json', () => {
  const { pages, tables, summary } = normalized('paystub.jpg.analysis.json');

  test('the signature, with its page and box', () => {
    expect(pages[0]!.signatures).toEqual([
      { page: 1, confidence: expect.closeTo(82.27, 2) as number, box: expect.any(Object) as object },
    ]);
    const box = pages[0]!.signatures[0]!.box;
    expect(box.left).toBeCloseTo(0.5418, 4);
    expect(box.top).toBeCloseTo(0.861, 3);
  });

  test('the table footer, summary and section-title cells, merged cells', () => {
    const footed = tables.find((t) => t.footer)!;
    expect(footed.footer).toMatchObject({ text: '*Excluded from federal taxable wages', page: 1 });
    expect(footed.footer?.box?.top).toBeCloseTo(0.622, 3);
    expect(footed.cells.find((c) => c.row === 2 && c.column === 1)).toMatchObject({ rowSpan: 14, text: '' });
    expect(footed.cells.find((c) => c.text === 'Adjustment')).toMatchObject({
      columnSpan: 3,
      entityTypes: ['TABLE_SECTION_TITLE'],
    });
    expect(tables.find((t) => t.id === 't4')?.cells.find((c) => c.text === 'Gross Pay')).toMatchObject({
      columnSpan: 2,
      entityTypes: ['TABLE_SUMMARY'],
    });
  });

  test('a repeated key is two fields and two routed values, told apart by id', () => {
    const payDates = pages[0]!.fields.filter((f) => f.name === 'Pay date');
    expect(payDates.map((f) => [f.id, f.value.text])).toEqual([
      ['p1-f2', '7/25/2008'],
      ['p1-f12', '7/25/2008'],
    ]);
    expect(summary.fields.filter((f) => f.name === 'Pay date').map((f) => f.id)).toEqual(['p1-f2', 'p1-f12']);
  });
});

describe('queries_sample.json', () => {
  test('every answer, in Textract’s order, with the question and alias; the top one per alias is routed', () => {
    const { pages, summary } = normalized('queries_sample.json', ['PAYSTUB_PERIOD_END_DATE']);
    const answers = pages[0]!.queries;
    expect(answers).toHaveLength(8);
    expect(answers[0]).toMatchObject({
      id: 'p1-q1',
      alias: 'PAYSTUB_PERIOD_END_DATE',
      question: 'What is the Pay Period End Date?',
      text: '04/30/2019',
      confidence: 95,
      page: 1,
    });
    expect(summary.fields[0]).toEqual({
      id: 'p1-q1',
      name: 'PAYSTUB_PERIOD_END_DATE',
      value: '04/30/2019',
      confidence: 95,
      page: 1,
      source: 'QUERY',
    });
    // The unanswered query (the period start date) has no answer and routes nothing.
    expect(summary.fields.map((f) => f.name)).not.toContain('PAYSTUB_PERIOD_START_DATE');
    expect(summary.fieldCount).toBe(8);
  });
});
