// S3 activities: streamed checksum with content sniffing (activities/checksum.ts), and the race-safe dedup claim.
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Context, log } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { documentWorkflowId, type DuplicateOf, FailureType, type S3Location } from '../lib/contract';
import { classified, classifyAwsError, isNotFoundError } from '../lib/aws/errors';
import type { StoredExtraction } from '../lib/extraction-record';
import { documentIdentities } from '../lib/identity';
import type { DocumentProfile } from '../lib/profile';
import { type ChecksumInput, type ChecksumResult, createChecksum } from './checksum';
import { findStoredExtraction } from './reuse';

export type { ChecksumInput, ChecksumResult } from './checksum';
export { sniffContentType, type SupportedContentType } from '../lib/textract-limits';

/** A claim on a checksum: the first document with these bytes processes them, the others wait. */
export interface ClaimRecord {
  documentId: string;
  state: 'PROCESSING' | 'COMPLETED';
  output?: S3Location;
}

export interface ClaimInput {
  documentId: string;
  checksum: string;
  /**
   * The document's output identity (lib/identity.ts): the claim is then per output identity
   * (`claims/<checksum>/<outputId>.json`), so the same bytes under another profile are not a
   * duplicate. Absent in histories from before identities: the claim is per checksum
   * (`claims/<checksum>.json`), which new claims also read as a fallback.
   */
  outputId?: string;
}

export type ClaimResult =
  | { outcome: 'CLAIMED' }
  | { outcome: 'HELD'; original: { documentId: string } }
  | { outcome: 'COMPLETED'; original: DuplicateOf };

export interface ChecksumAndClaimInput extends ChecksumInput {
  documentId: string;
  /** The document's profile: when given, the claim is per output identity and a stored extraction is looked up. */
  profile?: DocumentProfile;
}

export interface ChecksumAndClaimResult extends ChecksumResult {
  claim: ClaimResult;
  /** Set when the input had a profile. */
  extractionId?: string;
  outputId?: string;
  /** A stored Textract result of the same extraction identity, when the claim was won and one exists. */
  reuse?: StoredExtraction;
  /**
   * The worker's concurrent-job cap (0: no leases), so the workflow asks the quota workflow itself by
   * signal instead of through a local activity. Absent from results of workers before that.
   */
  governor?: { maxConcurrentJobs: number };
}

export interface S3ActivitiesOptions {
  s3: S3Client;
  /** Bucket for claims and results. */
  resultsBucket: string;
  /** @default 'claims' */
  claimPrefix?: string;
  /**
   * Whether a document's workflow is still running. A claim held by a document whose workflow has
   * closed without completing or releasing it (terminated, timed out) is stale and may be taken over.
   * @default asks Temporal through the activity's client (describe `document-<id>`)
   */
  documentRunning?: (documentId: string) => Promise<boolean>;
  /** The account's cap on concurrent Textract jobs, told to the workflow with the checksum. @default 0 */
  maxConcurrentJobs?: number;
}

/** Asks Temporal, with the activity context's client, whether the document's latest run is running. */
async function documentRunningInTemporal(documentId: string): Promise<boolean> {
  try {
    const described = await Context.current()
      .client.workflow.getHandle(documentWorkflowId(documentId))
      .describe();
    return described.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export function createS3Activities({
  s3,
  resultsBucket,
  claimPrefix = 'claims',
  documentRunning = documentRunningInTemporal,
  maxConcurrentJobs = 0,
}: S3ActivitiesOptions) {
  const computeChecksum = createChecksum(s3);
  /** The checksum's legacy key, or the output identity's key below it. */
  const claimKey = ({ checksum, outputId }: Pick<ClaimInput, 'checksum' | 'outputId'>) =>
    outputId ? `${claimPrefix}/${checksum}/${outputId}.json` : `${claimPrefix}/${checksum}.json`;

  async function readClaim(key: string): Promise<(ClaimRecord & { etag?: string }) | undefined> {
    try {
      const res = await s3.send(new GetObjectCommand({ Bucket: resultsBucket, Key: key }));
      const record = JSON.parse((await res.Body?.transformToString()) ?? '') as ClaimRecord;
      return { ...record, etag: res.ETag };
    } catch (err) {
      if (isNotFoundError(err)) return undefined;
      throw classifyAwsError(err, `reading a claim in bucket ${resultsBucket}`);
    }
  }

  /**
   * Writes the claim: only if absent (`If-None-Match: *`), only over the version read (`If-Match`),
   * or unconditionally. A conditional write that loses its race returns false.
   */
  async function writeClaim(
    key: string,
    record: ClaimRecord,
    condition: { ifAbsent: true } | { ifMatch: string } | 'always',
  ): Promise<boolean> {
    const conditional = condition !== 'always';
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: resultsBucket,
          Key: key,
          Body: JSON.stringify({ documentId: record.documentId, state: record.state, output: record.output }),
          ContentType: 'application/json',
          IfNoneMatch: conditional && 'ifAbsent' in condition ? '*' : undefined,
          IfMatch: conditional && 'ifMatch' in condition ? condition.ifMatch : undefined,
        }),
      );
      return true;
    } catch (err) {
      if (conditional && httpStatus(err) === 412) return false;
      throw classifyAwsError(err, `writing a claim in bucket ${resultsBucket}`);
    }
  }

  return {
    computeChecksum,

    /**
     * Checksum then claim in one activity: the claim is one small conditional write, and a separate
     * activity would cost a billed action and six history events per document.
     */
    checksumAndClaim: async ({
      documentId,
      source,
      maxPages,
      profile,
    }: ChecksumAndClaimInput): Promise<ChecksumAndClaimResult> => {
      const sum = await computeChecksum({ source, maxPages });
      if (!profile) return { ...sum, claim: await claimDocument({ documentId, checksum: sum.checksum }) };
      const ids = documentIdentities(sum.checksum, profile);
      const claim = await claimDocument({ documentId, checksum: sum.checksum, outputId: ids.outputId });
      const reuse =
        claim.outcome === 'CLAIMED'
          ? await findStoredExtraction(s3, resultsBucket, ids.extractionId)
          : undefined;
      return { ...sum, ...ids, claim, ...(reuse ? { reuse } : {}), governor: { maxConcurrentJobs } };
    },

    claimDocument,

    /**
     * One look at the claim held by another document (the infrequent-polling pattern: the workflow's
     * retry policy spaces the attempts, and retries add no history events). Fails retryably while the
     * original is still processing; returns once it completed or released the claim to us.
     */
    awaitOriginal: async (input: ClaimInput): Promise<Exclude<ClaimResult, { outcome: 'HELD' }>> => {
      const result = await claimDocument(input);
      if (result.outcome === 'HELD') {
        throw ApplicationFailure.create({
          type: FailureType.ORIGINAL_STILL_PROCESSING,
          message: `document ${result.original.documentId} with the same bytes is still processing`,
        });
      }
      return result;
    },

    /** Gives the claim up after a failure, so the next document with these bytes may process them. */
    releaseClaim: async (input: ClaimInput): Promise<void> => {
      const claim = await readClaim(claimKey(input));
      if (claim?.documentId !== input.documentId || claim.state !== 'PROCESSING') return;
      await classified(`releasing a claim in bucket ${resultsBucket}`, () =>
        s3.send(new DeleteObjectCommand({ Bucket: resultsBucket, Key: claimKey(input) })),
      );
    },

    completeClaim,
  };

  /**
   * Claims the checksum for this document with a create-if-absent write, so two documents with the
   * same bytes can never both process them. Idempotent for the same document.
   */
  async function claimDocument(input: ClaimInput): Promise<ClaimResult> {
    const { documentId, checksum } = input;
    const key = claimKey(input);
    if (input.outputId) {
      // Claims from before identities are per checksum: one that completed stays a DUPLICATE's original
      // (what it meant when made), one still processing holds these bytes as it did. See docs/operations.md.
      const legacy = await readClaim(claimKey({ checksum }));
      if (legacy && legacy.documentId !== documentId) {
        if (legacy.state === 'COMPLETED' && legacy.output) {
          return { outcome: 'COMPLETED', original: { documentId: legacy.documentId, output: legacy.output } };
        }
        if (legacy.state === 'PROCESSING' && (await documentRunning(legacy.documentId))) {
          return { outcome: 'HELD', original: { documentId: legacy.documentId } };
        }
      }
    }
    // A few rounds because a claim can be released between our failed create and our read.
    for (let round = 0; round < 3; round++) {
      const mine: ClaimRecord = { documentId, state: 'PROCESSING' };
      if (await writeClaim(key, mine, { ifAbsent: true })) return { outcome: 'CLAIMED' };
      const claim = await readClaim(key);
      if (!claim) continue;
      if (claim.documentId === documentId) return { outcome: 'CLAIMED' };
      if (claim.state === 'COMPLETED' && claim.output) {
        return { outcome: 'COMPLETED', original: { documentId: claim.documentId, output: claim.output } };
      }
      if (claim.etag && !(await documentRunning(claim.documentId))) {
        // Its holder closed without finishing or releasing it (terminated, timed out): take it over,
        // only over the version read, so of several documents doing this at once exactly one wins.
        if (await writeClaim(key, mine, { ifMatch: claim.etag })) {
          log.warn('stale claim taken over', { checksum, from: claim.documentId });
          return { outcome: 'CLAIMED' };
        }
        continue;
      }
      return { outcome: 'HELD', original: { documentId: claim.documentId } };
    }
    throw new Error(`claim on ${checksum} keeps changing; retrying`);
  }

  /** Marks the claim completed with the output, so later duplicates finish at once. */
  async function completeClaim({ output, ...input }: ClaimInput & { output: S3Location }): Promise<void> {
    await writeClaim(claimKey(input), { documentId: input.documentId, state: 'COMPLETED', output }, 'always');
  }
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
