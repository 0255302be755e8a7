/*
 * Document text inside Markdown: escaped so that what Textract read is shown as written and never
 * becomes markup (a key "*Total" must not start emphasis, a value "a | b" must not split a table
 * cell, a line "- 40.60" must not become a list item). CommonMark allows a backslash before any ASCII
 * punctuation, so escaping more than strictly needed never changes the rendered text.
 */

/** Characters that are markup anywhere in a line (GFM: tables, strikethrough, autolinks, HTML). */
const inlineMarkup = /[\\`*_[\]<>|~]/g;

/** Text for inside a line (a table cell, a list item, a heading): inline markup escaped, one line. */
export function inlineText(text: string): string {
  return text.replace(inlineMarkup, '\\$&').replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * Text for a table cell: like {@link inlineText}, but a line break stays visible as `<br>` (GFM
 * renders it; a raw newline would end the table row).
 */
export function cellMarkdown(text: string): string {
  return text
    .replace(inlineMarkup, '\\$&')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .join('<br>');
}

/**
 * Text as a paragraph: inline markup escaped, and each line's start escaped where it would open a
 * block (heading, quote, list item, thematic break, setext underline, code fence).
 */
export function paragraphText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const escaped = line.trim().replace(inlineMarkup, '\\$&');
      // "# x", "> x", "- x", "+ x", "=" or "-" underlines, and "1. x" / "1) x" open blocks.
      return escaped.replace(/^([#>+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
    })
    .filter((line) => line.length > 0)
    .join('\n');
}

/**
 * An inline code span around `text` (identifiers: document, field and job ids), with a fence longer
 * than any run of backticks inside it.
 */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A GFM table from cells already in Markdown. `header` null gives an empty header line: GFM needs
 * one, and inventing column names would put words in the document's mouth.
 */
export function markdownTable(header: string[] | null, rows: string[][], columns: number): string {
  const line = (cells: string[]) =>
    `| ${Array.from({ length: columns }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(header ?? []), `|${' --- |'.repeat(columns)}`, ...rows.map((row) => line(row))].join('\n');
}
