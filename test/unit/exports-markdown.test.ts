// The Markdown report: escaping, merged cells, header rows, repeated names, corrections, selection
// elements, layout kinds, cross-page tables, and documents with nothing (or no pages) in them.
import type { OutputDocument } from '../../lib/document-model';
import { documentMarkdown } from '../../lib/exports/markdown';
import {
  box,
  cellsOn,
  field,
  header,
  layout,
  line,
  outputDocument,
  page,
  table,
} from '../fixtures/output-documents/build';
import { intakeFormDocument } from '../fixtures/output-documents/intake-form';
import { paystubDocument } from '../fixtures/output-documents/paystub';
import { statementDocument } from '../fixtures/output-documents/statement';

const at = box(0.1, 0.1, 0.2, 0.02);
const c = cellsOn(1);

function doc(spec: Partial<OutputDocument>): OutputDocument {
  return outputDocument({
    documentId: 'doc-1',
    source: { bucket: 'in', key: 'a.pdf' },
    pages: [],
    tables: [],
    ...spec,
  });
}

/** The Markdown table that follows `caption` in `md` (its lines up to the next blank line). */
function tableAfter(md: string, caption: string): string[] {
  const start = md.indexOf(caption);
  expect(start).toBeGreaterThanOrEqual(0);
  const from = md.indexOf('\n|', start) + 1;
  return md.slice(from, md.indexOf('\n\n', from)).split('\n');
}

describe('escaping', () => {
  const md = documentMarkdown(
    doc({
      pages: [
        page(1, {
          lines: [
            line('# not a heading', 99, at),
            line('- 40.60', 99, at),
            line('1. not a list', 99, at),
            line('*not emphasis* and <b>no html</b> and [no](link)', 99, at),
          ],
          fields: [field(1, 1, 'Total | net:', 'line one\nline two', 90)],
        }),
      ],
      tables: [
        table({
          id: 't1',
          rowCount: 1,
          columnCount: 2,
          headerRows: [],
          parts: [{ page: 1, box: box(0.5, 0.5, 0.4, 0.1), firstRow: 1, rowCount: 1 }],
          cells: [c(1, 1, 'a | b', 90, at), c(1, 2, 'first\nsecond', 90, at)],
        }),
      ],
    }),
  );

  it('keeps line starts from opening blocks and inline markup from rendering', () => {
    expect(md).toContain('\n\\# not a heading\n');
    expect(md).toContain('\n\\- 40.60\n');
    expect(md).toContain('\n1\\. not a list\n');
    expect(md).toContain('\\*not emphasis\\* and \\<b\\>no html\\</b\\> and \\[no\\](link)');
  });

  it('escapes pipes and turns newlines into <br> inside table cells', () => {
    expect(md).toContain('| Total \\| net | line one<br>line two | 90.0 |');
    expect(tableAfter(md, '**Table t1**')).toEqual([
      '|  |  |',
      '| --- | --- |',
      '| a \\| b | first<br>second |',
    ]);
  });
});

describe('tables', () => {
  it('marks positions a merged cell covers with ⟵ in its row and ↑ below, and explains them', () => {
    const md = documentMarkdown(intakeFormDocument);
    expect(tableAfter(md, '**Table t2**')[2]).toBe('| Previous Employment History | ⟵ | ⟵ | ⟵ | ⟵ |');
    expect(tableAfter(md, '**Table t1**')[2]).toBe(
      '| ↑ | Are you having shortness of breath? | Yes No | ↑ |',
    );
    expect(md).toContain('- ⟵ and ↑: the position is part of a merged cell');
  });

  it('marks a 2×2 merged cell: ⟵ beside its text, ↑ in the row below', () => {
    const md = documentMarkdown(
      doc({
        tables: [
          table({
            id: 't1',
            rowCount: 3,
            columnCount: 3,
            headerRows: [],
            parts: [{ page: 1, box: at, firstRow: 1, rowCount: 3 }],
            cells: [
              c(1, 1, 'big', 90, at, { rowSpan: 2, columnSpan: 2 }),
              c(1, 3, 'x', 90, at),
              c(2, 3, 'y', 90, at),
            ],
          }),
        ],
      }),
    );
    expect(tableAfter(md, '**Table t1**').slice(2)).toEqual([
      '| big | ⟵ | x |',
      '| ↑ | ↑ | y |',
      '|  |  |  |',
    ]);
  });

  it('makes a first header row the header line and shows later header rows in bold', () => {
    const md = documentMarkdown(paystubDocument);
    expect(tableAfter(md, '**Table t2**')[0]).toBe(
      '| Earnings | rate | hours | this period | year to date |',
    );
    const t2 = tableAfter(documentMarkdown(intakeFormDocument), '**Table t2**');
    expect(t2[0]).toBe('|  |  |  |  |  |');
    expect(t2[3]).toBe(
      '| **Start Date** | **End Date** | **Employer Name** | **Position Held** | **Reason for leaving** |',
    );
  });

  it('gives a table without header rows an empty header line, not invented names', () => {
    expect(tableAfter(documentMarkdown(statementDocument), '**Table t1**').slice(0, 3)).toEqual([
      '|  |  |  |',
      '| --- | --- | --- |',
      '| Date | Description Solo 1 | Withdrawals/Deposits |',
    ]);
  });

  it('puts the title above the table and the footer below', () => {
    const base = paystubDocument.tables[3]!;
    const md = documentMarkdown(doc({ tables: [{ ...base, title: { text: 'Deductions *', page: 1 } }] }));
    const title = md.indexOf('_Title:_ Deductions \\*');
    const grid = md.indexOf('| Deductions | Statutory Federal Income Tax');
    const footer = md.indexOf('_Footer:_ \\*Excluded from federal taxable wages');
    expect(title).toBeGreaterThan(0);
    expect(grid).toBeGreaterThan(title);
    expect(footer).toBeGreaterThan(grid);
  });

  it('says where a cross-page table continues, and points to it from every page it is on', () => {
    const md = documentMarkdown(statementDocument);
    expect(md).toContain('**Table t2** · pages 1–3 · 12 rows × 3 columns');
    expect(md).toContain(
      'Continues across pages 1–3: rows 1–7 on page 1, rows 8–10 on page 2, rows 11–12 on page 3.',
    );
    expect(md).toContain('**Page 2**\n\n_(table t2 continued: see Tables below)_');
    // The table's lines are not repeated as page text.
    expect(md.match(/Food Purchase - Starbucks - 6528599341/g)).toHaveLength(1);
  });

  it('shows a selection element in a cell as ☑ or ☐ before its words', () => {
    const md = documentMarkdown(
      doc({
        tables: [
          table({
            id: 't1',
            rowCount: 1,
            columnCount: 2,
            headerRows: [],
            parts: [{ page: 1, box: at, firstRow: 1, rowCount: 1 }],
            cells: [c(1, 1, 'Yes', 90, at, { selected: true }), c(1, 2, '', 90, at, { selected: false })],
          }),
        ],
      }),
    );
    expect(md).toContain('| ☑ Yes | ☐ |');
    expect(md).toContain('- ☑ selected, ☐ not selected');
  });
});

describe('form fields', () => {
  const md = documentMarkdown(intakeFormDocument);

  it('lists a repeated name each time with the field id, and a unique name without', () => {
    expect(md).toContain('| First Name (`p1-f4`) | ALEJANDRO | 98.5 |');
    expect(md).toContain('| First Name (`p1-f5`) | CARLOS | 98.5 |');
    expect(md).toContain('| First Name (`p1-f9`) | JANE | 97.0 |');
    expect(md).toContain('| Full Name | Jane Doe | 81.5 |');
  });

  it('marks a corrected value with the reviewer and what Textract had read', () => {
    expect(md).toContain('| Zip Code | 12346 ✎ corrected by sam (extracted: 12345) | 81.5 |');
    expect(md).toContain('- ✎ a reviewer replaced the value Textract found.');
  });

  it('shows checkboxes as ☑ or ☐ and an empty value as empty', () => {
    expect(md).toContain('| Yes | ☑ | 94.5 |');
    expect(md).toContain('| No | ☐ | 88.5 |');
    expect(md).toContain('| Email Address | _(empty)_ | 94.5 |');
  });

  it('lists values reviewers supplied for fields Textract did not find', () => {
    expect(tableAfter(documentMarkdown(paystubDocument), '**Values set by reviewers**')[2]).toBe(
      '| Employer | ANY COMPANY CORP. | _(not found)_ | rita, 2026-03-02T14:29:51.000Z |',
    );
  });
});

describe('page content', () => {
  it('renders layout in reading order: headings, list items, notes, figures and table placeholders', () => {
    const md = documentMarkdown(
      doc({
        pages: [
          page(1, {
            lines: [line('ignored when there is layout', 99, at)],
            layout: [
              layout(1, 'PAGE_NUMBER', '1', 90, at),
              layout(1, 'TITLE', 'Invoice #', 90, at),
              layout(1, 'SECTION_HEADER', 'Items', 90, at),
              layout(1, 'LIST', 'first\n- second', 90, at),
              layout(1, 'FIGURE', '', 90, at),
              layout(1, 'TABLE', 'a b', 90, box(0, 0, 1, 1)),
              layout(1, 'FOOTER', 'Page\nfooter', 90, at),
            ],
          }),
        ],
        tables: [
          table({
            id: 't1',
            rowCount: 1,
            columnCount: 1,
            headerRows: [],
            parts: [{ page: 1, box: at, firstRow: 1, rowCount: 1 }],
            cells: [c(1, 1, 'a b', 90, at)],
          }),
        ],
      }),
    );
    const page1 = md.slice(md.indexOf('**Page 1**'), md.indexOf('**Tables**'));
    expect(page1).toBe(
      [
        '**Page 1**',
        '_Page number:_ 1',
        '# Invoice \\#',
        '## Items',
        '- first\n- \\- second',
        '_(figure)_',
        '_(table t1: see Tables below)_',
        '_Page footer:_ Page footer',
        '---',
        '',
      ].join('\n\n'),
    );
  });

  it('lists query answers, with the answer id where an alias repeats, and signatures', () => {
    const q = (n: number, text: string) => ({
      id: `p1-q${n}`,
      alias: 'total',
      question: 'What is the total?',
      text,
      confidence: 88,
      page: 1,
    });
    const md = documentMarkdown(
      doc({
        pages: [
          page(1, {
            queries: [q(1, '$12.00'), q(2, '')],
            signatures: [{ page: 1, confidence: 71.25, box: at }],
          }),
        ],
      }),
    );
    expect(tableAfter(md, '**Query answers**')).toEqual([
      '| Query | Question | Answer | Confidence |',
      '| --- | --- | --- | --- |',
      '| total (`p1-q1`) | What is the total? | $12.00 | 88.0 |',
      '| total (`p1-q2`) | What is the total? | _(empty)_ | 88.0 |',
    ]);
    expect(md).toContain('**Signatures**\n\n- signature, confidence 71.3');
  });

  it('says a page is empty and leaves out the legend when nothing needs explaining', () => {
    const md = documentMarkdown(doc({ pages: [page(1, {})] }));
    expect(md).toContain('**Page 1**\n\n_(nothing found on this page)_\n');
    expect(md).not.toContain('**Legend**');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('renders a DUPLICATE without pages as its header and a note', () => {
    const md = documentMarkdown(
      doc({
        status: 'DUPLICATE',
        duplicateOf: { documentId: 'original-1', output: { bucket: 'out', key: 'o/original-1.json' } },
      }),
    );
    expect(md).toBe(
      [
        'Document `doc-1` · **DUPLICATE** · profile `forms`',
        '- Source: s3://in/a.pdf\n- Pages: 0\n' +
          '- Duplicate of `original-1`: the same bytes, whose output holds the extraction\n' +
          '- Completed: 2026-03-02T14:31:07.000Z',
        '_No pages: this output records a duplicate; the original document’s output holds the extraction._',
      ].join('\n\n') + '\n',
    );
  });

  it('names the Textract job, its warnings and the review in the header', () => {
    const md = documentMarkdown(
      doc({
        textract: {
          jobId: 'job-9',
          api: 'ANALYSIS',
          status: 'PARTIAL_SUCCESS',
          pages: 4,
          warnings: [{ errorCode: 'UNSUPPORTED_DOCUMENT_ENCODING', pages: [2, 3] }],
        },
      }),
    );
    expect(md).toContain('- Pages: 4\n- Textract job: `job-9` (ANALYSIS, PARTIAL_SUCCESS)');
    expect(md).toContain('- Textract warning: UNSUPPORTED\\_DOCUMENT\\_ENCODING on pages 2, 3');
    expect(documentMarkdown(paystubDocument)).toContain(
      '- Review actions: correct This amount by rita at 2026-03-02T14:29:51.000Z;',
    );
  });
});

it('escapes header cells, bold ones too', () => {
  const md = documentMarkdown(
    doc({
      tables: [
        table({
          id: 't1',
          rowCount: 2,
          columnCount: 1,
          headerRows: [1, 2],
          parts: [{ page: 1, box: at, firstRow: 1, rowCount: 2 }],
          cells: [c(1, 1, 'A|B', 90, at, header), c(2, 1, 'C*', 90, at, header)],
        }),
      ],
    }),
  );
  expect(tableAfter(md, '**Table t1**')).toEqual(['| A\\|B |', '| --- |', '| **C\\*** |']);
});
