/**
 * Loading documents: S3 reads with Textract's error mapping, content sniffing (never by file name),
 * and the size limits of the sync and async APIs.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TextractError, TextractErrorName } from './errors';
import type { S3ObjectRef } from './validation';

export const DocumentFormat = { PDF: 'PDF', PNG: 'PNG', JPEG: 'JPEG', TIFF: 'TIFF' } as const;
export type DocumentFormat = (typeof DocumentFormat)[keyof typeof DocumentFormat];

/** Textract's published limits. */
export const limits = {
  asyncPdfBytes: 500 * 1024 * 1024,
  asyncPages: 3000,
  imageBytes: 10 * 1024 * 1024,
  syncBytes: 10 * 1024 * 1024,
  /** Images (and TIFF pages) may be at most this many pixels on each side. */
  imageSide: 10_000,
} as const;

/**
 * The pixel size a PNG or JPEG declares in its header, read without decoding it: a small file can
 * declare a page that would take gigabytes to decode. Undefined when the header cannot be found.
 */
export function imageSize(
  bytes: Uint8Array,
  format: DocumentFormat,
): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (format === DocumentFormat.PNG) return { width: view.getUint32(16), height: view.getUint32(20) };
    if (format !== DocumentFormat.JPEG) return undefined;
    // Walk the markers to the first start-of-frame (SOF0..SOF15 but DHT, JPG and DAC).
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1] ?? 0;
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
      }
      at += 2 + view.getUint16(at + 2);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Recognises a document by its first bytes; undefined for anything Textract does not accept. */
export function sniffFormat(bytes: Uint8Array): DocumentFormat | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return DocumentFormat.PDF; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return DocumentFormat.PNG;
  if (starts(0xff, 0xd8, 0xff)) return DocumentFormat.JPEG;
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return DocumentFormat.TIFF;
  // Some producers put a few bytes of junk before the PDF header; readers accept it within 1 KiB.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return DocumentFormat.PDF;
  return undefined;
}

/** Throws the Textract error for bytes that are not a supported document or are over the limits. */
export function checkDocument(bytes: Uint8Array, mode: 'sync' | 'async'): DocumentFormat {
  const format = sniffFormat(bytes);
  if (!format) {
    throw new TextractError(
      TextractErrorName.UnsupportedDocument,
      'Request has unsupported document format: expected PDF, PNG, JPEG or TIFF content',
    );
  }
  const max =
    mode === 'sync'
      ? limits.syncBytes
      : format === DocumentFormat.PDF || format === DocumentFormat.TIFF
        ? limits.asyncPdfBytes
        : limits.imageBytes;
  if (bytes.length > max) {
    throw new TextractError(
      TextractErrorName.DocumentTooLarge,
      `S3 object size ${bytes.length} is more than the maximum limit ${max} for a ${format} document`,
    );
  }
  return format;
}

/** Reads an S3 object, mapping a missing bucket, key or version to InvalidS3ObjectException. */
export async function readS3Document(s3: S3Client, ref: S3ObjectRef): Promise<Buffer> {
  try {
    const res = await s3.send(
      new GetObjectCommand({
        Bucket: ref.bucket,
        Key: ref.name,
        ...(ref.version ? { VersionId: ref.version } : {}),
      }),
    );
    if (!res.Body) throw new Error('empty body');
    return Buffer.from(await res.Body.transformToByteArray());
  } catch (err) {
    const name = (err as Error).name;
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      throw new TextractError(
        TextractErrorName.InvalidS3Object,
        `Unable to get object metadata from S3. Check object key, region and/or access permissions (${name}).`,
      );
    }
    throw new TextractError(
      TextractErrorName.InternalServerError,
      `could not read the document from S3 (${name})`,
    );
  }
}
