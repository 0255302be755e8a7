import { checkDocument, sniffFormat } from '../../local/textract/documents';
import { TextractError } from '../../local/textract/errors';
import { readTiffInfo, TiffDocument, TiffPageError } from '../../local/textract/tiff';
import { writeTiff } from '../fixtures/textract/tiff-writer';

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

/** A grey page with a gradient, long flat runs and a dark bar: every PackBits case. */
function greyPage(width: number, height: number, seed: number) {
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      grey[y * width + x] = x < width / 3 ? (x * 7 + y * 3 + seed) % 256 : y % 5 === 0 ? 20 : 235;
  return { grey, width, height };
}

const luminance = (rgba: Uint8Array) => rgba.filter((_, i) => i % 4 === 0);

test('every page of a TIFF decodes to its own pixels, uncompressed or PackBits', () => {
  const one = greyPage(40, 30, 1);
  const two = greyPage(57, 21, 9);
  const doc = new TiffDocument(writeTiff([one, { ...two, compression: 'packbits' }]));
  expect(doc.pages).toBe(2);
  const first = doc.page(0);
  expect([first.width, first.height, first.yStretch]).toEqual([40, 30, 1]);
  expect(luminance(first.rgba)).toEqual(one.grey);
  const second = doc.page(1);
  expect([second.width, second.height]).toEqual([57, 21]);
  expect(luminance(second.rgba)).toEqual(two.grey);
  expect(second.rgba.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
});

test('a fax page at 204x98 dpi is stretched to square pixels; 204x196 dpi is left alone', () => {
  const normal = new TiffDocument(writeTiff([{ ...greyPage(16, 8, 0), dpi: [204, 98] }]));
  expect(normal.page(0).yStretch).toBeCloseTo(204 / 98);
  const fine = new TiffDocument(writeTiff([{ ...greyPage(16, 8, 0), dpi: [204, 196] }]));
  expect(fine.page(0).yStretch).toBe(1);
});

test('a TIFF page in a compression the decoder lacks is refused by name, not read as blank', () => {
  const doc = new TiffDocument(
    writeTiff([greyPage(8, 8, 0), { ...greyPage(8, 8, 0), compression: 'jpeg2000' }]),
  );
  expect(luminance(doc.page(0).rgba)).toEqual(greyPage(8, 8, 0).grey);
  let error: unknown;
  try {
    doc.page(1);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(TiffPageError);
  expect((error as TiffPageError).unsupported).toBe(true);
  expect((error as TiffPageError).message).toBe('page 2 uses TIFF compression 34712');
});
