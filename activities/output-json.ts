// The output document (lib/document-model.ts, schema 2) as JSON text generated piece by piece, so a
// document of thousands of pages is encrypted and uploaded without ever existing whole in memory.
import type { ReviewCorrection } from '../lib/contract';
import type { OutputDocument } from '../lib/document-model';
import { CorrectionApplier, topAnswerIds, unresolvedNames, type PartSource } from './output-corrections';

/** Everything of the document but its pages, tables and corrections: known before any part is read. */
export type OutputHeader = Omit<OutputDocument, 'pages' | 'tables' | 'corrections'>;

/**
 * The JSON text of the document: the header's properties, then `"pages"` read part by part with the
 * corrections applied, then `"tables"` from a second pass over the parts (each part lists the tables
 * that ended on its pages), then `"corrections"`, last because what Textract had for a corrected
 * field is known only once its page has been read. A correction naming a field without its id costs
 * one more pass first, to find the query alias's top answer (see {@link ReviewCorrection}).
 *
 * Holds at most one part at a time; yields one piece per page and per table. The concatenation of
 * the pieces is the document's `JSON.stringify` (property order aside).
 */
export async function* outputDocumentJson(
  header: OutputHeader,
  parts: PartSource,
  corrections: readonly ReviewCorrection[],
): AsyncGenerator<string, void, undefined> {
  const names = unresolvedNames(corrections);
  const applier = new CorrectionApplier(
    corrections,
    names.size > 0 ? await topAnswerIds(names, parts) : new Map(),
  );

  // The header is a non-empty object: its text without the closing brace continues with a comma.
  yield `${JSON.stringify(header).slice(0, -1)},"pages":[`;
  let first = true;
  for (let part = 1; part <= parts.count; part++) {
    for (const page of (await parts.read(part)).pages) {
      yield (first ? '' : ',') + JSON.stringify(applier.apply(page));
      first = false;
    }
  }
  yield '],"tables":[';
  first = true;
  for (let part = 1; part <= parts.count; part++) {
    for (const table of (await parts.read(part)).tables) {
      yield (first ? '' : ',') + JSON.stringify(table);
      first = false;
    }
  }
  yield `],"corrections":${JSON.stringify(applier.list())}}`;
}
