// S3 activities: streamed checksum with content sniffing, and the race-safe dedup claim.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Context, log } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  type DocumentSource,
  documentWorkflowId,
  type DuplicateOf,
  FailureType,
  type S3Location,
} from '../lib/contract';
import { classified, classifyAwsError, isNotFoundError } from '../lib/aws/errors';

export interface ChecksumInput {
  source: DocumentSource;
  /**
   * Most pages the document may have (the profile's maxPages); more fails with TooManyPages.
   * @default Textract's asynchronous limit for the format
   */
  maxPages?: number;
}

export interface ChecksumResult {
  /** Lower-case hex SHA-256 of the object's bytes. */
  checksum: string;
  size: number;
  /** Detected from the bytes, not from the object's metadata. */
  contentType: SupportedContentType;
  /** Pages counted from the bytes (PDF page tree, TIFF IFDs; 1 for JPEG/PNG); absent when unknown. */
  pages?: number;
}

import { countTiffPages, PdfPageCounter, TiffPageCounter } from '../lib/pages/page-count';
import {
  sizeProblem,
  sniffContentType,
  type SupportedContentType,
  textractAsyncLimits,
} from '../lib/textract-limits';

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
}

export type ClaimResult =
  | { outcome: 'CLAIMED' }
  | { outcome: 'HELD'; original: { documentId: string } }
  | { outcome: 'COMPLETED'; original: DuplicateOf };

export interface ChecksumAndClaimInput extends ChecksumInput {
  documentId: string;
}

export interface ChecksumAndClaimResult extends ChecksumResult {
  claim: ClaimResult;
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

/** Heartbeat at most once per this many bytes while hashing, so a stuck read is noticed. */
const heartbeatEveryBytes = 8 * 1024 * 1024;

export function createS3Activities({
  s3,
  resultsBucket,
  claimPrefix = 'claims',
  documentRunning = documentRunningInTemporal,
}: S3ActivitiesOptions) {
  const claimKey = (checksum: string) => `${claimPrefix}/${checksum}.json`;

  async function readClaim(checksum: string): Promise<(ClaimRecord & { etag?: string }) | undefined> {
    try {
      const res = await s3.send(new GetObjectCommand({ Bucket: resultsBucket, Key: claimKey(checksum) }));
      const record = JSON.parse((await res.Body?.transformToString()) ?? '') as ClaimRecord;
      return { ...record, etag: res.ETag };
    } catch (err) {
      if (isNotFoundError(err)) return undefined;
      throw classifyAwsError(err, `reading claim s3://${resultsBucket}/${claimKey(checksum)}`);
    }
  }

  /**
   * Writes the claim: only if absent (`If-None-Match: *`), only over the version read (`If-Match`),
   * or unconditionally. A conditional write that loses its race returns false.
   */
  async function writeClaim(
    checksum: string,
    record: ClaimRecord,
    condition: { ifAbsent: true } | { ifMatch: string } | 'always',
  ): Promise<boolean> {
    const conditional = condition !== 'always';
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: resultsBucket,
          Key: claimKey(checksum),
          Body: JSON.stringify({ documentId: record.documentId, state: record.state, output: record.output }),
          ContentType: 'application/json',
          IfNoneMatch: conditional && 'ifAbsent' in condition ? '*' : undefined,
          IfMatch: conditional && 'ifMatch' in condition ? condition.ifMatch : undefined,
        }),
      );
      return true;
    } catch (err) {
      if (conditional && httpStatus(err) === 412) return false;
      throw classifyAwsError(err, `writing claim s3://${resultsBucket}/${claimKey(checksum)}`);
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
    }: ChecksumAndClaimInput): Promise<ChecksumAndClaimResult> => {
      const sum = await computeChecksum({ source, maxPages });
      return { ...sum, claim: await claimDocument({ documentId, checksum: sum.checksum }) };
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
    releaseClaim: async ({ documentId, checksum }: ClaimInput): Promise<void> => {
      const claim = await readClaim(checksum);
      if (claim?.documentId !== documentId || claim.state !== 'PROCESSING') return;
      await classified(`releasing claim ${claimKey(checksum)}`, () =>
        s3.send(new DeleteObjectCommand({ Bucket: resultsBucket, Key: claimKey(checksum) })),
      );
    },

    completeClaim,
  };

  /**
   * SHA-256, size and content type of the source object, streamed in constant memory. Missing,
   * empty, unsupported or too large objects fail without retry.
   */
  async function computeChecksum({ source, maxPages }: ChecksumInput): Promise<ChecksumResult> {
    const ctx = Context.current();
    // Failure messages reach the history, `status` and worker logs in the clear: the bucket and version
    // only, never the key (keys and file names are often personal data; the input still has them).
    const where = `the source object in bucket ${source.bucket}${source.versionId ? ` (version ${source.versionId})` : ''}`;
    let body: Readable;
    let contentLength: number | undefined;
    try {
      const res = await s3.send(
        new GetObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: source.versionId }),
        { abortSignal: ctx.cancellationSignal },
      );
      body = res.Body as Readable;
      contentLength = res.ContentLength;
    } catch (err) {
      if (isNotFoundError(err)) {
        throw ApplicationFailure.create({
          type: FailureType.DOCUMENT_NOT_FOUND,
          nonRetryable: true,
          message: `${where} does not exist: check the bucket, the key and the version`,
        });
      }
      throw classifyAwsError(err, `reading ${where}`);
    }
    const tooLarge = (type: SupportedContentType, size: number) => {
      const problem = sizeProblem(type, size);
      if (!problem) return;
      body.destroy();
      throw ApplicationFailure.create({
        type: FailureType.DOCUMENT_TOO_LARGE,
        nonRetryable: true,
        message: `${where}: ${problem}`,
      });
    };
    const hash = createHash('sha256');
    let size = 0;
    let head: Uint8Array = new Uint8Array(0);
    let contentType: SupportedContentType | undefined;
    const pdfPages = new PdfPageCounter();
    // Stops one page past the largest limit that can apply; the format's own is known once sniffed.
    const tiffPages = new TiffPageCounter(
      Math.min(maxPages ?? Infinity, textractAsyncLimits['image/tiff'].maxPages),
    );
    let sinceHeartbeat = 0;
    const countChunk = (chunk: Uint8Array) => {
      if (contentType === 'application/pdf') pdfPages.push(chunk);
      else if (contentType === 'image/tiff') tiffPages.push(chunk);
    };
    // The chunks read before the format is known: the page counters need every byte from the first.
    let beforeSniff: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      if (!contentType && head.length < 16) {
        head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
        beforeSniff.push(chunk);
        // Refuse an oversized object as soon as its format is known, not after reading 500 MB.
        if (head.length >= 16) {
          contentType = sniffContentType(head);
          if (contentType && contentLength !== undefined) tooLarge(contentType, contentLength);
          beforeSniff.forEach(countChunk);
          beforeSniff = [];
        }
      } else {
        countChunk(chunk);
      }
      hash.update(chunk);
      size += chunk.length;
      if (contentType) tooLarge(contentType, size);
      sinceHeartbeat += chunk.length;
      if (sinceHeartbeat >= heartbeatEveryBytes) {
        sinceHeartbeat = 0;
        ctx.heartbeat({ bytesRead: size });
      }
    }
    if (size === 0) {
      throw ApplicationFailure.create({
        type: FailureType.DOCUMENT_EMPTY,
        nonRetryable: true,
        message: `${where} is empty (0 bytes): upload the document again`,
      });
    }
    contentType ??= sniffContentType(head);
    if (!contentType) {
      throw ApplicationFailure.create({
        type: FailureType.DOCUMENT_UNSUPPORTED,
        nonRetryable: true,
        message: `${where} is not a PDF, TIFF, JPEG or PNG document: Textract cannot process it`,
      });
    }
    tooLarge(contentType, size);
    const limit = Math.min(maxPages ?? Infinity, textractAsyncLimits[contentType].maxPages);
    const pages = await countPages(source, contentType, size, { pdf: pdfPages, tiff: tiffPages }, limit);
    if (pages !== undefined && pages > limit) {
      const byProfile = maxPages !== undefined && maxPages < textractAsyncLimits[contentType].maxPages;
      // A TIFF's chain is walked only one page past the limit: say "more than" rather than a count.
      const count = contentType === 'image/tiff' ? `more than ${limit}` : String(pages);
      throw ApplicationFailure.create({
        type: FailureType.TOO_MANY_PAGES,
        nonRetryable: true,
        message: `${where} has ${count} pages; ${byProfile ? "the profile's maxPages" : "Textract's asynchronous limit"} is ${limit}`,
      });
    }
    const checksum = hash.digest('hex');
    log.info('document checksummed', { size, contentType, pages });
    return { checksum, size, contentType, ...(pages !== undefined ? { pages } : {}) };
  }

  /**
   * Pages of the document: from the streamed PDF or TIFF; a TIFF whose IFD chain points back to bytes
   * already streamed is followed on with small ranged reads. 1 for JPEG and PNG.
   */
  async function countPages(
    source: DocumentSource,
    contentType: SupportedContentType,
    size: number,
    counters: { pdf: PdfPageCounter; tiff: TiffPageCounter },
    limit: number,
  ): Promise<number | undefined> {
    if (contentType === 'application/pdf') return counters.pdf.pages;
    if (contentType !== 'image/tiff') return 1;
    const walk = counters.tiff.walk;
    if (walk && (walk.next === 0 || walk.pages > limit)) return walk.pages;
    const read = async (offset: number, length: number): Promise<Uint8Array> => {
      const end = Math.min(offset + length, size) - 1;
      if (end < offset) return new Uint8Array(0);
      const res = await classified('reading the source TIFF', () =>
        s3.send(
          new GetObjectCommand({
            Bucket: source.bucket,
            Key: source.key,
            VersionId: source.versionId,
            Range: `bytes=${offset}-${end}`,
          }),
        ),
      );
      return (await res.Body?.transformToByteArray()) ?? new Uint8Array(0);
    };
    return countTiffPages(read, size, limit, walk);
  }

  /**
   * Claims the checksum for this document with a create-if-absent write, so two documents with the
   * same bytes can never both process them. Idempotent for the same document.
   */
  async function claimDocument({ documentId, checksum }: ClaimInput): Promise<ClaimResult> {
    // A few rounds because a claim can be released between our failed create and our read.
    for (let round = 0; round < 3; round++) {
      const mine: ClaimRecord = { documentId, state: 'PROCESSING' };
      if (await writeClaim(checksum, mine, { ifAbsent: true })) return { outcome: 'CLAIMED' };
      const claim = await readClaim(checksum);
      if (!claim) continue;
      if (claim.documentId === documentId) return { outcome: 'CLAIMED' };
      if (claim.state === 'COMPLETED' && claim.output) {
        return { outcome: 'COMPLETED', original: { documentId: claim.documentId, output: claim.output } };
      }
      if (claim.etag && !(await documentRunning(claim.documentId))) {
        // Its holder closed without finishing or releasing it (terminated, timed out): take it over,
        // only over the version read, so of several documents doing this at once exactly one wins.
        if (await writeClaim(checksum, mine, { ifMatch: claim.etag })) {
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
  async function completeClaim({
    documentId,
    checksum,
    output,
  }: ClaimInput & { output: S3Location }): Promise<void> {
    await writeClaim(checksum, { documentId, state: 'COMPLETED', output }, 'always');
  }
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
