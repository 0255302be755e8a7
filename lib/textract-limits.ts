/**
 * Textract's fixed limits for asynchronous operations, per document format, in one table.
 *
 * Source: Amazon Textract Developer Guide, "Set Quotas in Amazon Textract"
 * (https://docs.aws.amazon.com/textract/latest/dg/limits-document.html, read 2026-12-02): "For
 * asynchronous operations, JPEG and PNG files have a limit of 10 MB in memory. PDF and TIFF files
 * have a limit of 500 MB in memory and a limit of 3,000 pages." These limits cannot be raised.
 */

export type SupportedContentType = 'application/pdf' | 'image/tiff' | 'image/jpeg' | 'image/png';

export interface FormatLimit {
  /** Largest accepted object, in bytes (MB = 2^20 bytes). */
  maxBytes: number;
  /** Most pages Textract accepts in one asynchronous job. JPEG and PNG are one page. */
  maxPages: number;
}

const mb = 1024 * 1024;

/** @see the module comment for the source. */
export const textractAsyncLimits: Readonly<Record<SupportedContentType, FormatLimit>> = {
  'application/pdf': { maxBytes: 500 * mb, maxPages: 3000 },
  'image/tiff': { maxBytes: 500 * mb, maxPages: 3000 },
  'image/jpeg': { maxBytes: 10 * mb, maxPages: 1 },
  'image/png': { maxBytes: 10 * mb, maxPages: 1 },
};

/** The largest page limit of any format: a profile's `maxPages` default and upper bound. */
export const textractMaxPages = 3000;

/** The smallest size limit of any format: below it no document is too large whatever its format. */
export const smallestSizeLimit = 10 * mb;

/** Recognises the formats Textract accepts from their first bytes (16 are enough). */
export function sniffContentType(head: Uint8Array): SupportedContentType | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image/tiff';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return undefined;
}

/** "500 MB" for 524288000. */
export function formatBytes(bytes: number): string {
  return bytes % mb === 0 ? `${bytes / mb} MB` : `${bytes} bytes`;
}

/**
 * Why a document of this size and format is over Textract's limit, or undefined when it is within.
 * The message names the limit and its unit, never the document.
 */
export function sizeProblem(contentType: SupportedContentType, size: number): string | undefined {
  const { maxBytes } = textractAsyncLimits[contentType];
  if (size <= maxBytes) return undefined;
  return `${size} bytes is over Textract's asynchronous limit for ${contentType} (${formatBytes(maxBytes)})`;
}
