// `docket output` without a server: option errors (exit 2 before anything connects), the plan of what
// is printed or written for a document, the summary, and files written mode 600.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../clients/cli';
import { carryOut, outputSummary, planOutput, UsageError, writePrivateFile } from '../../clients/cli-output';
import type { LegacyOutputDocument } from '../../clients/documents';
import { UnsupportedOutputError } from '../../lib/exports/formats';
import { intakeFormDocument } from '../fixtures/output-documents/intake-form';
import { paystubDocument } from '../fixtures/output-documents/paystub';
import { statementDocument } from '../fixtures/output-documents/statement';

const legacy: LegacyOutputDocument = {
  version: 1,
  documentId: 'old-1',
  status: 'SUCCEEDED',
  fields: { total: { value: '12.00', confidence: 97 } },
};

describe('option errors are usage errors (exit 2) naming what to change, before connecting', () => {
  let stderr: string;
  beforeEach(() => {
    stderr = '';
    const collect = (chunk: unknown) => {
      stderr += String(chunk);
      return true;
    };
    jest.spyOn(process.stderr, 'write').mockImplementation(collect);
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => collect(`${args.join(' ')}\n`));
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [['--format', 'pdf'], "argument 'pdf' is invalid. Allowed choices are json, markdown, csv, text."],
    [['--format', 'csv', '--table', '0'], 'Give a table number from 1'],
    [['--format', 'csv', '--table', 'two'], 'Give a table number from 1'],
    [['--table', '2'], '--table picks the table for --format csv'],
    [['--format', 'markdown', '--table', '2'], '--table picks the table for --format csv'],
    [
      ['--format', 'csv'],
      '--format csv prints one table: give --table N (1-based, tables in document order), or -o DIR',
    ],
  ])('output doc-1 %j', async (args, message) => {
    // No DOCKET_* configuration: reaching the client would fail differently (ConfigError).
    expect(await main(['output', 'doc-1', ...args])).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('planOutput', () => {
  it('prints a summary by default, and writes the JSON document with -o alone', () => {
    expect(planOutput(paystubDocument, {})).toEqual({
      kind: 'summary',
      text: outputSummary(paystubDocument),
      document: paystubDocument,
    });
    const file = planOutput(paystubDocument, { out: 'out.json' });
    expect(file).toMatchObject({ kind: 'file', file: 'out.json' });
    expect(JSON.parse((file as { content: string }).content)).toEqual(paystubDocument);
  });

  it('prints an export exactly as rendered', () => {
    const plan = planOutput(statementDocument, { format: 'csv', table: 2 });
    expect(plan).toEqual({
      kind: 'print',
      text: expect.stringMatching(/^Date,Description Long 2,/) as string,
    });
    expect(planOutput(statementDocument, { format: 'text' })).toMatchObject({ kind: 'print' });
  });

  it('refuses a table the document does not have, saying how many it has', () => {
    expect(() => planOutput(statementDocument, { format: 'csv', table: 3 })).toThrow(
      new UsageError('there is no table 3: document gib-statement.pdf-2d47d7db2539 has 2 tables (1-2)'),
    );
    const none = { ...statementDocument, tables: [] };
    expect(() => planOutput(none, { format: 'csv', table: 1 })).toThrow(/has no tables/);
  });

  it('writes every table into a directory for csv with -o and no --table', () => {
    expect(planOutput(intakeFormDocument, { format: 'csv', out: 'tables' })).toEqual({
      kind: 'directory',
      directory: 'tables',
      files: [
        ['table-1.csv', expect.any(String)],
        ['table-2.csv', expect.any(String)],
      ],
    });
  });

  it('reads an output written before schema 2 as JSON only', () => {
    expect(planOutput(legacy, { format: 'json' })).toEqual({
      kind: 'print',
      text: `${JSON.stringify(legacy, null, 2)}\n`,
    });
    expect(outputSummary(legacy)).toBe(
      'old-1  SUCCEEDED  (an output written before schema 2: --format json prints it)',
    );
    expect(() => planOutput(legacy, { format: 'markdown' })).toThrow(UnsupportedOutputError);
    expect(() => planOutput(legacy, { format: 'csv', out: 'dir' })).toThrow(
      'this output has schema version 1; the csv export reads schema 2 only',
    );
  });
});

describe('outputSummary', () => {
  it('lists fields by page, with ids where names repeat, corrections, checkboxes, tables and signatures', () => {
    const summary = outputSummary(intakeFormDocument).split('\n');
    expect(summary[0]).toBe('intake-form.pdf-5a0f3c2d9e71  SUCCEEDED  (profile forms)');
    expect(summary).toContain('  page 1       3 lines, 7 fields');
    expect(summary).toContain('    First Name [p1-f5]                98.5  CARLOS');
    expect(summary).toContain('    Email Address                     94.5  (empty)');
    expect(summary).toContain('    Job fair                          95.5  ☑');
    expect(summary).toContain('    Zip Code                          81.5  12346 ✎ corrected by sam');
    expect(summary).toContain('  tables       2 (--format csv --table N)');
    expect(summary).toContain('     2  t2   page 2      5 × 5, merged cells');
    expect(outputSummary(paystubDocument)).toContain(
      '  page 1       6 lines, 13 fields, 1 signature (confidence 82.3)',
    );
    expect(outputSummary(statementDocument)).toContain('     2  t2   pages 1–3   12 × 3');
  });

  it('keeps long pages short, pointing to the full export', () => {
    const summary = outputSummary(paystubDocument);
    expect(summary).toContain('    … 1 more field (--format markdown lists them all)');
    expect(summary.split('\n').every((l) => l.length <= 130)).toBe(true);
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-output-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  it('writes mode 600, also over an existing file that others could read', () => {
    const file = path.join(dir, 'out.md');
    fs.writeFileSync(file, 'old and longer content', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect(mode(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
  });

  it('writes every table into a new directory, each file mode 600', () => {
    const target = path.join(dir, 'tables');
    const plan = planOutput(statementDocument, { format: 'csv', out: target });
    if (plan.kind !== 'directory') throw new Error(`planned ${plan.kind}`);
    const [human, json] = carryOut(plan);
    expect(human).toBe(`2 table(s) written to ${target}: table-1.csv, table-2.csv`);
    expect(json).toEqual({ files: [path.join(target, 'table-1.csv'), path.join(target, 'table-2.csv')] });
    expect(fs.readdirSync(target).sort()).toEqual(['table-1.csv', 'table-2.csv']);
    expect(mode(path.join(target, 'table-2.csv'))).toBe(0o600);
    expect(mode(target)).toBe(0o700);
  });

  it('refuses a file where the tables directory should be', () => {
    const file = path.join(dir, 'taken');
    fs.writeFileSync(file, '');
    expect(() => carryOut({ kind: 'directory', directory: file, files: [['table-1.csv', 'a\r\n']] })).toThrow(
      `-o ${file} is a file; --format csv without --table writes into a directory`,
    );
  });
});
