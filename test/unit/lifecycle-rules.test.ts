import { fieldsToReview } from '../../lib/confidence-routing';
import { parseReviewInput, resolveReviewField } from '../../lib/review-input';
import { validateDocumentInput } from '../../lib/validation';
import { clientRequestToken, jobTag } from '../../activities/textract';
import { sniffContentType } from '../../activities/s3';
import { documentInput, field, invoiceProfile, summaryOf } from '../support/document-fixtures';

describe('confidence routing', () => {
  const route = (fields: ReturnType<typeof field>[], omittedMinConfidence: number | null = null) =>
    fieldsToReview({ ...summaryOf(fields), omittedMinConfidence }, invoiceProfile);

  test('fields at or above their threshold need no review', () => {
    expect(route([field('invoice_number', 'INV-1', 80), field('total', '1', 90)])).toEqual([]);
  });

  test('a per-field threshold overrides the default', () => {
    expect(route([field('invoice_number', 'INV-1', 99), field('total', '1', 85)])).toEqual([
      {
        field: 'total',
        fieldId: 'p1-total',
        page: 1,
        reason: 'LOW_CONFIDENCE',
        confidence: 85,
        threshold: 90,
      },
    ]);
  });

  test('missing or empty required fields need review', () => {
    expect(route([field('total', '1', 99)])).toEqual([
      { field: 'invoice_number', reason: 'MISSING_REQUIRED', threshold: 80 },
    ]);
    expect(route([field('invoice_number', '  ', 99)]).map((i) => i.reason)).toEqual(['MISSING_REQUIRED']);
  });

  test('a checkbox Textract found is present, ticked or not: its value has no words', () => {
    const checkbox = { ...field('invoice_number', '', 99), selected: false };
    expect(route([checkbox])).toEqual([]);
  });

  test('a repeated name is routed per field: each low one is an item', () => {
    const items = route([
      field('invoice_number', 'INV-1', 99),
      field('total', '1', 50, 'p1-f1'),
      field('total', '2', 60, 'p2-f1'),
    ]);
    expect(items.map((i) => [i.field, i.fieldId, i.confidence])).toEqual([
      ['total', 'p1-f1', 50],
      ['total', 'p2-f1', 60],
    ]);
  });

  test('fields left out of the summary still send the document to review when one is low', () => {
    expect(route([field('invoice_number', 'INV-1', 99)], 40).map((i) => i.reason)).toEqual([
      'OMITTED_LOW_CONFIDENCE',
    ]);
  });
});

describe('input validation', () => {
  test('a good input has no problems', () => {
    expect(validateDocumentInput(documentInput('doc-1'))).toEqual([]);
  });

  test('problems name the fields at fault', () => {
    const problems = validateDocumentInput({ documentId: 'a b', source: { bucket: '' }, profile: {} });
    expect(problems.join('\n')).toMatch(/documentId/);
    expect(problems.join('\n')).toMatch(/source.bucket/);
    expect(problems.join('\n')).toMatch(/profile.textract.api/);
    expect(problems.join('\n')).toMatch(/profile.output/);
  });

  test('durations a starter sends are parsed as the workflow will use them', () => {
    const withDurations = (durations: Record<string, unknown>) =>
      validateDocumentInput({ ...documentInput('d'), profile: { ...invoiceProfile, ...durations } });
    expect(withDurations({ heartbeatTimeout: '15 seconds', reviewDeadline: 86_400_000 })).toEqual([]);
    expect(withDurations({ heartbeatTimeout: '15 secs please', reviewDeadline: -5 })).toEqual([
      'profile.reviewDeadline must be a duration ("7 days") or milliseconds',
      'profile.heartbeatTimeout must be a duration ("2 minutes") or milliseconds',
    ]);
  });

  test('queries need the QUERIES feature', () => {
    const profile = { ...invoiceProfile, textract: { ...invoiceProfile.textract, features: ['FORMS'] } };
    expect(validateDocumentInput({ ...documentInput('d'), profile })).toEqual([
      'profile.textract.features must include QUERIES when queries are given',
    ]);
  });
});

describe('review payloads', () => {
  const known = [{ id: 'p1-f2', name: 'total', value: '1' }];
  test('accepts well-formed actions', () => {
    expect(parseReviewInput('correct', { reviewer: 'r', fields: { total: '2' } }, known)).toEqual({
      ok: true,
      value: { action: 'correct', reviewer: 'r', fields: { total: '2' } },
    });
  });
  test('names the problem without echoing values', () => {
    const res = parseReviewInput('correct', { reviewer: 'r', fields: { total: 42 } }, known);
    expect(res).toMatchObject({ ok: false, problem: 'every field value must be a string' });
    expect(parseReviewInput('reject', { reviewer: 'r' }, known)).toMatchObject({
      ok: false,
      problem: 'reason is required',
    });
  });
});

describe('which field a correction names', () => {
  const fields = [
    { id: 'p1-f1', name: 'Yes', value: '' },
    { id: 'p2-f4', name: 'Yes', value: '' },
    { id: 'p1-f2', name: 'total', value: '12.00' },
    { name: 'invoice_number', value: '' },
  ];
  test('by id, by a name that is one field, or by a required name Textract did not find', () => {
    expect(resolveReviewField(fields, 'p2-f4')).toEqual({ ok: true, field: fields[1] });
    expect(resolveReviewField(fields, 'total')).toEqual({ ok: true, field: fields[2] });
    expect(resolveReviewField(fields, 'invoice_number')).toEqual({ ok: true, field: fields[3] });
  });
  test('a repeated name is refused with its ids, an unknown one as unknown; values never appear', () => {
    // The caller is told which key; what the workflow records (redacted) quotes nothing sent.
    expect(resolveReviewField(fields, 'Yes')).toEqual({
      ok: false,
      problem: 'fields.Yes names 2 fields: give one of their ids (p1-f1, p2-f4)',
      redacted: 'a field name names 2 fields: give one of their ids (p1-f1, p2-f4)',
    });
    const unknown = parseReviewInput('correct', { reviewer: 'r', fields: { Total: '1' } }, fields);
    expect(unknown).toEqual({
      ok: false,
      problem: 'fields.Total is not a field of this document',
      redacted: 'a field name is not a field of this document',
    });
  });
});

describe('Textract idempotency', () => {
  const textract = invoiceProfile.textract;
  test('the request token depends on the bytes, the profile and the run, not on property order', () => {
    const token = clientRequestToken('c'.repeat(64), textract, 'alias/docket', 'run-1');
    expect(token).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    const reordered = JSON.parse(
      JSON.stringify({ queries: (textract as { queries: unknown }).queries, ...textract }),
    ) as typeof textract;
    expect(clientRequestToken('c'.repeat(64), reordered, 'alias/docket', 'run-1')).toBe(token);
    expect(clientRequestToken('d'.repeat(64), textract, 'alias/docket', 'run-1')).not.toBe(token);
    expect(clientRequestToken('c'.repeat(64), { api: 'TEXT_DETECTION' }, 'alias/docket', 'run-1')).not.toBe(
      token,
    );
    // A new run (re-drive) gets a fresh job; retries and restarts inside a run keep the token.
    expect(clientRequestToken('c'.repeat(64), textract, 'alias/docket', 'run-2')).not.toBe(token);
  });
  test('job tags keep to the allowed characters', () => {
    expect(jobTag('inv 2024/07#1')).toBe('inv_2024_07_1');
  });
});

describe('content sniffing', () => {
  test('recognises the formats Textract accepts', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from('II*\0'))).toBe('image/tiff');
    expect(sniffContentType(Buffer.from('hello world'))).toBeUndefined();
  });
});
