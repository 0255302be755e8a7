// Pre-flight and pricing as pure functions: page counts read from streamed bytes, Textract's size
// limits, the price table, its overrides and the cost of a document.
import { countTiffPages, PdfPageCounter, TiffPageCounter } from '../../lib/pages/page-count';
import {
  defaultPrices,
  documentCost,
  estimatedTextractCost,
  priceOverrideSchema,
  textractPagePrice,
  withOverride,
} from '../../lib/pricing';
import { type ProfileTextract, TextractApi, TextractFeature } from '../../lib/profile';
import { sizeProblem, textractAsyncLimits } from '../../lib/textract-limits';
import { loadPrices } from '../../workers/config';
import { aggregateCosts } from '../../clients/cost-report';
import { pagedPdf, pagedTiff } from '../support/paged-documents';

/** Feeds bytes to the counter in chunks of `size`, as a stream would. */
function countPdf(bytes: Buffer, size: number): number | undefined {
  const counter = new PdfPageCounter();
  for (let at = 0; at < bytes.length; at += size) counter.push(bytes.subarray(at, at + size));
  return counter.pages;
}

describe('page counts', () => {
  it.each([1, 7, 250])('counts a %i-page PDF whatever the chunk size', (pages) => {
    const pdf = pagedPdf(pages);
    for (const size of [3, 17, 4096, pdf.length]) expect(countPdf(pdf, size)).toBe(pages);
  });

  it('counts /Type /Page objects when the page tree has no readable /Count', () => {
    const pdf = Buffer.from(
      pagedPdf(4)
        .toString('latin1')
        .replace(/\/Count \d+/, ''),
      'latin1',
    );
    expect(countPdf(pdf, 5)).toBe(4);
  });

  it('says unknown rather than guessing for a PDF whose pages it cannot see', () => {
    expect(countPdf(Buffer.from('%PDF-1.7\n' + 'x'.repeat(1000)), 64)).toBeUndefined();
  });

  const reader = (bytes: Buffer) => (offset: number, length: number) =>
    Promise.resolve(new Uint8Array(bytes.subarray(offset, offset + length)));

  it('walks a TIFF IFD chain, stopping one page past the limit', async () => {
    const tiff = pagedTiff(12);
    expect(await countTiffPages(reader(tiff), tiff.length, 3000)).toBe(12);
    expect(await countTiffPages(reader(tiff), tiff.length, 5)).toBe(6);
  });

  it('follows a TIFF chain as it streams, and hands a backward pointer over to ranged reads', async () => {
    const tiff = pagedTiff(9);
    for (const size of [1, 5, 18, 4096]) {
      const counter = new TiffPageCounter(3000);
      for (let at = 0; at < tiff.length; at += size) counter.push(tiff.subarray(at, at + size));
      expect(counter.walk).toEqual({ little: true, next: 0, pages: 9 });
    }
    // The header points at the last IFD, which points back to the first: stream, then ranged reads.
    const back = pagedTiff(3);
    const last = 8 + 2 * 18;
    back.writeUInt32LE(last, 4);
    back.writeUInt32LE(8, last + 14);
    back.writeUInt32LE(0, 8 + 18 + 14);
    const counter = new TiffPageCounter(3000);
    counter.push(back);
    const walk = counter.walk!;
    expect(walk).toMatchObject({ pages: 1, next: 8 });
    expect(await countTiffPages(reader(back), back.length, 3000, walk)).toBe(3);
  });

  it('gives up on a looping or out-of-file IFD chain', async () => {
    const loop = pagedTiff(2);
    loop.writeUInt32LE(8, 8 + 18 + 14); // the second IFD points back at the first
    expect(await countTiffPages(reader(loop), loop.length, 3000)).toBeUndefined();
    const outside = pagedTiff(1);
    outside.writeUInt32LE(1_000_000, 4);
    expect(await countTiffPages(reader(outside), outside.length, 3000)).toBeUndefined();
  });
});

describe("Textract's limits", () => {
  it('refuses by format: 10 MB for images, 500 MB for PDF and TIFF, naming the limit', () => {
    const mb = 1024 * 1024;
    expect(sizeProblem('image/png', 10 * mb)).toBeUndefined();
    expect(sizeProblem('image/png', 10 * mb + 1)).toContain('(10 MB)');
    expect(sizeProblem('application/pdf', 10 * mb + 1)).toBeUndefined();
    expect(sizeProblem('image/tiff', 500 * mb + 1)).toContain('(500 MB)');
    expect(textractAsyncLimits['application/pdf'].maxPages).toBe(3000);
  });
});

describe('prices', () => {
  const forms: ProfileTextract = { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS] };

  it('prices a page as the sum of the features asked for, text detection on its own', () => {
    const tablesForms = {
      api: TextractApi.ANALYSIS,
      features: [TextractFeature.TABLES, TextractFeature.FORMS],
    };
    expect(textractPagePrice(tablesForms, defaultPrices)).toBeCloseTo(0.065, 9);
    expect(textractPagePrice({ api: TextractApi.TEXT_DETECTION }, defaultPrices)).toBe(0.0015);
    expect(estimatedTextractCost(forms, 4, defaultPrices)).toBeCloseTo(0.2, 9);
  });

  it('adds the three parts of a cost', () => {
    const cost = documentCost(forms, { pages: 3, temporalActions: 10, kmsRequests: 8 }, defaultPrices);
    expect(cost.textract.usd).toBeCloseTo(0.15, 9);
    expect(cost.temporal.usd).toBeCloseTo(10 * defaultPrices.temporalAction, 9);
    expect(cost.kms.usd).toBeCloseTo(8 * defaultPrices.kmsRequest, 9);
    expect(cost.total).toBeCloseTo(cost.textract.usd + cost.temporal.usd + cost.kms.usd, 6);
  });

  it('applies an override over the defaults and rejects unknown or negative prices by name', () => {
    const prices = withOverride(
      defaultPrices,
      priceOverrideSchema.parse({ textract: { analyzeDocument: { FORMS: 0.07 } } }),
    );
    expect(prices.textract.analyzeDocument.FORMS).toBe(0.07);
    expect(prices.textract.analyzeDocument.TABLES).toBe(defaultPrices.textract.analyzeDocument.TABLES);
    expect(loadPrices(undefined, '{"kmsRequest":0.00001}').kmsRequest).toBe(0.00001);
    expect(() => loadPrices(undefined, '{"kmsRequests":1}')).toThrow(/DOCKET_PRICES/);
    expect(() => loadPrices(undefined, '{"temporalAction":-1}')).toThrow(/temporalAction/);
    expect(() => loadPrices('/nonexistent/prices.json', undefined)).toThrow(/DOCKET_PRICES_FILE/);
  });

  it('sums costs per profile', () => {
    const one = documentCost(forms, { pages: 2, temporalActions: 10, kmsRequests: 6 }, defaultPrices);
    const two = documentCost(forms, { pages: 5, temporalActions: 12, kmsRequests: 9 }, defaultPrices);
    const report = aggregateCosts([
      { profile: 'a', cost: one },
      { profile: 'a', cost: two },
      { profile: 'b', cost: one },
    ]);
    expect(report.profiles.map((p) => [p.profile, p.documents, p.pages])).toEqual([
      ['a', 2, 7],
      ['b', 1, 2],
    ]);
    expect(report.totalUsd).toBeCloseTo(2 * one.total + two.total, 6);
  });
});
