/**
 * TIFF documents: the directory structure is walked and checked here (page count, every tag's values
 * and every strip inside the file); pixels are decoded one page at a time by utif2, for the pixel
 * formats it is known to decode correctly. Anything else is refused by name rather than read wrong.
 * Shared by the review desk (page images) and the local Textract (OCR), which imports it from here.
 */
import { decode, decodeImage, toRGBA8, type IFD } from 'utif2';

/** Most pixels a TIFF page may have on a side before it is refused as too large. @default 10_000 */
export const defaultTiffMaxSide = 10_000;

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

const tag = {
  width: 256,
  height: 257,
  stripOffsets: 273,
  stripByteCounts: 279,
  tileOffsets: 324,
  tileByteCounts: 325,
  subIfds: 330,
  exifIfd: 34665,
  gpsIfd: 34853,
} as const;

/** The tags whose values the structure check reads. */
const kept = new Set<number>([
  tag.width,
  tag.height,
  tag.stripOffsets,
  tag.stripByteCounts,
  tag.tileOffsets,
  tag.tileByteCounts,
]);

/**
 * Most values one tag may hold, raw bytes apart. A 10,000-pixel page in 16-pixel tiles has 390,625;
 * a 500 MB file could claim 125 million, which utif2 would turn into a JS array of that length.
 */
const maxValues = 1_000_000;

/** Bytes per value of each TIFF field type (TIFF 6 and BigTIFF's 8-byte integers). */
const typeSize: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

/** Compression schemes utif2 decodes. */
const compressions = new Map<number, string>([
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

/**
 * Reads and checks the directory chain: every tag's values and every strip or tile must lie inside
 * the file. Undefined when anything does not (a corrupt document); utif2 itself would loop forever on
 * a circular chain and run out of memory on a tag claiming billions of values.
 */
export function readTiffInfo(bytes: Uint8Array): TiffInfo | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 0x49;
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  const fits = (at: number, length: number) => at >= 0 && length >= 0 && at + length <= bytes.length;
  /** The integer values of a SHORT or LONG entry. */
  const values = (entry: number): number[] => {
    const type = u16(entry + 2);
    const count = u32(entry + 4);
    const size = type === 3 ? 2 : 4;
    const at = count * size <= 4 ? entry + 8 : u32(entry + 8);
    return Array.from({ length: count }, (_, i) => (type === 3 ? u16(at + i * 2) : u32(at + i * 4)));
  };
  const seen = new Set<number>();
  /** Checks one directory (and the sub-directories it points at); returns its tags' first values. */
  const check = (offset: number, depth: number): Map<number, number[]> | undefined => {
    if (seen.has(offset) || !fits(offset, 2)) return undefined;
    seen.add(offset);
    const entries = u16(offset);
    if (!fits(offset + 2, entries * 12 + 4)) return undefined;
    const tags = new Map<number, number[]>();
    for (let i = 0; i < entries; i++) {
      const entry = offset + 2 + i * 12;
      const type = u16(entry + 2);
      const count = u32(entry + 4);
      const size = typeSize[type];
      if (size === undefined) continue; // utif2 skips types it does not know
      const length = count * size;
      if (length > 4 && !fits(u32(entry + 8), length)) return undefined;
      // utif2 turns every value but raw bytes into a JS array element (or a string character).
      if (type !== 1 && type !== 7 && count > maxValues) return undefined;
      const id = u16(entry);
      if ((type === 3 || type === 4) && kept.has(id)) tags.set(id, values(entry));
      if (id === tag.subIfds || id === tag.exifIfd || id === tag.gpsIfd) {
        if (depth >= 2) return undefined;
        const pointers = type === 3 || type === 4 || type === 13 ? values(entry) : [];
        for (const p of pointers) if (!check(p, depth + 1)) return undefined;
      }
    }
    const offsets = tags.get(tag.stripOffsets) ?? tags.get(tag.tileOffsets) ?? [];
    const counts = tags.get(tag.stripByteCounts) ?? tags.get(tag.tileByteCounts) ?? [];
    for (let i = 0; i < offsets.length; i++) {
      const count = counts[i];
      if (count !== undefined && !fits(offsets[i] ?? 0, count)) return undefined;
    }
    return tags;
  };
  try {
    let offset = u32(4);
    let pages = 0;
    let width = 0;
    let height = 0;
    while (offset !== 0) {
      const tags = check(offset, 0);
      if (!tags) return undefined;
      if (pages === 0) {
        width = tags.get(tag.width)?.[0] ?? 0;
        height = tags.get(tag.height)?.[0] ?? 0;
      }
      pages++;
      offset = u32(offset + 2 + u16(offset) * 12);
    }
    return pages > 0 && width > 0 && height > 0 ? { pages, width, height } : undefined;
  } catch {
    return undefined;
  }
}

/** Why a TIFF page cannot be read: corrupt, too large, or a format the decoder does not know. */
export class TiffPageError extends Error {
  constructor(
    message: string,
    readonly reason: 'corrupt' | 'unsupported' | 'tooLarge',
  ) {
    super(message);
  }
}

/**
 * The pages of a TIFF whose structure `readTiffInfo` has accepted. Only the directories are parsed up
 * front; each page's pixels are decoded when asked for.
 */
export class TiffDocument {
  private readonly buffer: ArrayBuffer;
  private readonly ifds: IFD[];

  /** @param maxSide most pixels a page may have on either side; larger pages are refused. */
  constructor(
    bytes: Uint8Array,
    private readonly maxSide: number = defaultTiffMaxSide,
  ) {
    // utif2 reads offsets from the start of the ArrayBuffer, so the TIFF must begin it.
    this.buffer =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : new Uint8Array(bytes).buffer; // a copy: Buffer#slice would share the pooled buffer
    // Maker notes are camera data; parsing them only adds ways to fail.
    const parse = decode as unknown as (b: ArrayBuffer, p: { parseMN: boolean; debug: boolean }) => IFD[];
    try {
      this.ifds = parse(this.buffer, { parseMN: false, debug: false });
    } catch (err) {
      throw new TiffPageError(`directories could not be read: ${String(err)}`, 'corrupt');
    }
  }

  get pages(): number {
    return this.ifds.length;
  }

  /** Decodes page `index` (0-based) to RGBA. */
  page(index: number): TiffPage {
    const n = index + 1;
    const ifd = this.ifds[index];
    if (!ifd) throw new TiffPageError(`page ${n} has no image directory`, 'corrupt');
    const width = first(ifd.t256);
    const height = first(ifd.t257);
    if (!width || !height) throw new TiffPageError(`page ${n} has no image size`, 'corrupt');
    if (width > this.maxSide || height > this.maxSide) {
      throw new TiffPageError(
        `page ${n} is ${width}x${height} pixels, more than ${this.maxSide} on a side`,
        'tooLarge',
      );
    }
    const why = unsupported(ifd);
    if (why) throw new TiffPageError(`page ${n} ${why}`, 'unsupported');
    let rgba: Uint8Array;
    try {
      decodeImage(this.buffer, ifd);
      rgba = toRGBA8(ifd);
    } catch (err) {
      throw new TiffPageError(`page ${n} could not be decoded: ${String(err)}`, 'corrupt');
    } finally {
      // The page's decoded samples are kept on the IFD by utif2; drop them once converted.
      delete (ifd as Partial<IFD>).data;
    }
    const xRes = rational(ifd.t282);
    const yRes = rational(ifd.t283);
    const stretch = xRes && yRes ? xRes / yRes : 1;
    return { rgba, width, height, yStretch: Math.abs(stretch - 1) > 0.1 ? stretch : 1 };
  }
}

/**
 * Uncompressed-or-lossless pixel formats utif2 converts right, by photometric interpretation: 0 and 1
 * grey (0 is white, 1 is black; 8-bit grey may carry extra samples, such as alpha), 2 RGB(A), 3 palette.
 * No `samples` means any number.
 */
const decodedFormats: Record<number, { samples?: number[]; bits: number[] }[]> = {
  0: [{ samples: [1], bits: [1, 4, 8, 16] }],
  1: [
    { samples: [1], bits: [1, 2, 8, 16] },
    { bits: [8] }, // any number of samples: the first is read
  ],
  2: [{ samples: [3, 4], bits: [8, 16] }],
  3: [{ samples: [1], bits: [1, 2, 4, 8] }],
};

/**
 * Why utif2 would misread this page, if it would: it outputs blank pages for some bit depths, stripes
 * for greyscale JPEG, and cannot convert CMYK or planar samples. Only what it decodes right passes.
 */
function unsupported(ifd: IFD): string | undefined {
  const compression = first(ifd.t259) ?? 1;
  const bits = first(ifd.t258) ?? 1;
  const samples = first(ifd.t277) ?? 1;
  const photometric = first(ifd.t262) ?? (bits === 1 ? 0 : 2);
  const describe = `photometric ${photometric}, ${samples} sample(s) of ${bits} bit(s)`;
  if (!compressions.has(compression)) return `uses TIFF compression ${compression}`;
  if (samples > 1 && first(ifd.t284) === 2) return `stores its colour planes separately (${describe})`;
  const jpeg = compression === 6 || compression === 7;
  const ok = jpeg
    ? samples === 3 && bits === 8 && (photometric === 2 || photometric === 6)
    : (decodedFormats[photometric] ?? []).some(
        (f) => (f.samples?.includes(samples) ?? true) && f.bits.includes(bits),
      );
  return ok
    ? undefined
    : `has a pixel format this service does not decode (${describe}, ${compressions.get(compression)} compression)`;
}

function first(value: unknown): number | undefined {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : undefined;
}

/** A RATIONAL tag as utif2 returns it: [[numerator, denominator]]. */
function rational(value: unknown): number | undefined {
  if (!Array.isArray(value) || !Array.isArray(value[0])) return undefined;
  const [num, den] = value[0] as number[];
  return num && den ? num / den : undefined;
}
