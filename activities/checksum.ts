/*
 * The streamed checksum of a source object: SHA-256, size, the content type sniffed from its first
 * bytes and its page count, in constant memory; refuses missing, empty, unsupported, too large and
 * too long documents without retry. Part of the S3 activities (activities/s3.ts).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type DocumentSource, FailureType } from '../lib/contract';
import { classified, classifyAwsError, isNotFoundError } from '../lib/aws/errors';
import { countTiffPages, PdfPageCounter, TiffPageCounter } from '../lib/pages/page-count';
import {
  sizeProblem,
  sniffContentType,
  type SupportedContentType,
  textractAsyncLimits,
} from '../lib/textract-limits';

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

/** Heartbeat at most once per this many bytes while hashing, so a stuck read is noticed. */
const heartbeatEveryBytes = 8 * 1024 * 1024;

/** The checksum activity's function, reading sources with this client. */
export function createChecksum(s3: S3Client): (input: ChecksumInput) => Promise<ChecksumResult> {
  return computeChecksum;

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
}
