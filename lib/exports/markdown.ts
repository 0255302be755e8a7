/*
 * The output document as a Markdown report a person reads: what the document says, page by page in
 * reading order, with the form fields, query answers and signatures of each page, then the tables.
 *
 * Choices:
 * - The document's own headings are the report's headings (layout TITLE `#`, SECTION_HEADER `##`),
 *   so a rendered report's outline is the document's. The report's structure (pages, field lists,
 *   tables) uses bold labels and thematic breaks, which never compete with them.
 * - Page headers, footers and page numbers (layout HEADER, FOOTER, PAGE_NUMBER) are kept as short
 *   italic-labelled notes where they are: they are often noise, but on forms they can hold data
 *   (a paystub's company and file number), and a report should not silently drop text.
 * - Tables are document-level (one may span pages), so they are rendered once, after the pages; in
 *   the page's text a placeholder names them where they are. Without layout, the lines that fall
 *   inside a table's area on that page are replaced by that placeholder, so its text is not repeated.
 * - Document text is escaped (markdown-text.ts): nothing Textract read becomes markup.
 */
import type {
  BoundingBox,
  OutputCorrection,
  OutputDocument,
  OutputField,
  OutputLayoutElement,
  OutputPage,
  OutputQueryAnswer,
  OutputTable,
} from '../document-model';
import { cellMarkdown, codeSpan, inlineText, markdownTable, paragraphText } from './markdown-text';
import { coveredFromAbove, coveredFromLeft, type TableMarks, tableMarkdown } from './markdown-tables';

/** Field names and query aliases that occur more than once in the document: their rows show ids. */
interface Repeated {
  fields: Set<string>;
  queries: Set<string>;
}

/** What the report used, so the legend explains exactly that. */
interface Marks extends TableMarks {
  corrected: boolean;
  fieldIds: boolean;
  confidence: boolean;
}

/** The document as a Markdown report (GFM tables), ending with a newline. */
export function documentMarkdown(doc: OutputDocument): string {
  const marks: Marks = {
    merged: false,
    selection: false,
    boldHeaderRows: false,
    corrected: false,
    fieldIds: false,
    confidence: false,
  };
  const blocks = headerBlocks(doc);
  const repeated: Repeated = {
    fields: repeatedOf(doc.pages.flatMap((p) => p.fields.map((f) => f.name))),
    queries: repeatedOf(doc.pages.flatMap((p) => p.queries.map((q) => q.alias))),
  };
  if (doc.pages.length === 0) {
    blocks.push(
      doc.status === 'DUPLICATE'
        ? '_No pages: this output records a duplicate; the original document’s output holds the extraction._'
        : '_No pages._',
    );
  }
  for (const page of doc.pages) blocks.push('---', ...pageBlocks(page, doc.tables, repeated, marks));
  const unplaced = unplacedCorrections(doc);
  if (unplaced.length > 0) blocks.push('---', ...correctionBlocks(unplaced));
  if (doc.tables.length > 0) {
    blocks.push('---', '**Tables**');
    for (const table of doc.tables) blocks.push(...tableMarkdown(table, marks));
    marks.confidence = true;
  }
  const legend = legendLines(marks);
  if (legend.length > 0) blocks.push('---', '**Legend**', legend.join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

function headerBlocks(doc: OutputDocument): string[] {
  const facts = [
    `- Source: ${inlineText(`s3://${doc.source.bucket}/${doc.source.key}`)}${
      doc.source.versionId ? ` (version ${codeSpan(doc.source.versionId)})` : ''
    }`,
    `- Pages: ${doc.textract?.pages ?? doc.pages.length}`,
  ];
  if (doc.textract) {
    const { jobId, api, status, warnings } = doc.textract;
    facts.push(`- Textract job: ${codeSpan(jobId)} (${api}, ${status})`);
    for (const w of warnings) {
      facts.push(`- Textract warning: ${inlineText(w.errorCode)} on pages ${w.pages.join(', ') || '(none)'}`);
    }
  }
  if (doc.duplicateOf) {
    facts.push(
      `- Duplicate of ${codeSpan(doc.duplicateOf.documentId)}: the same bytes, whose output holds the extraction`,
    );
  }
  facts.push(`- Completed: ${inlineText(doc.completedAt)}`);
  const { items, audit } = doc.review;
  if (items.length > 0) {
    const flagged = items.map(
      (i) =>
        `${inlineText(i.field)} (${i.reason}${i.confidence === undefined ? '' : ` ${i.confidence.toFixed(1)}`}, threshold ${i.threshold})`,
    );
    facts.push(`- Flagged for review: ${flagged.join('; ')}`);
  }
  if (audit.length > 0) {
    const actions = audit.map(
      (a) =>
        `${a.action}${a.action === 'correct' ? ` ${inlineText(a.field)}` : ''} by ${inlineText(a.reviewer)} at ${inlineText(a.at)}`,
    );
    facts.push(`- Review actions: ${actions.join('; ')}`);
  }
  return [
    `Document ${codeSpan(doc.documentId)} · **${doc.status}** · profile ${codeSpan(doc.profile)}`,
    facts.join('\n'),
  ];
}

function pageBlocks(page: OutputPage, tables: OutputTable[], repeated: Repeated, marks: Marks): string[] {
  const blocks = [`**Page ${page.page}**`];
  const text = page.layout.length > 0 ? layoutBlocks(page, tables) : lineBlocks(page, tables);
  const empty = page.fields.length + page.queries.length + page.signatures.length === 0;
  if (text.length === 0 && empty) blocks.push('_(nothing found on this page)_');
  blocks.push(...text);
  if (page.fields.length > 0) {
    marks.confidence = true;
    const rows = page.fields.map((f) => fieldRow(f, repeated.fields.has(f.name), marks));
    blocks.push('**Form fields**', markdownTable(['Field', 'Value', 'Confidence'], rows, 3));
  }
  if (page.queries.length > 0) {
    marks.confidence = true;
    const rows = page.queries.map((q) => queryRow(q, repeated.queries.has(q.alias), marks));
    blocks.push('**Query answers**', markdownTable(['Query', 'Question', 'Answer', 'Confidence'], rows, 4));
  }
  if (page.signatures.length > 0) {
    marks.confidence = true;
    blocks.push(
      '**Signatures**',
      page.signatures.map((s) => `- signature, confidence ${s.confidence.toFixed(1)}`).join('\n'),
    );
  }
  return blocks;
}

function layoutBlocks(page: OutputPage, tables: OutputTable[]): string[] {
  return page.layout.flatMap((element) => layoutElement(element, tables)).filter((b) => b.length > 0);
}

function layoutElement(element: OutputLayoutElement, tables: OutputTable[]): string[] {
  const { kind, text } = element;
  switch (kind) {
    case 'TITLE':
      return text.trim() ? [`# ${headingText(text)}`] : [];
    case 'SECTION_HEADER':
      return text.trim() ? [`## ${headingText(text)}`] : [];
    case 'HEADER':
      return [`_Page header:_ ${inlineText(text)}`];
    case 'FOOTER':
      return [`_Page footer:_ ${inlineText(text)}`];
    case 'PAGE_NUMBER':
      return [`_Page number:_ ${inlineText(text)}`];
    case 'LIST':
      return [
        text
          .split(/\r?\n/)
          .map(paragraphText)
          .filter((item) => item.length > 0)
          .map((item) => `- ${item}`)
          .join('\n'),
      ];
    case 'FIGURE':
      return [`_(figure)_${text.trim() ? ` ${inlineText(text)}` : ''}`];
    case 'TABLE': {
      const found = tables.filter((t) => overlapsPart(t, element.page, element.box));
      const continued = found.length > 0 && found.every((t) => continues(t, element.page));
      return [
        tablePlaceholder(
          found.map((t) => t.id),
          continued,
        ),
      ];
    }
    case 'KEY_VALUE':
    case 'TEXT':
      return [paragraphText(text)];
  }
}

/** One paragraph per line; a table's lines become one placeholder where its first line was. */
function lineBlocks(page: OutputPage, tables: OutputTable[]): string[] {
  const blocks: string[] = [];
  const placed = new Set<string>();
  for (const line of page.lines) {
    const table = tables.find((t) => t.parts.some((p) => p.page === page.page && contains(p.box, line.box)));
    if (!table) {
      blocks.push(paragraphText(line.text));
    } else if (!placed.has(table.id)) {
      placed.add(table.id);
      blocks.push(tablePlaceholder([table.id], continues(table, page.page)));
    }
  }
  return blocks.filter((b) => b.length > 0);
}

function tablePlaceholder(ids: string[], continued = false): string {
  if (ids.length === 0) return '_(a table: see Tables below)_';
  const what = `${ids.length === 1 ? 'table' : 'tables'} ${ids.join(', ')}${continued ? ' continued' : ''}`;
  return `_(${what}: see Tables below)_`;
}

/** Whether `table` started on an earlier page than `page` (this page holds a continuation). */
function continues(table: OutputTable, page: number): boolean {
  return table.parts.some((p) => p.page < page);
}

/** Whether a part of `table` on `page` has its centre inside `box` (a layout TABLE element's area). */
function overlapsPart(table: OutputTable, page: number, box: BoundingBox): boolean {
  return table.parts.some((p) => p.page === page && contains(box, p.box));
}

/** Whether the centre of `inner` lies inside `outer`: robust to boxes that differ by a few pixels. */
function contains(outer: BoundingBox, inner: BoundingBox): boolean {
  const x = inner.left + inner.width / 2;
  const y = inner.top + inner.height / 2;
  return x >= outer.left && x <= outer.left + outer.width && y >= outer.top && y <= outer.top + outer.height;
}

function headingText(text: string): string {
  // A trailing "#" would close the ATX heading and vanish.
  return inlineText(text.trim()).replace(/#/g, '\\#');
}

function fieldRow(field: OutputField, repeated: boolean, marks: Marks): string[] {
  let name = field.name ? cellMarkdown(field.name) : '_(no key)_';
  if (repeated) {
    marks.fieldIds = true;
    name += ` (${codeSpan(field.id)})`;
  }
  const parts: string[] = [];
  if (field.selected !== undefined) {
    marks.selection = true;
    parts.push(field.selected ? '☑' : '☐');
  }
  if (field.value.text) parts.push(cellMarkdown(field.value.text));
  else if (field.selected === undefined) parts.push('_(empty)_');
  if (field.correction) {
    marks.corrected = true;
    const was = field.correction.extractedText ? cellMarkdown(field.correction.extractedText) : '_(empty)_';
    parts.push(`✎ corrected by ${cellMarkdown(field.correction.reviewer)} (extracted: ${was})`);
  }
  return [name, parts.join(' '), field.value.confidence.toFixed(1)];
}

function queryRow(query: OutputQueryAnswer, repeated: boolean, marks: Marks): string[] {
  let alias = cellMarkdown(query.alias);
  if (repeated) {
    marks.fieldIds = true;
    alias += ` (${codeSpan(query.id)})`;
  }
  const answer = query.text ? cellMarkdown(query.text) : '_(empty)_';
  return [alias, cellMarkdown(query.question), answer, query.confidence.toFixed(1)];
}

function repeatedOf(names: string[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of names) (seen.has(name) ? repeated : seen).add(name);
  return repeated;
}

/** Corrections the field tables do not show: values for fields Textract did not find. */
function unplacedCorrections(doc: OutputDocument): OutputCorrection[] {
  const ids = new Set(doc.pages.flatMap((p) => p.fields.map((f) => f.id)));
  return doc.corrections.filter((c) => c.fieldId === undefined || !ids.has(c.fieldId));
}

function correctionBlocks(corrections: OutputCorrection[]): string[] {
  const rows = corrections.map((c) => [
    cellMarkdown(c.name) + (c.fieldId ? ` (${codeSpan(c.fieldId)})` : ''),
    c.text ? cellMarkdown(c.text) : '_(empty)_',
    c.extractedText === null ? '_(not found)_' : cellMarkdown(c.extractedText) || '_(empty)_',
    `${cellMarkdown(c.reviewer)}, ${cellMarkdown(c.at)}`,
  ]);
  return [
    '**Values set by reviewers** (for fields Textract did not find)',
    markdownTable(['Field', 'Value', 'Extracted', 'By'], rows, 4),
  ];
}

function legendLines(marks: Marks): string[] {
  const lines: string[] = [];
  if (marks.merged) {
    lines.push(
      `- ${coveredFromLeft} and ${coveredFromAbove}: the position is part of a merged cell whose text is ` +
        'to the left or above (Markdown tables cannot span cells; the CSV export leaves these positions empty).',
    );
  }
  if (marks.boldHeaderRows)
    lines.push("- **Bold** table rows are header rows other than the table's first row.");
  if (marks.selection) lines.push('- ☑ selected, ☐ not selected (a checkbox or radio button).');
  if (marks.corrected) lines.push('- ✎ a reviewer replaced the value Textract found.');
  if (marks.fieldIds) lines.push('- `p1-f2`: the field’s id, shown where a name occurs more than once.');
  if (marks.confidence) lines.push('- Confidence is Textract’s, 0–100; for a table, its lowest cell’s.');
  return lines;
}
