// The final document (output schema 2, lib/document-model.ts): generated as JSON piece by piece from
// the normalized parts (activities/output-json.ts), encrypted as one Encryption SDK message on the fly
// and uploaded in parts with SSE-KMS at a deterministic key (lib/output-document.ts reads it back).
// Memory stays bounded by one normalized part plus the upload's buffers, whatever the page count.
import type { S3Client } from '@aws-sdk/client-s3';
import type { KMSClient } from '@aws-sdk/client-kms';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ReviewItem } from '../lib/confidence-routing';
import {
  FailureType,
  type DocumentSource,
  type DuplicateOf,
  type ReviewAuditEntry,
  type S3Location,
} from '../lib/contract';
import { outputSchemaVersion, type OutputTextract } from '../lib/document-model';
import { partKey, type NormalizedPart } from '../lib/extraction';
import { outputLocation, type OutputEncryptionContext } from '../lib/output-document';
import type { ProfileOutput, ProfileTextract } from '../lib/profile';
import { KmsEnvelope } from '../lib/aws/kms';
import {
  defaultPrices,
  type DocumentCost,
  documentCost,
  type DocumentUsage,
  type PriceTable,
} from '../lib/pricing';
import { getJson } from '../lib/aws/s3';
import type { ReviewCorrection } from '../lib/contract';
import type { PartSource } from './output-corrections';
import { uploadEncrypted } from './encrypted-upload';
import { outputDocumentJson, type OutputHeader } from './output-json';

interface OutputCommon {
  documentId: string;
  checksum: string;
  source: DocumentSource;
  /** The name of the profile the document ran with. */
  profile: string;
  output: ProfileOutput;
  /** Workflow time, so a rewrite produces the same document. */
  completedAt: string;
  /**
   * What the workflow counted for the document's cost; the activity adds its own KMS requests and
   * prices it. Absent from workflows of older versions: the output then has no cost.
   */
  usage?: OutputUsage;
  /** Which output version this is (a reprocess writes 2, 3, …). @default 1 */
  outputVersion?: number;
}

/** The workflow's side of a document's usage (see lib/pricing.ts). */
export interface OutputUsage extends DocumentUsage {
  /** The profile's Textract API and features, which set the price per page. */
  textract: ProfileTextract;
}

/** What the workflow hands the output activity: an extracted document, or a duplicate of another. */
export type WriteOutputInput =
  | (OutputCommon & {
      kind: 'EXTRACTED';
      textract: OutputTextract;
      /** Where the collect activity wrote `normalized/NNNNN.json` (1 … partsWritten). */
      results: { bucket: string; prefix: string; partsWritten: number };
      review: { items: ReviewItem[]; audit: ReviewAuditEntry[] };
      /** The reviewers' values in order; see {@link ReviewCorrection} for what each corrects. */
      corrections: ReviewCorrection[];
    })
  | (OutputCommon & { kind: 'DUPLICATE'; duplicateOf: DuplicateOf });

export interface OutputActivitiesOptions {
  s3: S3Client;
  kms: KMSClient;
  /** Prices of the cost written in the output. @default defaultPrices */
  prices?: PriceTable;
}

export function createOutputActivities({ s3, kms, prices = defaultPrices }: OutputActivitiesOptions) {
  const envelope = new KmsEnvelope({ kms });
  return {
    /**
     * Generates, encrypts and writes the output document; returns its location, the same for the
     * same input (a retry or a rerun overwrites the object with an equivalent document).
     */
    writeDocumentOutput: async (input: WriteOutputInput): Promise<S3Location & { cost?: DocumentCost }> => {
      // Captured now: the stream's callbacks may run outside the activity's async context.
      const activity = Context.current();
      const location = outputLocation(input.output, input.documentId, input.outputVersion);
      const context: OutputEncryptionContext = { documentId: input.documentId, checksum: input.checksum };
      const cost = input.usage && priceDocument(input, input.usage, prices);
      const head = { ...header(input), ...(cost ? { cost } : {}) };
      const json =
        input.kind === 'EXTRACTED'
          ? outputDocumentJson(head, normalizedParts(s3, input.results, activity), input.corrections)
          : outputDocumentJson(head, { count: 0, read: noParts }, []);
      const encryptor = await envelope.encryptStream(input.output.kmsKeyId, context);
      const bytes = await uploadEncrypted({
        s3,
        location,
        kmsKeyId: input.output.kmsKeyId,
        plaintext: json,
        encryptor,
        signal: activity.cancellationSignal,
      });
      log.info('output written', {
        kind: input.kind,
        bytes,
        parts: input.kind === 'EXTRACTED' ? input.results.partsWritten : 0,
      });
      return cost ? { ...location, cost } : location;
    },
  };
}

/**
 * The document's cost with this activity's KMS requests added, counted ahead from what it does: one
 * data key for the Encryption SDK message, one for the SSE-KMS output object, and S3's decrypt of each
 * stored part it reads (each part is read twice: pages, then tables; three times when a correction
 * names a field rather than its id, which is left uncounted).
 */
function priceDocument(input: WriteOutputInput, usage: OutputUsage, prices: PriceTable): DocumentCost {
  const partsRead = input.kind === 'EXTRACTED' ? 2 * input.results.partsWritten : 0;
  return documentCost(usage.textract, { ...usage, kmsRequests: usage.kmsRequests + 2 + partsRead }, prices);
}

/** The document's fields before its pages, picked one by one so nothing else in the input leaks in. */
function header(input: WriteOutputInput): OutputHeader {
  const { bucket, key, versionId } = input.source;
  const common: Omit<OutputHeader, 'textract' | 'review' | 'duplicateOf'> = {
    schemaVersion: outputSchemaVersion,
    documentId: input.documentId,
    status: input.kind === 'EXTRACTED' ? 'SUCCEEDED' : 'DUPLICATE',
    profile: input.profile,
    source: versionId === undefined ? { bucket, key } : { bucket, key, versionId },
    checksum: input.checksum,
    completedAt: input.completedAt,
  };
  if (input.kind === 'DUPLICATE') {
    return { ...common, review: { items: [], audit: [] }, duplicateOf: input.duplicateOf };
  }
  const { jobId, api, status, pages, warnings } = input.textract;
  return { ...common, textract: { jobId, api, status, pages, warnings }, review: input.review };
}

/** The normalized parts in S3; each read proves progress to Temporal (a long document reads many). */
function normalizedParts(
  s3: S3Client,
  results: Extract<WriteOutputInput, { kind: 'EXTRACTED' }>['results'],
  activity: Context,
): PartSource {
  return {
    count: results.partsWritten,
    read: async (part) => {
      activity.heartbeat();
      const key = partKey(results.prefix, 'normalized', part);
      const read = await getJson<Partial<NormalizedPart> | null>(s3, results.bucket, key);
      // A part of the older layout ({ pages } with summary fields) cannot become a schema-2 page;
      // retrying would fail the same way forever.
      if (!Array.isArray(read?.pages) || !Array.isArray(read.tables)) {
        throw ApplicationFailure.create({
          type: FailureType.INVALID_INPUT,
          nonRetryable: true,
          message: `s3://${results.bucket}/${key} is not a normalized part of output schema 2 (pages and tables): an older docket collected it`,
        });
      }
      return read as NormalizedPart;
    },
  };
}

function noParts(): Promise<NormalizedPart> {
  return Promise.reject(new Error('a duplicate has no parts'));
}
