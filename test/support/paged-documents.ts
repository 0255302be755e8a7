// Documents with a known page count and nothing else: enough for docket's page counting, which reads
// the PDF page tree and the TIFF IFD chain. Random bytes make each unique (no DUPLICATE of another run).
import { randomBytes } from 'node:crypto';

/** A PDF of `pages` blank pages (page tree with /Count, one /Type /Page object per page). */
export function pagedPdf(pages: number): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    `2 0 obj << /Type /Pages /Kids [${kids}] /Count ${pages} >> endobj`,
    ...Array.from(
      { length: pages },
      (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj`,
    ),
  ];
  return Buffer.from(
    `%PDF-1.4\n%${randomBytes(8).toString('hex')}\n${objects.join('\n')}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}

/** A little-endian TIFF of `pages` IFDs (one 1×1 ImageWidth entry each), random bytes after them. */
export function pagedTiff(pages: number): Buffer {
  const ifdSize = 2 + 12 + 4;
  const buf = Buffer.alloc(8 + pages * ifdSize);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  for (let i = 0; i < pages; i++) {
    const at = 8 + i * ifdSize;
    buf.writeUInt16LE(1, at);
    buf.writeUInt16LE(256, at + 2); // ImageWidth
    buf.writeUInt16LE(3, at + 4); // SHORT
    buf.writeUInt32LE(1, at + 6);
    buf.writeUInt32LE(1, at + 10);
    buf.writeUInt32LE(i + 1 < pages ? at + ifdSize : 0, at + 14);
  }
  return Buffer.concat([buf, randomBytes(64)]);
}
