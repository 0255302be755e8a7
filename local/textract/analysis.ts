/**
 * Assembles a result from recognised pages: the text blocks always, KEY_VALUE_SETs and
 * SELECTION_ELEMENTs (checkboxes) for FORMS, QUERY and QUERY_RESULT blocks for QUERIES, TABLE and
 * its CELLs for TABLES (tables/), LAYOUT_* blocks for LAYOUT and SIGNATUREs for SIGNATURES (layout/).
 */
import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';
import {
  addPageChildren,
  boxOf,
  buildPageBlocks,
  flattenPage,
  type IdFactory,
  type RecognisedPage,
} from './blocks';
import { findKeyValues } from './forms';
import { blankFields, filledFields } from './forms-blank';
import { orientBlocks } from './orientation';
import { selectionForms } from './selection-pairs';
import { answerQueries } from './queries';
import { findTables, tablesOfPage, type BuiltTable } from './tables';
import { pageLayout } from './layout';
import { FeatureType, type AnalysisParams } from './validation';

export interface AssembleOptions {
  withPage: boolean;
  newId?: IdFactory;
}

/** Every block of a result, in Textract's order, page by page. */
export function assembleBlocks(
  pages: readonly RecognisedPage[],
  params: AnalysisParams,
  options: AssembleOptions,
): Block[] {
  const forms = params.featureTypes.includes(FeatureType.FORMS);
  const queries = params.featureTypes.includes(FeatureType.QUERIES);
  const tables = params.featureTypes.includes(FeatureType.TABLES);
  const layout = params.featureTypes.includes(FeatureType.LAYOUT);
  const signatures = params.featureTypes.includes(FeatureType.SIGNATURES);
  const ids = options.newId ? { newId: options.newId } : {};
  const built = buildPageBlocks(pages, {
    withPage: options.withPage,
    ...(options.newId ? { newId: options.newId } : {}),
  });
  return built.flatMap((page, i) => {
    const extra: Block[] = [];
    const found = tables || layout ? findTables(page, pages[i]?.ink, ids) : [];
    if (tables) {
      const table = tablesOfPage(found);
      extra.push(...table.blocks);
      addPageChildren(page.page, table.pageChildren);
    }
    const checkboxes = forms ? selectionForms(page, options.newId) : undefined;
    // Rows of the unruled tables of three rows and three columns or more (a word's table and row), for
    // FORMS: a cell over the cell under it in such a table's column is no label over its value. Two
    // columns of fields read as a grid ("Zip Code" over 62701 beside "Number" over its figures) keep
    // their pairs. Found only when a pair asks (tables cost more than pairs on a long page).
    let rowOf: Map<string, { table: number; row: number }> | undefined;
    const rowsOfTables = () =>
      (rowOf ??= tableRows(
        (tables || layout ? found : findTables(page, pages[i]?.ink, { newId: () => '' })).filter(
          (t) => !t.ruled && t.cells.length >= 3 && (t.cells[0]?.length ?? 0) >= 3,
        ),
      ));
    // Labels at the top of ruled boxes with words under them pair first: the box says whose they are.
    const boxed =
      forms || queries
        ? filledFields(page, pages[i]?.ink, checkboxes?.labelWords ?? new Set(), options.newId ?? randomUUID)
        : [];
    const boxedIds = new Set(
      boxed
        .flatMap((p) => [p.key, p.value])
        .flatMap((b) => b.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? []),
    );
    const reserved = new Set([
      ...(checkboxes?.labelWords ?? []),
      ...page.lines.flatMap((l) => l.words).filter((w) => boxedIds.has(w.Id ?? '')),
    ]);
    const pairs =
      forms || queries ? [...boxed, ...findKeyValues(page, options.newId, reserved, rowsOfTables)] : [];
    if (checkboxes) {
      const found = [...checkboxes.pairs, ...pairs];
      const taken = new Set([
        ...[...checkboxes.labelWords].map((w) => w.Id ?? ''),
        ...found
          .flatMap((p) => [p.key, p.value])
          .flatMap((b) => b.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? []),
      ]);
      const all = [...found, ...blankFields(page, pages[i]?.ink, taken, options.newId ?? randomUUID)];
      for (const pair of all) extra.push(pair.key, pair.value);
      extra.push(...checkboxes.elements);
      addPageChildren(
        page.page,
        all.flatMap((p) => [p.key.Id ?? '', p.value.Id ?? '']),
      );
    }
    if (queries) extra.push(...answerQueries(params.queries, page, pairs, pages.length, options.newId));
    if (layout || signatures) {
      const tableBoxes = found.map((t) => boxOf(t.table));
      const laid = pageLayout(page, pages[i]?.ink, { layout, signatures, tables: tableBoxes, ...ids });
      extra.push(...laid.blocks);
      addPageChildren(page.page, laid.pageChildren);
    }
    return orientBlocks(flattenPage(page, extra), pages[i]?.turns ?? 0, pages[i]?.skew);
  });
}

/** Leaves out the blocks of pages that "failed" (PARTIAL_SUCCESS), and references to them. */
export function withoutPages(blocks: readonly Block[], failed: ReadonlySet<number>): Block[] {
  if (failed.size === 0) return [...blocks];
  return blocks.filter((b) => !failed.has(b.Page ?? 1));
}

/** Each word of the tables' cells by its id: which table (by order) and which row it is in. */
function tableRows(tables: readonly BuiltTable[]): Map<string, { table: number; row: number }> {
  const out = new Map<string, { table: number; row: number }>();
  tables.forEach((t, table) =>
    t.cells.forEach((cells, row) => {
      for (const cell of cells)
        for (const id of cell.Relationships?.find((r) => r.Type === 'CHILD')?.Ids ?? [])
          out.set(id, { table, row });
    }),
  );
  return out;
}
