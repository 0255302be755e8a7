// The real Textract responses of test/fixtures/corpus (see its NOTICE.md), fed through the normaliser
// the way collection does: in Get*-sized parts, so pages complete across part boundaries.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Block } from '@aws-sdk/client-textract';
import {
  outputSchemaVersion,
  type BoundingBox,
  type OutputDocument,
  type OutputPage,
  type OutputTable,
} from '../../lib/document-model';
import type { ExtractionSummary, NormalizedPart } from '../../lib/extraction';
import { ResultNormalizer } from '../../activities/normalize';

/** Every real response of the corpus (the text-detection one too: lines only). */
export const corpusResponses = [
  'form.png.analysis.json',
  'paystub.jpg.analysis.json',
  'receipt.jpg.analysis.json',
  'sample-invoice.pdf.analysis.json',
  'textractor-multipage-doc.pdf.analysis.json',
  'textractor-multipage-doc.pdf.text-detection.json',
  'multi-page-forms-samples-2-page.json',
  'gib_multi_page_table_merge.json',
  'queries_sample.json',
  'employment-application.json',
] as const;

export type CorpusResponse = (typeof corpusResponses)[number];

const corpusDir = path.resolve(__dirname, '..', 'fixtures', 'corpus', 'textract');

/** A fresh copy of a response's blocks (tests may change them). */
export function corpusBlocks(name: CorpusResponse): Block[] {
  return (JSON.parse(fs.readFileSync(path.join(corpusDir, name), 'utf8')) as { Blocks: Block[] }).Blocks;
}

/** The response cut into Get* responses of `size` blocks. */
export function getResponses(blocks: Block[], size: number): Block[][] {
  const parts: Block[][] = [];
  for (let i = 0; i < blocks.length; i += size) parts.push(blocks.slice(i, i + size));
  return parts.length > 0 ? parts : [[]];
}

export interface Normalized {
  parts: NormalizedPart[];
  pages: OutputPage[];
  tables: OutputTable[];
  summary: ExtractionSummary;
}

/** Normalises blocks as collection does, `size` blocks per Get* response. */
export function normalizeInParts(blocks: Block[], size: number, namedFields: string[] = []): Normalized {
  const normalizer = new ResultNormalizer(namedFields);
  const responses = getResponses(blocks, size);
  const parts = responses.map((response, i) => normalizer.add(response, i === responses.length - 1));
  return {
    parts,
    pages: parts.flatMap((p) => p.pages),
    tables: parts.flatMap((p) => p.tables),
    summary: normalizer.summary({
      jobId: 'job-1',
      partsWritten: parts.length,
      resultsBucket: 'b',
      resultsPrefix: 'p',
    }),
  };
}

/** A raw block's bounding box as the model writes it. */
export function blockBox(block: Block): BoundingBox {
  const box = block.Geometry?.BoundingBox ?? {};
  return { left: box.Left ?? 0, top: box.Top ?? 0, width: box.Width ?? 0, height: box.Height ?? 0 };
}

/** The ids a block names under one relationship type. */
export function related(block: Block, type: string): string[] {
  return (block.Relationships ?? []).filter((r) => r.Type === type).flatMap((r) => r.Ids ?? []);
}

/** The words under a block (CHILD WORD blocks), joined by spaces. */
export function wordsOf(block: Block, byId: Map<string, Block>): string {
  return related(block, 'CHILD')
    .map((id) => byId.get(id))
    .filter((b): b is Block => b?.BlockType === 'WORD')
    .map((w) => w.Text ?? '')
    .join(' ');
}

/** A multiset as sorted entries, for order-insensitive comparisons. */
export function sorted(values: string[]): string[] {
  return [...values].sort();
}

/**
 * A corpus response as docket would deliver it: normalised as collection does, wrapped in a schema-2
 * output document with a fixed header (so golden files do not change from run to run).
 */
export function corpusOutputDocument(name: CorpusResponse): OutputDocument {
  const { pages, tables } = normalizeInParts(corpusBlocks(name), 300);
  return {
    schemaVersion: outputSchemaVersion,
    documentId: name.replace(/\.json$/, '').replace(/[^A-Za-z0-9_.:-]/g, '-'),
    status: 'SUCCEEDED',
    profile: 'forms',
    source: { bucket: 'docket-input', key: `corpus/${name}` },
    checksum: '0'.repeat(64),
    completedAt: '2026-12-01T00:00:00.000Z',
    textract: { jobId: 'job-1', api: 'ANALYSIS', status: 'SUCCEEDED', pages: pages.length, warnings: [] },
    review: { items: [], audit: [] },
    corrections: [],
    pages,
    tables,
  };
}
