/*
 * What docket keeps in the results bucket so a Textract result can be used again without paying for
 * another job: one record per extraction identity (who ran the job, where its raw parts are) and one
 * record per document (its profile, identities, routing summary and route). Pure: the workflow imports
 * the types and key helpers; the activities in activities/reuse.ts read and write the objects.
 */
import type { ReviewItem } from './confidence-routing';
import type { DocumentSource } from './contract';
import type { ExtractionSummary, TextractWarning } from './extraction';
import type { TextractApi } from './profile';

/** A collected Textract result, stored raw (Get* pages) under the results prefix of the document that ran it. */
export interface StoredExtraction {
  extractionId: string;
  /** The document whose Textract job produced the raw parts. */
  documentId: string;
  checksum: string;
  size: number;
  contentType: string;
  textract: {
    jobId: string;
    api: TextractApi;
    status: 'SUCCEEDED' | 'PARTIAL_SUCCESS';
    pages: number;
    warnings: TextractWarning[];
  };
  /** `raw/00001.json` … `raw/<partsWritten>.json` under `prefix`. */
  raw: { bucket: string; prefix: string; partsWritten: number };
}

/**
 * One document's processing, written once its output is (a document that failed or was rejected has
 * none): what reprocess rebuilds from and what
 * the what-if reroute reads. Holds field values (in the summary): written with SSE-KMS.
 */
export interface DocumentRecord {
  documentId: string;
  /** The document's source object (a reprocess run's input carries it on). */
  source: DocumentSource;
  profile: string;
  checksum: string;
  extractionId: string;
  /** Absent for a reprocess run (it has no claim). */
  outputId?: string;
  extraction: StoredExtraction;
  /** The routing summary the document was routed with. */
  summary: ExtractionSummary;
  /** What routing sent to review (empty: clean). */
  review: ReviewItem[];
  /** 1 for the first run, n for the n-th reprocess. */
  outputVersion: number;
}

/** Key of the record of an extraction identity (results bucket). */
export function extractionRecordKey(extractionId: string): string {
  return `extractions/${extractionId}.json`;
}

/** Key of a document's record (results bucket; its own prefix, kept longer than the raw parts). */
export function documentRecordKey(documentId: string): string {
  return `records/${documentId}.json`;
}

/** Where a rebuild writes its normalized parts: the document's own prefix, per output version. */
export function rebuiltPrefix(documentId: string, jobId: string, version: number): string {
  const base = `documents/${documentId}/textract/${jobId}`;
  return version <= 1 ? `${base}/reused` : `${base}/v${version}`;
}

/** A reprocess run: rebuild from these raw parts, write this output version. */
export interface ReprocessInput {
  version: number;
  from: StoredExtraction;
}
