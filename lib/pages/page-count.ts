/**
 * Page counts read without loading a document in memory: a PDF's page tree seen as its bytes stream
 * past, a TIFF's IFD chain walked with small ranged reads. Used by the checksum pass to refuse a
 * document over a profile's `maxPages` before Textract is asked (and paid) to read it.
 */

/** How many bytes of the previous chunk are kept so a token split across chunks is still seen. */
const overlap = 4096;
const pageTreeCount =
  /\/Type\s*\/Pages\b[^>]{0,2000}?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]{0,2000}?\/Type\s*\/Pages\b/g;
const pageObject = /\/Type\s*\/Page(?![a-zA-Z])/g;

/**
 * Counts a PDF's pages from its bytes, chunk by chunk, in constant memory: the largest `/Count` of a
 * `/Type /Pages` node (the root of the page tree), else the number of `/Type /Page` objects. A PDF
 * whose page tree sits only in compressed object streams shows neither: {@link pages} is then
 * undefined (unknown), never a guess.
 */
export class PdfPageCounter {
  private tail = '';
  private maxCount = 0;
  private objects = 0;

  push(chunk: Uint8Array): void {
    // latin1 maps each byte to one character, so offsets and binary data stay harmless.
    const text = this.tail + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    const fresh = this.tail.length; // matches ending inside the kept tail were counted already
    for (const m of text.matchAll(pageTreeCount)) {
      const count = Number(m[1] ?? m[2]);
      if (count > this.maxCount) this.maxCount = count;
    }
    for (const m of text.matchAll(pageObject)) {
      if (m.index + m[0].length > fresh) this.objects += 1;
    }
    this.tail = text.slice(-overlap);
  }

  get pages(): number | undefined {
    if (this.maxCount > 0) return this.maxCount;
    return this.objects > 0 ? this.objects : undefined;
  }
}

/** Reads `length` bytes at `offset` (fewer at the end of the object). */
export type RangeReader = (offset: number, length: number) => Promise<Uint8Array>;

/** Where a TIFF's IFD chain walk stands: the next IFD's offset (0: the end) and the pages seen. */
export interface TiffWalk {
  little: boolean;
  next: number;
  pages: number;
}

/**
 * Follows a TIFF's IFD chain as the bytes stream past, holding at most one IFD: writers usually put
 * each IFD after the previous one, so most TIFFs are counted with no extra read. When the chain
 * points back to bytes already gone, {@link walk} says where to go on with {@link countTiffPages}.
 */
export class TiffPageCounter {
  private win: Buffer = Buffer.alloc(0);
  private winStart = 0;
  private state: TiffWalk | undefined;

  constructor(private readonly stopAfter: number) {}

  push(chunk: Uint8Array): void {
    const walk = this.state;
    // Done, or gone backwards (ranged reads take over): nothing more to hold.
    if (walk && (walk.next === 0 || walk.pages > this.stopAfter || walk.next < this.winStart)) return;
    this.win = this.win.length > 0 ? Buffer.concat([this.win, chunk]) : Buffer.from(chunk);
    for (;;) {
      if (!this.state) {
        if (this.win.length < 8) return;
        const little = this.win[0] === 0x49;
        this.state = { little, next: little ? this.win.readUInt32LE(4) : this.win.readUInt32BE(4), pages: 0 };
        continue;
      }
      const { next, little } = this.state;
      if (next === 0 || this.state.pages > this.stopAfter) return;
      if (next < this.winStart) return; // behind us: ranged reads after the stream
      const rel = next - this.winStart;
      if (rel >= this.win.length) {
        this.winStart += this.win.length;
        this.win = Buffer.alloc(0);
        return;
      }
      this.win = this.win.subarray(rel);
      this.winStart = next;
      if (this.win.length < 2) return;
      const entries = little ? this.win.readUInt16LE(0) : this.win.readUInt16BE(0);
      const end = 2 + entries * 12;
      if (this.win.length < end + 4) return;
      this.state.pages += 1;
      this.state.next = little ? this.win.readUInt32LE(end) : this.win.readUInt32BE(end);
      if (this.state.next !== 0 && this.state.next <= next) {
        // Backwards: fine for TIFF, but only ranged reads can follow it (a loop is caught there).
        this.win = Buffer.alloc(0);
        this.winStart = Number.MAX_SAFE_INTEGER;
      }
    }
  }

  /** Pages counted, or where the walk must go on; undefined when not even the header was seen. */
  get walk(): TiffWalk | undefined {
    return this.state && { ...this.state };
  }
}

/**
 * Counts a TIFF's pages (IFDs) by following the chain of IFD offsets with small reads, from the
 * header or from where a streamed walk stopped, stopping once more than `stopAfter` pages are seen
 * (enough to know the document is over a limit). Returns undefined when the chain is malformed (an
 * offset outside the file or a loop).
 */
export async function countTiffPages(
  read: RangeReader,
  size: number,
  stopAfter: number,
  from?: TiffWalk,
): Promise<number | undefined> {
  let little: boolean;
  let offset: number;
  let pages: number;
  if (from) {
    ({ little, next: offset, pages } = from);
  } else {
    const header = await read(0, 8);
    if (header.length < 8) return undefined;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    little = header[0] === 0x49;
    offset = view.getUint32(4, little);
    pages = 0;
  }
  const seen = new Set<number>();
  while (offset !== 0 && pages <= stopAfter) {
    if (offset + 2 > size || seen.has(offset)) return undefined;
    seen.add(offset);
    pages += 1;
    if (pages > stopAfter) return pages;
    const countBytes = await read(offset, 2);
    if (countBytes.length < 2) return undefined;
    const entries = new DataView(countBytes.buffer, countBytes.byteOffset, 2).getUint16(0, little);
    const next = await read(offset + 2 + entries * 12, 4);
    if (next.length < 4) return undefined;
    offset = new DataView(next.buffer, next.byteOffset, 4).getUint32(0, little);
  }
  return pages;
}
