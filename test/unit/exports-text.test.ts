// The plain-text and JSON exports.
import type { OutputDocument } from '../../lib/document-model';
import { documentJson } from '../../lib/exports/json';
import { documentText, pageSeparator } from '../../lib/exports/text';
import { box, layout, line, outputDocument, page } from '../fixtures/output-documents/build';
import { paystubDocument } from '../fixtures/output-documents/paystub';
import { statementDocument } from '../fixtures/output-documents/statement';

const at = box(0.1, 0.1, 0.2, 0.02);

function doc(pages: OutputDocument['pages']): OutputDocument {
  return outputDocument({ documentId: 'doc-1', source: { bucket: 'in', key: 'a.pdf' }, pages, tables: [] });
}

describe('documentText', () => {
  it('starts every page with its separator line and gives lines one per line', () => {
    const text = documentText(statementDocument);
    expect(text.startsWith('--- page 1 ---\nFull Name: John Doe\nPhone Number: 9345-4298-33454\n')).toBe(
      true,
    );
    expect(text).toContain('\n-249\n\n--- page 2 ---\n2/13/2020\n');
    expect(text).toContain('\n-156\n\n--- page 3 ---\n7/23/2020\n');
    expect(text.endsWith('-5\n')).toBe(true);
    expect(pageSeparator(12)).toBe('--- page 12 ---');
  });

  it('reads layout when the page has it: one paragraph per element, tables included', () => {
    const text = documentText(paystubDocument);
    expect(text).toContain(
      '--- page 1 ---\nCO. FILE DEPT. CLOCK NUMBER\nABC 126543 123456 12345 00000000\n1\n\n',
    );
    expect(text).toContain('\n\nEarnings Statement\n\n');
    expect(text).toContain('\nNet Pay\n$291.90\n*Excluded from federal taxable wages\n\n');
    // Layout wins over lines: the page's first line is not repeated on its own.
    expect(text.match(/CO\. FILE DEPT\. CLOCK NUMBER/g)).toHaveLength(1);
  });

  it('keeps text exactly as read (no escaping) and skips empty elements', () => {
    const text = documentText(
      doc([
        page(1, { layout: [layout(1, 'FIGURE', '', 30, at), layout(1, 'TEXT', '# *raw* | text', 90, at)] }),
      ]),
    );
    expect(text).toBe('--- page 1 ---\n# *raw* | text\n');
  });

  it('gives an empty page its separator only, and a document without pages nothing', () => {
    expect(documentText(doc([page(1, {}), page(2, { lines: [line('x', 90, at)] })]))).toBe(
      '--- page 1 ---\n\n--- page 2 ---\nx\n',
    );
    expect(documentText(doc([]))).toBe('');
  });
});

describe('documentJson', () => {
  it('is the document as is, pretty-printed, with a final newline', () => {
    const json = documentJson(paystubDocument);
    expect(JSON.parse(json)).toEqual(paystubDocument);
    expect(json.startsWith('{\n  "schemaVersion": 2,\n')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });
});
