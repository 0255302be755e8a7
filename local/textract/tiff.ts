/** Just enough TIFF parsing to count pages and size the first one; the OCR engine decodes the pixels. */

export interface TiffInfo {
  pages: number;
  width: number;
  height: number;
}

const tagWidth = 256;
const tagHeight = 257;

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
