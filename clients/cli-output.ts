/*
 * `docket output <id> [--format json|markdown|csv|text] [--table N] [-o FILE|DIR]`: a document's
 * decrypted output as a short summary (the default on a terminal), or exported in a format, printed
 * or written to files only the user can read (mode 600: the content is the document's).
 *
 * The options are checked before connecting, and the plan (what to print or write) is a pure function
 * of the document and the options, so both are tested without a server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { tablesCsv } from '../lib/exports/csv';
import {
  type ExportFormat,
  ExportRequestError,
  exportFormats,
  isSchema2Output,
  renderExport,
  schema2Output,
} from '../lib/exports/formats';
import { hasMergedCells, tablePages } from '../lib/exports/table-grid';
import type { DocketClient, StoredOutput } from './documents';
import { outputVersionsOf } from './reprocess';

/** The command line is wrong (exit 2); the message says what to change. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The `output` command's options as commander parses them. */
export interface OutputOptions {
  /** List the document's output versions instead of reading one. */
  versions?: boolean;
  format?: ExportFormat;
  table?: number;
  out?: string;
}

/** What the command does with the document: print, write one file, or write a file per table. */
export type OutputPlan =
  | { kind: 'print'; text: string }
  | { kind: 'summary'; text: string; document: StoredOutput }
  | { kind: 'file'; file: string; content: string }
  | { kind: 'directory'; directory: string; files: [name: string, content: string][] };

/** commander's parser of `--table`: a whole number from 1. */
export function parseTableNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('Give a table number from 1 (tables in document order).');
  }
  return n;
}

/** Refuses option combinations that cannot work, before anything is fetched. */
export function checkOutputOptions(opts: OutputOptions): void {
  if (opts.table !== undefined && opts.format !== 'csv') {
    throw new UsageError('--table picks the table for --format csv; add --format csv');
  }
  if (opts.format === 'csv' && opts.table === undefined && opts.out === undefined) {
    throw new UsageError(
      '--format csv prints one table: give --table N (1-based, tables in document order), ' +
        'or -o DIR to write every table into a directory',
    );
  }
}

/**
 * What to print or write for `doc`. No format: a summary on the terminal, the JSON document with -o
 * (as `output -o FILE` always wrote). csv without --table (only with -o): a file per table.
 */
export function planOutput(doc: StoredOutput, opts: OutputOptions): OutputPlan {
  checkOutputOptions(opts);
  const format = opts.format ?? (opts.out === undefined ? undefined : 'json');
  if (format === undefined) return { kind: 'summary', text: outputSummary(doc), document: doc };
  if (format === 'csv' && opts.table === undefined) {
    return { kind: 'directory', directory: opts.out ?? '.', files: tablesCsv(schema2Output(doc, 'csv')) };
  }
  let content: string;
  try {
    content = renderExport(doc, { format, table: opts.table });
  } catch (err) {
    // A table number the document does not have is the command line's mistake (exit 2).
    if (err instanceof ExportRequestError) throw new UsageError(err.message);
    throw err;
  }
  return opts.out === undefined
    ? { kind: 'print', text: content }
    : { kind: 'file', file: opts.out, content };
}

/**
 * A file only its owner can read or write, also when it existed with wider permissions (open's mode
 * applies to new files only): the mode is set before any content is written.
 */
export function writePrivateFile(file: string, content: string): void {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes what `plan` says; returns the message for the terminal and for --json. */
export function carryOut(
  plan: Extract<OutputPlan, { kind: 'file' | 'directory' }>,
): [human: string, json: unknown] {
  if (plan.kind === 'file') {
    writePrivateFile(plan.file, plan.content);
    return [`decrypted output written to ${plan.file}`, { file: plan.file }];
  }
  const { directory, files } = plan;
  if (fs.existsSync(directory) && !fs.statSync(directory).isDirectory()) {
    throw new UsageError(`-o ${directory} is a file; --format csv without --table writes into a directory`);
  }
  if (files.length === 0) return ['the document has no tables; nothing written', { directory, files: [] }];
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  const written = files.map(([name, content]) => {
    const file = path.join(directory, name);
    writePrivateFile(file, content);
    return file;
  });
  return [
    `${files.length} table(s) written to ${directory}: ${files.map(([n]) => n).join(', ')}`,
    { files: written },
  ];
}

/** Most fields a page lists in the summary; the Markdown export has them all. */
const summaryFieldsPerPage = 12;

/** A short, readable account of an output: fields by page, tables by size, signatures. */
export function outputSummary(doc: StoredOutput): string {
  if (!isSchema2Output(doc)) {
    return `${doc.documentId}  ${doc.status}  (an output written before schema 2: --format json prints it)`;
  }
  const lines = [`${doc.documentId}  ${doc.status}  (profile ${doc.profile})`];
  lines.push(`  source       s3://${doc.source.bucket}/${doc.source.key}`);
  if (doc.textract) {
    const { jobId, api, status, pages } = doc.textract;
    lines.push(`  textract     job ${jobId} (${api}, ${status}), ${plural(pages, 'page')}`);
  }
  if (doc.duplicateOf) lines.push(`  duplicate of ${doc.duplicateOf.documentId}`);
  const { items, audit } = doc.review;
  if (items.length + audit.length > 0) {
    lines.push(`  review       ${plural(items.length, 'field')} flagged, ${plural(audit.length, 'action')}`);
  }
  const names = new Map<string, number>();
  for (const f of doc.pages.flatMap((p) => p.fields)) names.set(f.name, (names.get(f.name) ?? 0) + 1);
  for (const page of doc.pages) {
    const sigs = page.signatures.map((s) => s.confidence.toFixed(1));
    const counts = [
      plural(page.lines.length, 'line'),
      plural(page.fields.length, 'field'),
      ...(page.queries.length > 0 ? [plural(page.queries.length, 'query answer')] : []),
      ...(sigs.length > 0 ? [`${plural(sigs.length, 'signature')} (confidence ${sigs.join(', ')})`] : []),
    ];
    lines.push(`  page ${page.page}`.padEnd(15) + counts.join(', '));
    for (const f of page.fields.slice(0, summaryFieldsPerPage)) {
      // The id of a repeated name is never cut off: it is what tells the fields apart.
      const id = (names.get(f.name) ?? 0) > 1 ? ` [${f.id}]` : '';
      const name = short(f.name || '(no key)', 32 - id.length) + id;
      const box = f.selected === undefined ? '' : f.selected ? '☑ ' : '☐ ';
      const text = f.value.text || f.selected !== undefined ? short(f.value.text) : '(empty)';
      const value = box + text + (f.correction ? ` ✎ corrected by ${f.correction.reviewer}` : '');
      lines.push(`    ${name.padEnd(32)} ${f.value.confidence.toFixed(1).padStart(5)}  ${value}`);
    }
    const more = page.fields.length - summaryFieldsPerPage;
    if (more > 0) lines.push(`    … ${plural(more, 'more field')} (--format markdown lists them all)`);
  }
  if (doc.tables.length > 0) lines.push(`  tables       ${doc.tables.length} (--format csv --table N)`);
  doc.tables.forEach((t, i) => {
    const merged = hasMergedCells(t) ? ', merged cells' : '';
    const where = `${t.parts.length > 1 ? 'pages' : 'page'} ${tablePages(t)}`;
    lines.push(
      `    ${String(i + 1).padStart(2)}  ${t.id.padEnd(4)} ${where.padEnd(11)} ${t.rowCount} × ${t.columnCount}${merged}`,
    );
  });
  return lines.map((l) => l.trimEnd()).join('\n');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** One line of at most `max` characters: terminals wrap long values into an unreadable summary. */
function short(text: string, max = 40): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Adds the `output` command to the program. */
export function addOutputCommand(
  program: Command,
  print: (human: string, json: unknown) => void,
  withClient: <T>(body: (client: DocketClient) => Promise<T>) => Promise<T>,
): void {
  program
    .command('output')
    .description("decrypt a document's output: a summary, or exported as json, markdown, csv or text")
    .argument('<documentId>')
    .usage('<documentId> [--format json|markdown|csv|text] [--table N] [-o FILE|DIR] | --versions')
    .option('--versions', 'list the output versions (reprocess writes 2, 3, …) instead of reading one')
    .addOption(
      new Option('--format <format>', 'export format (default: a summary; json with -o)').choices(
        exportFormats,
      ),
    )
    .option(
      '--table <n>',
      'with --format csv: the table to export (1-based, document order)',
      parseTableNumber,
    )
    .option(
      '-o, --out <path>',
      'write to this file (mode 600); with --format csv and no --table, a directory',
    )
    .action(async (documentId: string, opts: OutputOptions) => {
      if (opts.versions) {
        const versions = await withClient((c) => outputVersionsOf(c, documentId));
        const lines = versions.map(
          (v) =>
            `v${v.version}  ${v.lastModified?.toISOString() ?? ''}  s3://${v.location.bucket}/${v.location.key}`,
        );
        return print(lines.join('\n'), versions);
      }
      checkOutputOptions(opts);
      const doc = await withClient((c) => c.output(documentId));
      const plan = planOutput(doc, opts);
      if (plan.kind === 'summary') return print(plan.text, plan.document);
      if (plan.kind === 'print') {
        // The exact bytes of the export (no extra newline), flushed before the process exits.
        await new Promise<void>((resolve, reject) =>
          process.stdout.write(plan.text, (err) => (err ? reject(err) : resolve())),
        );
        return;
      }
      const [human, json] = carryOut(plan);
      print(human, json);
    });
}
