/*
 * The document's plain text in reading order, for search indexes, diffing and reading without a
 * renderer. A page's layout elements when Textract returned layout (each element a paragraph,
 * separated by a blank line, a table's text included), else its lines one per line.
 *
 * Every page starts with a line `--- page N ---`: unlike a form feed it is visible in any viewer and
 * says which page follows, and splitting on it is as easy.
 */
import type { OutputDocument, OutputPage } from '../document-model';

/** The `--- page N ---` line that starts each page's text. */
export function pageSeparator(page: number): string {
  return `--- page ${page} ---`;
}

/** A page's text: its layout elements' text in reading order, else its lines. */
export function pageText(page: OutputPage): string {
  if (page.layout.length > 0) {
    return page.layout
      .map((element) => element.text)
      .filter((text) => text.length > 0)
      .join('\n\n');
  }
  return page.lines.map((line) => line.text).join('\n');
}

/**
 * The document's text, page by page; '' for a document without pages (a DUPLICATE's own output).
 * Ends with a newline otherwise.
 */
export function documentText(doc: OutputDocument): string {
  return doc.pages
    .map((page) => {
      const text = pageText(page);
      return `${pageSeparator(page.page)}\n${text ? `${text}\n` : ''}`;
    })
    .join('\n');
}
