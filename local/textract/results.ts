/**
 * Producing a result for a document: a synthetic result when a rule asks for one, else a recorded
 * response (sidecar object, then fixture folder), else real recognition.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { ExpenseDocument } from '@aws-sdk/client-textract';
import { assembleBlocks } from './analysis';
import { ArrayBlocks, type BlockSource } from './block-source';
import type { ServiceContext } from './context';
import { type DocumentFormat } from './documents';
import { parseRecorded, textDetectionView, withPages, type RecordedResponse } from './fixtures';
import { recogniseDocument } from './recognise';
import type { AnalysisParams, S3ObjectRef } from './validation';

/** A result ready to page through. */
export interface DocumentResult {
  pages: number;
  blocks: BlockSource;
  /** AnalyzeExpense results: the expense documents read (their Blocks are `blocks`). */
  expense?: ExpenseDocument[];
  /** Where it came from, for logs: never the content. */
  source: 'ocr' | 'recorded' | 'synthetic';
}

/**
 * The sidecar `<key><suffix>` next to the document, read by `parse`, when sidecars are on; undefined
 * when there is none or it cannot be read.
 */
export async function readSidecar<T>(
  ctx: ServiceContext,
  ref: S3ObjectRef,
  suffix: string,
  parse: (json: unknown) => T | undefined,
): Promise<T | undefined> {
  if (!ctx.settings.sidecars) return undefined;
  try {
    const res = await ctx.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: `${ref.name}${suffix}` }));
    return parse(JSON.parse((await res.Body?.transformToString()) ?? ''));
  } catch {
    return undefined;
  }
}

/** The sidecar `<key>.textract.json` next to the document, when there is one and sidecars are on. */
export function findSidecar(
  ctx: ServiceContext,
  ref: S3ObjectRef,
  analysis: boolean,
): Promise<RecordedResponse | undefined> {
  return readSidecar(ctx, ref, '.textract.json', (json) => {
    const recorded = parseRecorded(json);
    return recorded && !analysis ? textDetectionView(recorded) : recorded;
  });
}

/** Recognises a document with the service's OCR settings; `pageInk` when the features read the page image. */
export function recogniseWithSettings(
  ctx: ServiceContext,
  bytes: Uint8Array,
  format: DocumentFormat,
  pageInk: boolean,
) {
  return recogniseDocument(bytes, format, {
    pool: ctx.pool,
    dpi: ctx.settings.dpi,
    charHeight: ctx.settings.charHeight,
    useTextLayer: ctx.settings.useTextLayer,
    pageInk,
  });
}

/** A recorded response for the object, sidecar first, then the fixture folder. */
export async function findRecorded(
  ctx: ServiceContext,
  ref: S3ObjectRef | undefined,
  analysis: boolean,
): Promise<RecordedResponse | undefined> {
  if (!ref) return undefined;
  return (await findSidecar(ctx, ref, analysis)) ?? ctx.fixtures.find(ref.name, analysis);
}

/** Recognises a document and assembles the blocks the request asked for. */
export async function recogniseResult(
  ctx: ServiceContext,
  bytes: Uint8Array,
  format: DocumentFormat,
  params: AnalysisParams,
  withPage: boolean,
): Promise<DocumentResult> {
  const pages = await recogniseWithSettings(
    ctx,
    bytes,
    format,
    params.featureTypes.some((f) => f === 'TABLES' || f === 'LAYOUT' || f === 'SIGNATURES' || f === 'FORMS'),
  );
  return {
    pages: pages.length,
    blocks: new ArrayBlocks(assembleBlocks(pages, params, { withPage })),
    source: 'ocr',
  };
}

/** A recorded response as a result (async results always carry Page). */
export function recordedResult(recorded: RecordedResponse, withPage: boolean): DocumentResult {
  const shaped = withPage ? withPages(recorded) : recorded;
  return { pages: shaped.pages, blocks: new ArrayBlocks(shaped.blocks), source: 'recorded' };
}
