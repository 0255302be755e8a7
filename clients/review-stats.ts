/**
 * Review statistics: how often people corrected what the thresholds let through, per profile and
 * field. Read from closed document workflows' results (their `review` summary), never from output.
 */
import type { Client } from '@temporalio/client';
import type { ReviewSummary } from '../lib/contract';
import { forEachClosedResult } from './closed-documents';

/** The figures of one profile. */
export interface ProfileReviewStats {
  profile: string;
  /** Closed documents that went to review (sampled ones included). */
  reviewed: number;
  /** Of those, clean documents sent to review as audit samples. */
  sampled: number;
  /** Samples a reviewer corrected: errors the thresholds let through. */
  sampledCorrected: number;
  /** Documents with at least one correction. */
  corrected: number;
  /** Documents in which each field was corrected (fields the profile names, else `other`). */
  correctionsByField: Record<string, number>;
}

export interface ReviewStats {
  /** Closed workflows read that had a review summary. */
  documents: number;
  /** Closed workflows whose result could not be read (cancelled, or from before review summaries). */
  unreadable: number;
  profiles: ProfileReviewStats[];
}

/** Adds up review summaries by profile, profiles by name. */
export function aggregateReviewStats(summaries: readonly ReviewSummary[], unreadable = 0): ReviewStats {
  const byProfile = new Map<string, ProfileReviewStats>();
  for (const s of summaries) {
    let p = byProfile.get(s.profile);
    if (!p) {
      p = {
        profile: s.profile,
        reviewed: 0,
        sampled: 0,
        sampledCorrected: 0,
        corrected: 0,
        correctionsByField: {},
      };
      byProfile.set(s.profile, p);
    }
    p.reviewed += 1;
    const corrected = s.correctedFields.length > 0;
    if (corrected) p.corrected += 1;
    if (s.sampled) {
      p.sampled += 1;
      if (corrected) p.sampledCorrected += 1;
    }
    for (const field of s.correctedFields)
      p.correctionsByField[field] = (p.correctionsByField[field] ?? 0) + 1;
  }
  return {
    documents: summaries.length,
    unreadable,
    profiles: [...byProfile.values()].sort((a, b) => a.profile.localeCompare(b.profile)),
  };
}

/** Plain-text report, one block per profile. */
export function formatReviewStats(stats: ReviewStats): string {
  if (stats.profiles.length === 0) return 'no reviewed documents';
  const lines: string[] = [];
  for (const p of stats.profiles) {
    const share = p.sampled > 0 ? ` (${((100 * p.sampledCorrected) / p.sampled).toFixed(1)} %)` : '';
    lines.push(
      `profile ${p.profile}`,
      `  reviewed            ${p.reviewed}`,
      `  with corrections    ${p.corrected}`,
      `  sampled             ${p.sampled}`,
      `  sampled, corrected  ${p.sampledCorrected}${share}`,
    );
    const fields = Object.entries(p.correctionsByField).sort(
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    );
    if (fields.length > 0) {
      lines.push('  corrections per field (documents)');
      for (const [field, n] of fields) lines.push(`    ${field.padEnd(24)} ${n}`);
    }
  }
  if (stats.unreadable > 0)
    lines.push(`(${stats.unreadable} closed document(s) without a review summary skipped)`);
  return lines.join('\n');
}

/** What `reviewStats` reads. */
export interface ReviewStatsRequest {
  /** Only this profile's documents. */
  profile?: string;
  /** Only documents closed at or after this time. */
  since?: Date;
  /** Results fetched at once. @default 8 */
  concurrency?: number;
  /** Stop after this many closed documents. @default 10000 */
  limit?: number;
}

/**
 * Reads closed reviewed documents (visibility: ReviewRequired and CloseTime) and aggregates their
 * results' review summaries, fetched a few at a time.
 */
export async function readReviewStats(
  temporal: Client,
  request: ReviewStatsRequest = {},
): Promise<ReviewStats> {
  if (request.since && Number.isNaN(request.since.getTime())) throw new RangeError('since is not a date');
  const summaries: ReviewSummary[] = [];
  let unreadable = 0;
  await forEachClosedResult(
    temporal,
    {
      clauses: [
        `ReviewRequired = true`,
        ...(request.since ? [`CloseTime >= '${request.since.toISOString()}'`] : []),
      ],
      ...(request.limit ? { limit: request.limit } : {}),
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
    },
    (result) => {
      const summary = result?.review;
      if (!summary) unreadable += 1;
      else if (!request.profile || summary.profile === request.profile) summaries.push(summary);
    },
  );
  return aggregateReviewStats(summaries, unreadable);
}
