/**
 * The review queue: documents awaiting review, the most urgent first. Pure: the plugin fills the
 * entries from `list` and `status`; ordering and what the queue shows are decided here.
 */
import type { ReviewReason } from '../../lib/confidence-routing';
import { liveClaim, type DocumentState, type ReviewClaim } from '../../lib/contract';

export interface QueueEntry {
  documentId: string;
  profile: string;
  /** When the document started (the list's start time). */
  startedAt: string;
  /** When it started waiting for review. */
  waitingSince?: string;
  /** The review deadline, when the workflow reports one. */
  dueAt?: string;
  overdue: boolean;
  pages?: number;
  /** How many review items of each reason. */
  reasons: Partial<Record<ReviewReason, number>>;
  /** Who holds it, while their lease runs. */
  claim?: ReviewClaim;
}

/** One entry from a document's state at `now`. */
export function queueEntry(state: DocumentState, startedAt: Date, now: Date): QueueEntry {
  const reasons: Partial<Record<ReviewReason, number>> = {};
  for (const item of state.review) reasons[item.reason] = (reasons[item.reason] ?? 0) + 1;
  const waitingSince = [...state.transitions].reverse().find((t) => t.status === 'AWAITING_REVIEW')?.at;
  const claim = liveClaim(state, now.getTime());
  return {
    documentId: state.documentId,
    profile: state.profile,
    startedAt: startedAt.toISOString(),
    ...(waitingSince ? { waitingSince } : {}),
    ...(state.reviewDueAt ? { dueAt: state.reviewDueAt } : {}),
    // Past the profile's reviewSla (the workflow's flag, or its time while the flag is not set yet).
    overdue:
      state.overdue === true ||
      (state.reviewSlaAt !== undefined && Date.parse(state.reviewSlaAt) <= now.getTime()),
    ...(state.pages === undefined ? {} : { pages: state.pages }),
    reasons,
    ...(claim ? { claim } : {}),
  };
}

/**
 * Oldest deadline first; documents without a deadline after those with one, oldest start first (the
 * start time orders documents alike when no workflow reports deadlines yet). Ties by id, so the order
 * is stable from one load to the next.
 */
export function byUrgency(a: QueueEntry, b: QueueEntry): number {
  const due = (e: QueueEntry) => (e.dueAt ? Date.parse(e.dueAt) : Number.POSITIVE_INFINITY);
  return (
    due(a) - due(b) ||
    Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
    a.documentId.localeCompare(b.documentId)
  );
}
