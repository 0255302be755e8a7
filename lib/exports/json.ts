/*
 * The output document as JSON, unchanged: what a downstream system reads (lib/output-schema.json
 * describes it). Pretty-printed so a person can read and diff it; a trailing newline like any text file.
 */

/**
 * The document as pretty-printed JSON. Takes any stored output, not only schema 2, so an output
 * written before schema 2 can still be read back as it is.
 */
export function documentJson(doc: object): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
