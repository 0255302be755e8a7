/**
 * TIFF pages as scanners and fax servers write them: decoded to the pixels written, in every encoding
 * the service claims; refused by name when the decoder would misread them; never allowed to take the
 * service down when their directories lie.
 */
import { createCanvas } from '@napi-rs/canvas';
import { DocumentFormat, imageSize } from '@docket/local/textract/documents';
import { readTiffInfo, TiffDocument, TiffPageError } from '@docket/local/textract/tiff';
import { writeTiff, type TiffPageSpec } from '../fixtures/textract/tiff-writer';

/** A grey page with a gradient, long flat runs and dark bars: every PackBits and LZW case. */
function greyPage(width: number, height: number, seed: number) {
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      grey[y * width + x] = x < width / 3 ? (x * 7 + y * 3 + seed) % 256 : y % 5 === 0 ? 20 : 235;
  return { grey, width, height };
}

const luminance = (rgba: Uint8Array) => rgba.filter((_, i) => i % 4 === 0);

function failure(run: () => unknown): TiffPageError {
  try {
    run();
  } catch (err) {
    if (err instanceof TiffPageError) return err;
    throw err;
  }
  throw new Error('expected a TiffPageError');
}

test.each(['none', 'packbits', 'lzw', 'deflate'] as const)(
  'every page of a TIFF decodes to the pixels written (%s)',
  (compression) => {
    const one = greyPage(40, 30, 1);
    const two = greyPage(257, 61, 9);
    const doc = new TiffDocument(
      writeTiff([
        { ...one, compression },
        { ...two, compression },
      ]),
    );
    expect(doc.pages).toBe(2);
    const first = doc.page(0);
    expect([first.width, first.height, first.yStretch]).toEqual([40, 30, 1]);
    expect(luminance(first.rgba)).toEqual(one.grey);
    const second = doc.page(1);
    expect([second.width, second.height]).toEqual([257, 61]);
    expect(luminance(second.rgba)).toEqual(two.grey);
    expect(second.rgba.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
  },
);

test('a black-and-white fax page (1 bit, 0 is white) decodes to black and white where it was dark and light', () => {
  const page = greyPage(53, 17, 3);
  const doc = new TiffDocument(writeTiff([{ ...page, bits: 1, whiteIsZero: true, compression: 'packbits' }]));
  expect([...luminance(doc.page(0).rgba)]).toEqual([...page.grey].map((g) => (g < 128 ? 0 : 255)));
});

test('a JPEG-compressed colour page decodes to the pixels written, within JPEG loss', () => {
  const page = greyPage(64, 48, 5);
  const decoded = luminance(new TiffDocument(writeTiff([{ ...page, compression: 'jpeg' }])).page(0).rgba);
  const error = decoded.reduce((sum, v, i) => sum + Math.abs(v - (page.grey[i] ?? 0)), 0) / decoded.length;
  expect(error).toBeLessThan(6);
});

test('a fax page at 204x98 dpi is stretched to square pixels; 204x196 dpi is left alone', () => {
  const normal = new TiffDocument(writeTiff([{ ...greyPage(16, 8, 0), dpi: [204, 98] }]));
  expect(normal.page(0).yStretch).toBeCloseTo(204 / 98);
  const fine = new TiffDocument(writeTiff([{ ...greyPage(16, 8, 0), dpi: [204, 196] }]));
  expect(fine.page(0).yStretch).toBe(1);
});

test.each<[string, Partial<TiffPageSpec>, string]>([
  ['a compression it lacks', { compression: 'jpeg2000' }, 'page 2 uses TIFF compression 34712'],
  [
    'greyscale JPEG (it would come out striped)',
    { compression: 'jpeg-grey' },
    'page 2 has a pixel format this service does not decode (photometric 1, 1 sample(s) of 8 bit(s), JPEG compression)',
  ],
  [
    '4-bit grey (it would come out blank)',
    { bits: 4 },
    'page 2 has a pixel format this service does not decode (photometric 1, 1 sample(s) of 4 bit(s), none compression)',
  ],
])('a TIFF page in %s is refused by name, not misread', (_, spec, message) => {
  const doc = new TiffDocument(writeTiff([greyPage(8, 8, 0), { ...greyPage(8, 8, 0), ...spec }]));
  expect(luminance(doc.page(0).rgba)).toEqual(greyPage(8, 8, 0).grey);
  const error = failure(() => doc.page(1));
  expect([error.reason, error.message]).toEqual(['unsupported', message]);
});

test('a page over 10,000 pixels on a side is refused before any pixel is decoded', () => {
  // 12,000 x 2 pixels declared, 8 bytes of pixels stored: decoding would read far past the strip.
  const file = writeTiff([greyPage(4, 2, 0)]);
  const ifd = file.readUInt32LE(4);
  file.writeUInt32LE(12_000, ifd + 2 + 8); // the first entry, ImageWidth
  const error = failure(() => new TiffDocument(file).page(0));
  expect([error.reason, error.message]).toEqual([
    'tooLarge',
    'page 1 is 12000x2 pixels, more than 10000 on a side',
  ]);
});

describe('directories that lie about their contents are corrupt, and found so at once', () => {
  const entry = (file: Buffer, tag: number) => {
    const ifd = file.readUInt32LE(4);
    for (let i = 0; i < file.readUInt16LE(ifd); i++)
      if (file.readUInt16LE(ifd + 2 + i * 12) === tag) return ifd + 2 + i * 12;
    throw new Error(`no tag ${tag}`);
  };

  test('a tag claiming four billion values', () => {
    const file = writeTiff([greyPage(8, 8, 0)]);
    file.writeUInt32LE(0xffffffff, entry(file, 282) + 4); // XResolution's count
    const started = Date.now();
    expect(readTiffInfo(file)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('a tag whose millions of values are all there, more than any page needs', () => {
    const page = writeTiff([greyPage(8, 8, 0)]);
    // StripByteCounts moved to the end of the file, claiming 1,000,001 LONG values that are present.
    const file = Buffer.concat([page, Buffer.alloc(4 * 1_000_001)]);
    const at = entry(file, 279);
    file.writeUInt32LE(1_000_001, at + 4);
    file.writeUInt32LE(page.length, at + 8);
    file.writeUInt32LE(64, page.length); // the page's one strip is 64 bytes
    expect(readTiffInfo(file)).toBeUndefined();
    file.writeUInt32LE(1_000_000, at + 4);
    expect(readTiffInfo(file)).toEqual({ pages: 1, width: 8, height: 8 });
  });

  test('a strip that runs past the end of the file (a truncated download)', () => {
    const file = writeTiff([greyPage(64, 64, 0)]);
    file.writeUInt32LE(file.length, entry(file, 279) + 8); // StripByteCounts: past the end
    expect(readTiffInfo(file)).toBeUndefined();
    expect(readTiffInfo(writeTiff([greyPage(64, 64, 0)]))).toEqual({ pages: 1, width: 64, height: 64 });
  });
});

test('PNG and JPEG headers give the pixel size without decoding the image', async () => {
  const canvas = createCanvas(321, 123);
  expect(imageSize(await canvas.encode('png'), DocumentFormat.PNG)).toEqual({ width: 321, height: 123 });
  expect(imageSize(await canvas.encode('jpeg'), DocumentFormat.JPEG)).toEqual({ width: 321, height: 123 });
  expect(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 2]), DocumentFormat.JPEG)).toBeUndefined();
});
