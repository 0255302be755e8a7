import { checkDocument, sniffFormat } from '@docket/local/textract/documents';
import { TextractError } from '@docket/local/textract/errors';
import { readTiffInfo } from '@docket/local/textract/tiff';

const bytes = (...b: number[]) => Uint8Array.from([...b, ...new Array<number>(16).fill(0)]);

test.each([
  ['PDF', Buffer.from('%PDF-1.4\n')],
  ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
  ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0)],
  ['TIFF', bytes(0x49, 0x49, 0x2a, 0x00)],
  ['TIFF', bytes(0x4d, 0x4d, 0x00, 0x2a)],
])('%s is recognised by its content', (format, data) => {
  expect(sniffFormat(data)).toBe(format);
});

test('a PDF header after a little junk is still a PDF', () => {
  expect(sniffFormat(Buffer.from('\r\n\r\n%PDF-1.7\n'))).toBe('PDF');
});

test('text, zip and empty bytes are not documents', () => {
  for (const data of [Buffer.from('hello,world\n'), bytes(0x50, 0x4b, 0x03, 0x04), new Uint8Array()]) {
    expect(sniffFormat(data)).toBeUndefined();
    expect(() => checkDocument(data, 'async')).toThrow(TextractError);
  }
});

test('an image over 10 MB is too large; a PDF of the same size is not, asynchronously', () => {
  const big = new Uint8Array(10 * 1024 * 1024 + 1);
  big.set([0xff, 0xd8, 0xff]);
  expect(() => checkDocument(big, 'async')).toThrow(/maximum limit/);
  big.set(Buffer.from('%PDF-1.7'));
  expect(checkDocument(big, 'async')).toBe('PDF');
  expect(() => checkDocument(big, 'sync')).toThrow(/maximum limit/);
});

/** A little-endian TIFF with `pages` IFDs of one entry pair each (width, height). */
function tiff(pages: number, width: number, height: number): Uint8Array {
  const ifdSize = 2 + 2 * 12 + 4;
  const buf = Buffer.alloc(8 + pages * ifdSize);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  for (let p = 0; p < pages; p++) {
    const at = 8 + p * ifdSize;
    buf.writeUInt16LE(2, at);
    buf.writeUInt16LE(256, at + 2);
    buf.writeUInt16LE(3, at + 4);
    buf.writeUInt32LE(1, at + 6);
    buf.writeUInt16LE(width, at + 10);
    buf.writeUInt16LE(257, at + 14);
    buf.writeUInt16LE(4, at + 16);
    buf.writeUInt32LE(1, at + 18);
    buf.writeUInt32LE(height, at + 22);
    buf.writeUInt32LE(p + 1 < pages ? at + ifdSize : 0, at + 26);
  }
  return buf;
}

test('a multi-page TIFF reports its page count and first page size', () => {
  expect(readTiffInfo(tiff(3, 1700, 2200))).toEqual({ pages: 3, width: 1700, height: 2200 });
});

test('a TIFF whose IFD chain loops or runs off the end is corrupt', () => {
  const looping = Buffer.from(tiff(1, 10, 10));
  looping.writeUInt32LE(8, 8 + 2 + 24);
  expect(readTiffInfo(looping)).toBeUndefined();
  expect(readTiffInfo(tiff(1, 10, 10).subarray(0, 12))).toBeUndefined();
});
