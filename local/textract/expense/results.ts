/**
 * AnalyzeExpense results: a recorded real response when one exists (sidecar `<key>.expense.json` in
 * S3, then `<name>.expense.json` in the fixture folder), else the document recognised and read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExpenseDocument } from '@aws-sdk/client-textract';
import { ArrayBlocks } from '../block-source';
import type { ServiceContext } from '../context';
import type { DocumentFormat } from '../documents';
import { type DocumentResult, readSidecar, recogniseWithSettings } from '../results';
import type { S3ObjectRef } from '../validation';
import { expenseDocuments } from '.';

export interface RecordedExpense {
  pages: number;
  documents: ExpenseDocument[];
}

/** Parses a recorded AnalyzeExpense / GetExpenseAnalysis response; undefined when it is not one. */
export function parseRecordedExpense(json: unknown): RecordedExpense | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { ExpenseDocuments, DocumentMetadata } = json as {
    ExpenseDocuments?: unknown;
    DocumentMetadata?: { Pages?: unknown };
  };
  if (!Array.isArray(ExpenseDocuments)) return undefined;
  const pages = typeof DocumentMetadata?.Pages === 'number' ? DocumentMetadata.Pages : 1;
  return { pages, documents: ExpenseDocuments as ExpenseDocument[] };
}

/** The recorded expense response for an object, sidecar first, then the fixture folder. */
export async function findRecordedExpense(
  ctx: ServiceContext,
  ref: S3ObjectRef | undefined,
): Promise<RecordedExpense | undefined> {
  if (!ref) return undefined;
  const sidecar = await readSidecar(ctx, ref, '.expense.json', parseRecordedExpense);
  // No sidecar: look in the fixture folder.
  if (sidecar) return sidecar;
  const dir = ctx.fixtures.dir;
  if (!dir) return undefined;
  const file = path.join(dir, `${path.posix.basename(ref.name)}.expense.json`);
  try {
    return parseRecordedExpense(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** A recorded expense response as a result; its blocks are the documents' own. */
export function recordedExpenseResult(recorded: RecordedExpense): DocumentResult {
  return {
    pages: recorded.pages,
    blocks: new ArrayBlocks(recorded.documents.flatMap((d) => d.Blocks ?? [])),
    expense: recorded.documents,
    source: 'recorded',
  };
}

/** Recognises a document and reads it as an expense. */
export async function recogniseExpense(
  ctx: ServiceContext,
  bytes: Uint8Array,
  format: DocumentFormat,
  withPage: boolean,
): Promise<DocumentResult> {
  const pages = await recogniseWithSettings(ctx, bytes, format, true);
  const expense = expenseDocuments(pages, { withPage });
  return {
    pages: pages.length,
    blocks: new ArrayBlocks(expense.flatMap((d) => d.Blocks ?? [])),
    expense,
    source: 'ocr',
  };
}
