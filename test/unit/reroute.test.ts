import { routeChange } from '../../clients/reroute';
import { fieldsToReview, ReviewReason } from '../../lib/confidence-routing';
import type { DocumentRecord } from '../../lib/extraction-record';
import { field, invoiceProfile, summaryOf } from '../support/document-fixtures';

function recordWith(fields: ReturnType<typeof field>[], routedWith = invoiceProfile): DocumentRecord {
  const summary = summaryOf(fields);
  return {
    documentId: 'doc-1',
    source: { bucket: 'in', key: 'k' },
    profile: invoiceProfile.name,
    checksum: 'c'.repeat(64),
    extractionId: 'e'.repeat(64),
    extraction: {
      extractionId: 'e'.repeat(64),
      documentId: 'doc-1',
      checksum: 'c'.repeat(64),
      size: 1,
      contentType: 'application/pdf',
      textract: { jobId: 'job-1', api: 'ANALYSIS', status: 'SUCCEEDED', pages: 1, warnings: [] },
      raw: { bucket: 'results', prefix: 'p', partsWritten: 1 },
    },
    summary,
    review: fieldsToReview(summary, routedWith),
    outputVersion: 1,
  };
}

describe('what-if routing of one stored record', () => {
  const fields = [field('invoice_number', 'INV-1', 85), field('total', '12.00', 97)];

  test('no change when the route stays the same', () => {
    expect(routeChange(recordWith(fields), invoiceProfile)).toBeUndefined();
    expect(routeChange(recordWith(fields), { ...invoiceProfile, defaultThreshold: 84 })).toBeUndefined();
  });

  test('clean → review names the field, its confidence and the new threshold', () => {
    expect(
      routeChange(recordWith(fields), { ...invoiceProfile, fieldThresholds: { invoice_number: 90 } }),
    ).toEqual({
      documentId: 'doc-1',
      was: 'clean',
      becomes: 'review',
      why: ['invoice_number (p1-invoice_number): LOW_CONFIDENCE, confidence 85.0, threshold 90'],
    });
  });

  test('review → clean names what no longer needs review; an audit sample is not a route of the thresholds', () => {
    const strict = { ...invoiceProfile, defaultThreshold: 99 };
    const reviewed = recordWith(fields, strict);
    const change = routeChange(reviewed, invoiceProfile);
    expect(change).toMatchObject({ was: 'review', becomes: 'clean' });
    expect(change?.why).toEqual([
      // total keeps its own threshold (90) under both: only invoice_number was under review.
      expect.stringMatching(/^invoice_number .*confidence 85\.0, threshold 99 → now passes threshold 80$/),
    ]);
    const sampled = {
      ...recordWith(fields),
      review: [{ field: '(audit sample)', reason: ReviewReason.SAMPLED, threshold: 80 }],
    };
    expect(routeChange(sampled, invoiceProfile)).toBeUndefined();
  });
});
