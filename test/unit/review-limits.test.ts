// Bounded human input: every size limit of a review is enforced, problems name the limit and never
// quote what was sent, and the per-document totals keep the review state far below Temporal's limits.
import type { ReviewableField, ReviewCorrection } from '../../lib/contract';
import {
  characterCount,
  correctionBudgetProblem,
  jsonByteLength,
  parseReviewInput,
  reviewerIdentityProblem,
  reviewInputProblem,
  reviewLimits,
} from '../../lib/review-input';

const fields: ReviewableField[] = [
  { id: 'p1-f1', name: 'Total', value: '10.00' },
  { id: 'p1-f2', name: 'Date', value: '2026-01-01' },
];
const who = { reviewer: 'alice', reviewerId: 'sub-alice' };

function refused(action: 'approve' | 'reject' | 'correct', raw: unknown) {
  const parsed = parseReviewInput(action, raw, fields);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed;
}

describe('parseReviewInput enforces reviewLimits', () => {
  test.each([
    ['reviewer', 'approve', { ...who, reviewer: 'r'.repeat(reviewLimits.reviewerLength + 1) }],
    ['reviewerId', 'approve', { ...who, reviewerId: 'i'.repeat(reviewLimits.reviewerIdLength + 1) }],
    ['comment', 'approve', { ...who, comment: 'c'.repeat(reviewLimits.commentLength + 1) }],
    ['reason', 'reject', { ...who, reason: 'w'.repeat(reviewLimits.reasonLength + 1) }],
    ['a field value', 'correct', { ...who, fields: { Total: 'v'.repeat(reviewLimits.valueLength + 1) } }],
    ['a field name', 'correct', { ...who, fields: { ['k'.repeat(reviewLimits.fieldKeyLength + 1)]: '1' } }],
  ] as const)('%s one character over its limit is refused, naming the limit', (what, action, raw) => {
    const r = refused(action, raw);
    expect(r.problem).toMatch(new RegExp(`^${what} is longer than \\d+ characters$`));
    expect(r.redacted).toBe(r.problem);
  });

  test('at the limits everything is accepted', () => {
    const max = (n: number, c = 'a') => c.repeat(n);
    const ok = [
      parseReviewInput(
        'approve',
        {
          reviewer: max(reviewLimits.reviewerLength),
          reviewerId: max(reviewLimits.reviewerIdLength),
          comment: max(reviewLimits.commentLength),
        },
        fields,
      ),
      parseReviewInput('reject', { ...who, reason: max(reviewLimits.reasonLength) }, fields),
      parseReviewInput('correct', { ...who, fields: { Total: max(reviewLimits.valueLength) } }, fields),
    ];
    expect(ok.map((p) => p.ok)).toEqual([true, true, true]);
  });

  test('lengths count characters, not UTF-16 units: emoji at the limit pass', () => {
    const emoji = '😀'.repeat(reviewLimits.reviewerLength);
    expect(characterCount(emoji)).toBe(reviewLimits.reviewerLength);
    expect(parseReviewInput('approve', { reviewer: emoji }, fields).ok).toBe(true);
  });

  test('too many fields in one correction are refused', () => {
    const many = Object.fromEntries(
      Array.from({ length: reviewLimits.fieldsPerCorrection + 1 }, (_, i) => [`f${i}`, '1']),
    );
    expect(refused('correct', { ...who, fields: many }).problem).toBe(
      `fields has more than ${reviewLimits.fieldsPerCorrection} entries`,
    );
  });

  test('a 600 KB field name is refused by its length, and no problem quotes it', () => {
    const huge = 'Northwind'.repeat(70_000);
    const r = refused('correct', { ...who, fields: { [huge]: '1', Total: '2' } });
    expect(r.problem).toBe('a field name is longer than 200 characters');
    expect(r.problem.length + r.redacted.length).toBeLessThan(200);
  });

  test('an unknown key is quoted to the caller but not in what the workflow records', () => {
    const r = refused('correct', { ...who, fields: { 'Customer Name': 'x' } });
    expect(r.problem).toContain('Customer Name');
    expect(r.redacted).toBe('a field name is not a field of this document');
  });

  test('names must be one line: control characters are refused without being quoted', () => {
    const r = refused('approve', { reviewer: 'alice\nINFO forged log line' });
    expect(r.problem).toBe('reviewer must be one line without control characters');
  });

  test('reviewerIdentityProblem checks the identity alone (claim and release carry one)', () => {
    expect(reviewerIdentityProblem(who)).toBeUndefined();
    expect(reviewerIdentityProblem({ reviewer: 'alice', reviewerId: 'x'.repeat(256) })).toBe(
      'reviewerId is longer than 255 characters',
    );
    expect(reviewerIdentityProblem({ reviewerId: 'sub' })).toBe('reviewer is required');
  });

  test("reviewInputProblem checks sizes without the document's fields (the CLI)", () => {
    expect(reviewInputProblem({ action: 'correct', ...who, fields: { 'any name': 'v' } })).toBeUndefined();
    expect(reviewInputProblem({ action: 'approve', ...who, comment: 'c'.repeat(2_001) })).toBe(
      'comment is longer than 2000 characters',
    );
  });
});

describe('per-document totals', () => {
  const correction = (text: string): ReviewCorrection => ({ name: 'Total', text, ...who, at: 'now' });

  test('two 900 KB values can never be recorded: one alone is over every limit', () => {
    const big = 'x'.repeat(900 * 1024);
    expect(correctionBudgetProblem([], { Total: big })).toBe(
      `a document's corrected values may total at most ${reviewLimits.correctionBytesPerDocument} bytes`,
    );
  });

  test('values add up across corrections until the byte budget is spent', () => {
    const chunk = 'y'.repeat(reviewLimits.valueLength);
    const existing = Array.from({ length: 16 }, () => correction(chunk)); // 16 × 4,002 bytes
    expect(correctionBudgetProblem(existing, { Total: 'z'.repeat(1_000) })).toBeUndefined();
    expect(correctionBudgetProblem(existing, { Total: chunk })).toMatch(/at most 65536 bytes/);
  });

  test('the number of corrected values is bounded', () => {
    const existing = Array.from({ length: reviewLimits.correctionsPerDocument }, () => correction('1'));
    expect(correctionBudgetProblem(existing, { Total: '2' })).toBe(
      `a document keeps at most ${reviewLimits.correctionsPerDocument} corrected values`,
    );
  });

  test('bytes are what the payload costs: JSON escapes and UTF-8 count', () => {
    expect(jsonByteLength('abc')).toBe(5);
    expect(jsonByteLength('\u0000')).toBe(8);
    expect(jsonByteLength('é')).toBe(4);
    expect(jsonByteLength('😀')).toBe(6);
  });

  test('the documented worst case is far below the 2 MB payload limit', () => {
    // Every limit reached (names of 3-byte characters): 100 corrections by a maximal reviewer, each recorded as a correction and an
    // audit entry (old and new value), as the output activity's input carries them.
    const perValue =
      Math.floor(reviewLimits.correctionBytesPerDocument / reviewLimits.correctionsPerDocument) - 2;
    const reviewer = '€'.repeat(reviewLimits.reviewerLength);
    const reviewerId = '€'.repeat(reviewLimits.reviewerIdLength);
    const name = '€'.repeat(reviewLimits.fieldKeyLength);
    const corrections: ReviewCorrection[] = [];
    const audit: unknown[] = [];
    for (let i = 0; i < reviewLimits.correctionsPerDocument; i++) {
      const text = 'x'.repeat(perValue);
      expect(correctionBudgetProblem(corrections, { [name]: text })).toBeUndefined();
      const at = new Date(0).toISOString();
      corrections.push({ fieldId: `p1-f${i}`, name, text, reviewer, reviewerId, at });
      audit.push({
        action: 'correct',
        reviewer,
        reviewerId,
        at,
        field: name,
        fieldId: `p1-f${i}`,
        oldValue: text,
        newValue: text,
      });
    }
    expect(correctionBudgetProblem(corrections, { x: 'y' })).toBeDefined();
    const bytes = Buffer.byteLength(JSON.stringify({ corrections, review: { audit } }));
    expect(bytes).toBeLessThan(1024 * 1024);
  });
});
