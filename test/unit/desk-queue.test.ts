/** The review queue: the most urgent document first, with what a reviewer needs to pick one. */
import type { DocumentState } from '../../lib/contract';
import { byUrgency, queueEntry } from '../../clients/desk/queue';

const now = new Date('2026-03-10T12:00:00.000Z');

function state(documentId: string, extra: Partial<DocumentState> = {}): DocumentState {
  const base: DocumentState = {
    documentId,
    profile: 'invoices',
    status: 'AWAITING_REVIEW',
    transitions: [
      { status: 'RECEIVED', at: '2026-03-10T08:00:00.000Z' },
      { status: 'AWAITING_REVIEW', at: '2026-03-10T08:01:00.000Z' },
    ],
    pages: 2,
    overdue: false,
    approvals: [],
    approvalsNeeded: 1,
    warnings: [],
    review: [
      { field: 'Total', fieldId: 'p1-f1', page: 1, reason: 'LOW_CONFIDENCE', confidence: 40, threshold: 90 },
      { field: 'Date', fieldId: 'p2-f3', page: 2, reason: 'LOW_CONFIDENCE', confidence: 70, threshold: 90 },
      { field: 'Invoice Number', reason: 'MISSING_REQUIRED', threshold: 90 },
    ],
    reviewActions: [],
    ignoredMessages: [],
  };
  return { ...base, ...extra };
}

const entry = (s: DocumentState, started = '2026-03-10T08:00:00.000Z') =>
  queueEntry(s, new Date(started), now);

test('reasons are counted, and the time the document started waiting is kept', () => {
  expect(entry(state('a'))).toEqual({
    documentId: 'a',
    profile: 'invoices',
    startedAt: '2026-03-10T08:00:00.000Z',
    waitingSince: '2026-03-10T08:01:00.000Z',
    overdue: false,
    pages: 2,
    reasons: { LOW_CONFIDENCE: 2, MISSING_REQUIRED: 1 },
  });
});

test('a claim shows while its lease runs, not after it expired', () => {
  const claim = { reviewer: 'Alice', reviewerId: 'alice', at: '2026-03-10T11:50:00.000Z' };
  expect(
    entry(state('a', { claim: { ...claim, expiresAt: '2026-03-10T12:20:00.000Z' } })).claim,
  ).toMatchObject({
    reviewer: 'Alice',
  });
  expect(
    entry(state('a', { claim: { ...claim, expiresAt: '2026-03-10T11:59:59.000Z' } })).claim,
  ).toBeUndefined();
});

test("a document past its review SLA is overdue (not only when the workflow's flag is set)", () => {
  expect(entry(state('a', { overdue: true })).overdue).toBe(true);
  expect(entry(state('a', { reviewSlaAt: '2026-03-10T11:00:00.000Z' })).overdue).toBe(true);
  expect(entry(state('a', { reviewSlaAt: '2026-03-10T13:00:00.000Z' })).overdue).toBe(false);
  // The hard deadline is when review fails, not when it is late.
  expect(entry(state('a', { reviewDueAt: '2026-03-10T13:00:00.000Z' })).overdue).toBe(false);
});

test('oldest deadline first; without deadlines, oldest start first; those without a deadline last', () => {
  const entries = [
    entry(state('late-deadline', { reviewDueAt: '2026-03-12T00:00:00.000Z' }), '2026-03-01T00:00:00.000Z'),
    entry(state('no-deadline-new'), '2026-03-10T09:00:00.000Z'),
    entry(state('early-deadline', { reviewDueAt: '2026-03-11T00:00:00.000Z' }), '2026-03-09T00:00:00.000Z'),
    entry(state('no-deadline-old'), '2026-03-02T00:00:00.000Z'),
    entry(state('overdue', { reviewDueAt: '2026-03-10T10:00:00.000Z' }), '2026-03-10T07:00:00.000Z'),
  ];
  expect(entries.sort(byUrgency).map((e) => e.documentId)).toEqual([
    'overdue',
    'early-deadline',
    'late-deadline',
    'no-deadline-old',
    'no-deadline-new',
  ]);
});

test('the same start time orders by id, so the queue does not shuffle between loads', () => {
  const entries = ['c', 'a', 'b'].map((id) => entry(state(id)));
  expect(entries.sort(byUrgency).map((e) => e.documentId)).toEqual(['a', 'b', 'c']);
});
