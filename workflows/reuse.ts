// The workflow's side of reusing a stored Textract result (lib/identity.ts, lib/extraction-record.ts):
// rebuilding instead of a Textract job, and recording what a document was routed with. Deterministic.
import type { ChecksumAndClaimResult } from '../activities/s3';
import type { ReviewItem } from '../lib/confidence-routing';
import type { DocumentSource } from '../lib/contract';
import type { ExtractionSummary } from '../lib/extraction';
import { rebuiltPrefix, type DocumentRecord, type StoredExtraction } from '../lib/extraction-record';
import type { ReprocessInput } from '../lib/extraction-record';
import { profileFieldNames, type DocumentProfile } from '../lib/profile';
import type { WaitResult, JobRef } from '../activities/textract';
import * as acts from './activities';

/** What extraction hands routing and output, whether Textract ran or a stored result was reused. */
export interface Extracted {
  job: JobRef;
  done: Pick<WaitResult, 'status' | 'pages' | 'warnings'>;
  summary: ExtractionSummary;
}

/** A reprocess run's stand-in for the checksum step: the stored extraction knows the bytes. */
export function reprocessChecksum(reprocess: ReprocessInput): ChecksumAndClaimResult {
  const { checksum, size, contentType } = reprocess.from;
  return {
    checksum,
    size,
    contentType: contentType as ChecksumAndClaimResult['contentType'],
    claim: { outcome: 'CLAIMED' },
    extractionId: reprocess.from.extractionId,
    reuse: reprocess.from,
  };
}

/** Rebuilds the document's result from stored raw parts with its own profile: no Textract call. */
export async function rebuildFrom(
  from: StoredExtraction,
  documentId: string,
  profile: DocumentProfile,
  heartbeatTimeout: Parameters<typeof acts.textractActivities>[0],
  version: number,
): Promise<Extracted> {
  const summary = await acts.textractActivities(heartbeatTimeout).rebuildExtraction({
    documentId,
    from,
    targetPrefix: rebuiltPrefix(documentId, from.textract.jobId, version),
    namedFields: profileFieldNames(profile),
    kmsKeyId: profile.output.kmsKeyId,
  });
  const { jobId, api, status, pages, warnings } = from.textract;
  return { job: { jobId, api }, done: { status, pages, warnings }, summary };
}

/** The document's record: its stored extraction (reused, or the one it just collected) and its route. */
export function documentRecord(args: {
  documentId: string;
  source: DocumentSource;
  profile: DocumentProfile;
  sum: ChecksumAndClaimResult;
  extracted: Extracted;
  review: ReviewItem[];
  version: number;
}): DocumentRecord {
  const { sum, extracted } = args;
  const extractionId = sum.extractionId ?? '';
  const extraction: StoredExtraction = sum.reuse ?? {
    extractionId,
    documentId: args.documentId,
    checksum: sum.checksum,
    size: sum.size,
    contentType: sum.contentType,
    textract: {
      jobId: extracted.job.jobId,
      api: extracted.job.api,
      status: extracted.done.status,
      pages: extracted.done.pages,
      warnings: extracted.done.warnings,
    },
    raw: {
      bucket: extracted.summary.resultsBucket,
      prefix: extracted.summary.resultsPrefix,
      partsWritten: extracted.summary.partsWritten,
    },
  };
  return {
    documentId: args.documentId,
    source: args.source,
    profile: args.profile.name,
    checksum: sum.checksum,
    extractionId,
    ...(sum.outputId ? { outputId: sum.outputId } : {}),
    extraction,
    summary: extracted.summary,
    review: args.review,
    outputVersion: args.version,
  };
}
