// Reusing a stored Textract result: find the record of an extraction identity, rebuild a document's
// normalized parts and routing summary from the raw parts (no Textract call), and record what a
// document was routed with (for reprocess and the what-if reroute).
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { GetDocumentAnalysisCommandOutput } from '@aws-sdk/client-textract';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../lib/contract';
import { partKey, type ExtractionSummary } from '../lib/extraction';
import {
  documentRecordKey,
  extractionRecordKey,
  type DocumentRecord,
  type StoredExtraction,
} from '../lib/extraction-record';
import { classified, classifyAwsError, isNotFoundError } from '../lib/aws/errors';
import { getJsonIfPresent, putJson } from '../lib/aws/s3';
import { ResultNormalizer } from './normalize';

export interface RebuildInput {
  documentId: string;
  from: StoredExtraction;
  /** Where this document's normalized parts go. */
  targetPrefix: string;
  /** Field names the profile cares about (always kept in the summary). */
  namedFields: string[];
  /** SSE-KMS key of the normalized parts: this document's profile's key. */
  kmsKeyId: string;
}

export interface RecordInput {
  record: DocumentRecord;
  kmsKeyId: string;
}

export interface ReuseActivitiesOptions {
  s3: S3Client;
  resultsBucket: string;
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    if (isNotFoundError(err)) return false;
    throw classifyAwsError(err, `looking for s3://${bucket}/${key}`);
  }
}

/**
 * The stored result of an extraction identity, when its raw parts are all still there (retention may
 * have expired them: then the document pays for a new job, as before reuse existed).
 */
export async function findStoredExtraction(
  s3: S3Client,
  resultsBucket: string,
  extractionId: string,
): Promise<StoredExtraction | undefined> {
  const stored = await getJsonIfPresent<StoredExtraction>(
    s3,
    resultsBucket,
    extractionRecordKey(extractionId),
  );
  if (!stored) return undefined;
  const { bucket, prefix, partsWritten } = stored.raw;
  for (const part of new Set([1, partsWritten])) {
    if (!(await exists(s3, bucket, partKey(prefix, 'raw', part)))) {
      log.info('stored extraction expired; extracting again', { parts: partsWritten });
      return undefined;
    }
  }
  return stored;
}

/** The clear failure of a rebuild whose raw parts are gone. */
export function rawPartsGone(from: StoredExtraction, part: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.RAW_RESULTS_GONE,
    nonRetryable: true,
    message:
      `raw part ${part} of ${from.raw.partsWritten} of Textract job ${from.textract.jobId} (document ` +
      `${from.documentId}) is gone from bucket ${from.raw.bucket}: raw parts expire after the results ` +
      'bucket lifecycle rule (docs/operations.md, Retention); start the document again to extract it anew',
  });
}

export function createReuseActivities({ s3, resultsBucket }: ReuseActivitiesOptions) {
  return {
    /**
     * Rebuilds a document's normalized parts and routing summary from stored raw parts, with this
     * document's named fields and key: no Textract call. Fails without retry when a part is gone.
     */
    rebuildExtraction: async (input: RebuildInput): Promise<ExtractionSummary> => {
      const ctx = Context.current();
      const { from } = input;
      const normalizer = new ResultNormalizer(input.namedFields);
      let pages: number | undefined;
      for (let part = 1; part <= from.raw.partsWritten; part++) {
        const key = partKey(from.raw.prefix, 'raw', part);
        const raw = await getJsonIfPresent<GetDocumentAnalysisCommandOutput>(s3, from.raw.bucket, key);
        if (!raw) throw rawPartsGone(from, part);
        pages ??= raw.DocumentMetadata?.Pages;
        const normalized = normalizer.add(raw.Blocks ?? [], part === from.raw.partsWritten);
        await putJson(
          s3,
          resultsBucket,
          partKey(input.targetPrefix, 'normalized', part),
          normalized,
          input.kmsKeyId,
        );
        ctx.heartbeat({ part });
      }
      log.info('textract result rebuilt from stored parts', {
        jobId: from.textract.jobId,
        parts: from.raw.partsWritten,
      });
      return normalizer.summary({
        jobId: from.textract.jobId,
        partsWritten: from.raw.partsWritten,
        resultsBucket,
        resultsPrefix: input.targetPrefix,
        pages,
      });
    },

    /**
     * Records what the document was routed with, and (first one wins) the extraction identity's
     * stored result, so later documents with the same extraction reuse it.
     */
    recordExtraction: async ({ record, kmsKeyId }: RecordInput): Promise<void> => {
      await putJson(s3, resultsBucket, documentRecordKey(record.documentId), record, kmsKeyId);
      const key = extractionRecordKey(record.extractionId);
      const created = await classified(`recording extraction ${record.extractionId}`, async () => {
        try {
          await s3.send(
            new PutObjectCommand({
              Bucket: resultsBucket,
              Key: key,
              Body: JSON.stringify(record.extraction),
              ContentType: 'application/json',
              IfNoneMatch: '*',
            }),
          );
          return true;
        } catch (err) {
          if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412)
            return false;
          throw err;
        }
      });
      // Another document recorded this extraction first: its parts serve as well as ours, unless
      // retention has expired them (then ours replace it).
      if (!created && !(await findStoredExtraction(s3, resultsBucket, record.extractionId))) {
        await putJson(s3, resultsBucket, key, record.extraction);
      }
    },
  };
}
