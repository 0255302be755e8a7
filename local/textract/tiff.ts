/**
 * TIFF documents: the IFD chain is walked here to count and check pages; pixels are decoded one page
 * at a time by utif2 (uncompressed, PackBits, LZW, Deflate, CCITT G3/G4 and JPEG strips or tiles).
 */
import { decode, decodeImage, toRGBA8, type IFD } from 'utif2';

export interface TiffInfo {
  pages: number;
  width: number;
  height: number;
}

/** One decoded page, with the vertical stretch that makes its pixels square (fax modes are not). */
export interface TiffPage {
  rgba: Uint8Array;
  width: number;
  height: number;
  yStretch: number;
}

const tagWidth = 256;
const tagHeight = 257;

/** Compression schemes utif2 decodes; anything else would come back as a blank page. */
const decodable = new Map<number, string>([
  [1, 'none'],
  [2, 'CCITT RLE'],
  [3, 'CCITT G3'],
  [4, 'CCITT G4'],
  [5, 'LZW'],
  [6, 'old-style JPEG'],
  [7, 'JPEG'],
  [8, 'Deflate'],
  [32773, 'PackBits'],
  [32946, 'Deflate'],
]);

/** Reads the IFD chain; undefined when the structure is broken (a corrupt document). */
export function readTiffInfo(bytes: Uint8Array): TiffInfo | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  try {
    let offset = u32(4);
    let pages = 0;
    let width = 0;
    let height = 0;
    const seen = new Set<number>();
    while (offset !== 0) {
      if (seen.has(offset) || offset + 2 > bytes.length) return undefined;
      seen.add(offset);
      const entries = u16(offset);
      if (pages === 0) {
        for (let i = 0; i < entries; i++) {
          const at = offset + 2 + i * 12;
          const tag = u16(at);
          const type = u16(at + 2);
          const value = type === 3 ? u16(at + 8) : u32(at + 8);
          if (tag === tagWidth) width = value;
          if (tag === tagHeight) height = value;
        }
      }
      pages++;
      offset = u32(offset + 2 + entries * 12);
    }
    return pages > 0 && width > 0 && height > 0 ? { pages, width, height } : undefined;
  } catch {
    return undefined;
  }
}

/** Why a TIFF page cannot be read: corrupt data, or a format the decoder does not know. */
export class TiffPageError extends Error {
  constructor(
    message: string,
    readonly unsupported: boolean,
  ) {
    super(message);
  }
}

/**
 * The pages of a TIFF whose IFD chain `readTiffInfo` has accepted (utif2 would loop forever on a
 * circular chain). Only the directories are parsed up front; each page's pixels are decoded when asked
 * for, so a long fax costs one page of memory at a time.
 */
export class TiffDocument {
  private readonly buffer: ArrayBuffer;
  private readonly ifds: IFD[];

  constructor(bytes: Uint8Array) {
    // utif2 reads offsets from the start of the ArrayBuffer, so the TIFF must begin it.
    this.buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : new Uint8Array(bytes).buffer; // a copy: Buffer#slice would share the pooled buffer
    this.ifds = decode(this.buffer);
  }

  get pages(): number {
    return this.ifds.length;
  }

  /** Decodes page `index` (0-based) to RGBA. */
  page(index: number): TiffPage {
    const ifd = this.ifds[index];
    if (!ifd) throw new TiffPageError(`page ${index + 1} has no image directory`, false);
    const width = first(ifd.t256);
    const height = first(ifd.t257);
    if (!width || !height) throw new TiffPageError(`page ${index + 1} has no image size`, false);
    const compression = first(ifd.t259) ?? 1;
    if (!decodable.has(compression)) {
      throw new TiffPageError(`page ${index + 1} uses TIFF compression ${compression}`, true);
    }
    let rgba: Uint8Array;
    try {
      decodeImage(this.buffer, ifd);
      rgba = toRGBA8(ifd);
    } catch (err) {
      throw new TiffPageError(`page ${index + 1} could not be decoded: ${String(err)}`, false);
    } finally {
      // The page's decoded samples are kept on the IFD by utif2; drop them once converted.
      delete (ifd as Partial<IFD>).data;
    }
    if (rgba.length < width * height * 4) {
      throw new TiffPageError(`page ${index + 1} has fewer pixels than its size says`, false);
    }
    const xRes = rational(ifd.t282);
    const yRes = rational(ifd.t283);
    const stretch = xRes && yRes ? xRes / yRes : 1;
    return { rgba, width, height, yStretch: Math.abs(stretch - 1) > 0.1 ? stretch : 1 };
  }
}

function first(tag: unknown): number | undefined {
  return Array.isArray(tag) && typeof tag[0] === 'number' ? tag[0] : undefined;
}

/** A RATIONAL tag as utif2 returns it: [[numerator, denominator]]. */
function rational(tag: unknown): number | undefined {
  if (!Array.isArray(tag) || !Array.isArray(tag[0])) return undefined;
  const [num, den] = tag[0] as number[];
  return num && den ? num / den : undefined;
}
