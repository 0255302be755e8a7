// Golden files of the Markdown and CSV exports: test/fixtures/exports/<document>/document.md and
// table-<n>.csv, compared byte for byte with what the renderers produce from real Textract responses
// of the corpus run through the real normaliser (paystub: layout, merged cells, a signature, repeated
// keys; statement: a table Textract cut over three pages).
//
// After an intended change to a renderer or a fixture, regenerate them and read the diff:
//
//   DOCKET_UPDATE_GOLDEN=1 npx jest test/unit/exports-golden.test.ts --selectProjects unit
//
// The folder is in .prettierignore: the files must stay exactly as rendered (CRLF in the CSVs).
import fs from 'node:fs';
import path from 'node:path';
import type { OutputDocument } from '../../lib/document-model';
import { tablesCsv } from '../../lib/exports/csv';
import { documentMarkdown } from '../../lib/exports/markdown';
import { corpusOutputDocument } from '../support/textract-corpus';

const goldenRoot = path.join(__dirname, '..', 'fixtures', 'exports');
const update = process.env.DOCKET_UPDATE_GOLDEN === '1';

const documents: [name: string, doc: OutputDocument][] = [
  ['paystub', corpusOutputDocument('paystub.jpg.analysis.json')],
  ['statement', corpusOutputDocument('gib_multi_page_table_merge.json')],
];

function rendered(doc: OutputDocument): Map<string, string> {
  return new Map([['document.md', documentMarkdown(doc)], ...tablesCsv(doc)]);
}

describe.each(documents)('the exports of %s', (name, doc) => {
  const dir = path.join(goldenRoot, name);
  const files = rendered(doc);

  if (update) {
    beforeAll(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (const [file, content] of files) fs.writeFileSync(path.join(dir, file), content);
    });
  }

  test('are exactly the golden files, and there is no golden file they do not produce', () => {
    expect(fs.readdirSync(dir).sort()).toEqual([...files.keys()].sort());
  });

  test.each([...files.keys()])('%s matches byte for byte', (file) => {
    const golden = fs.readFileSync(path.join(dir, file), 'utf8');
    // toBe on strings prints a line diff on failure; the byte check catches line-end changes too.
    expect(files.get(file)).toBe(golden);
    expect(Buffer.from(files.get(file) ?? '', 'utf8').equals(fs.readFileSync(path.join(dir, file)))).toBe(
      true,
    );
  });
});
