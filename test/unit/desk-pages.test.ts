/**
 * Page images for the review desk: PDF pages drawn by pdfjs and TIFF pages decoded by utif2, as PNGs
 * of the page's proportions within the size cap, rendered in the renderer's worker thread.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { PageRenderError } from '../../lib/pages/render';
import { PageRenderer } from '../../lib/pages/renderer';
import { greyOf, halfRows, writeTiff } from '../fixtures/textract/tiff-writer';

const root = path.join(__dirname, '..', '..');
const corpus = (name: string) =>
  fs.readFileSync(path.join(root, 'test', 'fixtures', 'corpus', 'documents', name));
const renderer = new PageRenderer();

afterAll(() => renderer.close());

/** The PNG's own size, and how dark it is (a blank page is all white). */
async function png(bytes: Uint8Array) {
  expect(Buffer.from(bytes.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
  const image = await loadImage(Buffer.from(bytes));
  return { width: image.width, height: image.height };
}

test('a PDF page becomes a PNG of the page proportions, within the size cap', async () => {
  const page = await renderer.render({
    bytes: corpus('sample-invoice.pdf'),
    contentType: 'application/pdf',
    page: 1,
    maxSide: 1200,
  });
  const { width, height } = await png(page.png);
  expect({ width, height }).toEqual({ width: page.width, height: page.height });
  expect(Math.max(width, height)).toBeLessThanOrEqual(1200);
  expect(Math.max(width, height)).toBeGreaterThan(1100);
  // A4, portrait: 210 × 297 mm.
  expect(height / width).toBeCloseTo(297 / 210, 2);
  expect(page.pages).toBe(1);
  // Not a blank page: the PNG of white alone compresses to a few hundred bytes.
  expect(page.png.length).toBeGreaterThan(20_000);
});

test('every page of a multi-page PDF renders; a page past the end is refused by name', async () => {
  const bytes = corpus('textractor-multipage-doc.pdf');
  const first = await renderer.render({ bytes, contentType: 'application/pdf', page: 1, maxSide: 800 });
  expect(first.pages).toBeGreaterThan(1);
  const last = await renderer.render({
    bytes,
    contentType: 'application/pdf',
    page: first.pages,
    maxSide: 800,
  });
  expect((await png(last.png)).width).toBe(last.width);
  const past = renderer.render({
    bytes,
    contentType: 'application/pdf',
    page: first.pages + 1,
    maxSide: 800,
  });
  await expect(past).rejects.toBeInstanceOf(PageRenderError);
  await expect(past).rejects.toMatchObject({ reason: 'noSuchPage' });
});

test('a TIFF page (a fax page with half the rows) renders with square pixels; page 2 too', async () => {
  const form = await greyOf(corpus('form.png'));
  const fax = halfRows(form);
  const tiff = writeTiff([
    { ...form, compression: 'lzw' },
    { ...fax, compression: 'packbits', dpi: [200, 100] },
  ]);
  const one = await renderer.render({ bytes: tiff, contentType: 'image/tiff', page: 1, maxSide: 4000 });
  expect(one.pages).toBe(2);
  expect(await png(one.png)).toEqual({ width: form.width, height: form.height });
  const two = await renderer.render({ bytes: tiff, contentType: 'image/tiff', page: 2, maxSide: 800 });
  const size = await png(two.png);
  expect(Math.max(size.width, size.height)).toBe(800);
  // The stored page is half as tall; drawn, it has the original's proportions again.
  expect(size.height / size.width).toBeCloseTo(form.height / form.width, 1);
});

test('bytes that are not the format claimed are refused as unreadable, and the renderer keeps working', async () => {
  const garbage = new TextEncoder().encode('%PDF-1.7 not really');
  await expect(
    renderer.render({ bytes: garbage, contentType: 'application/pdf', page: 1, maxSide: 800 }),
  ).rejects.toMatchObject({ reason: 'unreadable' });
  await expect(
    renderer.render({ bytes: garbage, contentType: 'image/tiff', page: 1, maxSide: 800 }),
  ).rejects.toMatchObject({ reason: 'unreadable' });
  const ok = await renderer.render({
    bytes: corpus('sample-invoice.pdf'),
    contentType: 'application/pdf',
    page: 1,
    maxSide: 300,
  });
  expect(Math.max(ok.width, ok.height)).toBe(300);
});

test('a page that takes longer than the timeout fails as timedOut, every time (the API answers 503)', async () => {
  const hasty = new PageRenderer({ timeoutMs: 1 });
  try {
    const bytes = corpus('textractor-multipage-doc.pdf');
    const request = { bytes, contentType: 'application/pdf' as const, page: 1, maxSide: 800 };
    await expect(hasty.render(request)).rejects.toMatchObject({ reason: 'timedOut' });
    // The thread was replaced: the next request starts another, which this timeout stops again.
    await expect(hasty.render(request)).rejects.toMatchObject({ reason: 'timedOut' });
  } finally {
    await hasty.close();
  }
});
