/**
 * `docket cost`: what closed documents cost, per profile, summed from their workflow results' `cost`
 * (priced by the worker when it wrote the output). Read through visibility like review statistics.
 */
import type { Client } from '@temporalio/client';
import { type DocumentCost, roundUsd } from '../lib/pricing';
import { forEachClosedResult } from './closed-documents';

/** The sums of one profile, in USD. */
export interface ProfileCost {
  profile: string;
  documents: number;
  pages: number;
  textractUsd: number;
  temporalActions: number;
  temporalUsd: number;
  kmsRequests: number;
  kmsUsd: number;
  totalUsd: number;
}

export interface CostReport {
  currency: 'USD';
  /** Closed documents with a cost. */
  documents: number;
  /** Closed documents without one (failed before their output, cancelled, or from before costs). */
  withoutCost: number;
  totalUsd: number;
  profiles: ProfileCost[];
}

export interface CostRequest {
  /** Only this profile's documents. */
  profile?: string;
  /** Only documents closed at or after this time. */
  since?: Date;
  /** Results fetched at once. @default 8 */
  concurrency?: number;
  /** Stop after this many closed documents. @default 10000 */
  limit?: number;
}

/** Adds up document costs by profile, profiles by name. */
export function aggregateCosts(
  costs: readonly { profile: string; cost: DocumentCost }[],
  withoutCost = 0,
): CostReport {
  const byProfile = new Map<string, ProfileCost>();
  for (const { profile, cost } of costs) {
    const p = byProfile.get(profile) ?? {
      profile,
      documents: 0,
      pages: 0,
      textractUsd: 0,
      temporalActions: 0,
      temporalUsd: 0,
      kmsRequests: 0,
      kmsUsd: 0,
      totalUsd: 0,
    };
    byProfile.set(profile, {
      profile,
      documents: p.documents + 1,
      pages: p.pages + cost.textract.pages,
      textractUsd: roundUsd(p.textractUsd + cost.textract.usd),
      temporalActions: p.temporalActions + cost.temporal.actions,
      temporalUsd: roundUsd(p.temporalUsd + cost.temporal.usd),
      kmsRequests: p.kmsRequests + cost.kms.requests,
      kmsUsd: roundUsd(p.kmsUsd + cost.kms.usd),
      totalUsd: roundUsd(p.totalUsd + cost.total),
    });
  }
  const profiles = [...byProfile.values()].sort((a, b) => a.profile.localeCompare(b.profile));
  return {
    currency: 'USD',
    documents: costs.length,
    withoutCost,
    totalUsd: roundUsd(profiles.reduce((sum, p) => sum + p.totalUsd, 0)),
    profiles,
  };
}

const usd = (n: number) => `$${n.toFixed(6)}`;

/** Plain-text report, one block per profile. */
export function formatCostReport(report: CostReport): string {
  if (report.profiles.length === 0) return 'no closed documents with a cost';
  const lines: string[] = [];
  for (const p of report.profiles) {
    lines.push(
      `profile ${p.profile}`,
      `  documents        ${p.documents}`,
      `  textract         ${usd(p.textractUsd)}  (${p.pages} pages)`,
      `  temporal         ${usd(p.temporalUsd)}  (${p.temporalActions} actions)`,
      `  kms              ${usd(p.kmsUsd)}  (${p.kmsRequests} requests)`,
      `  total            ${usd(p.totalUsd)}`,
    );
  }
  lines.push(`total ${usd(report.totalUsd)} USD for ${report.documents} document(s)`);
  if (report.withoutCost > 0) lines.push(`(${report.withoutCost} closed document(s) without a cost skipped)`);
  return lines.join('\n');
}

/** Reads closed documents (visibility: CloseTime) and sums their costs, a few results at a time. */
export async function readCosts(temporal: Client, request: CostRequest = {}): Promise<CostReport> {
  if (request.since && Number.isNaN(request.since.getTime())) throw new RangeError('since is not a date');
  const costs: { profile: string; cost: DocumentCost }[] = [];
  let withoutCost = 0;
  await forEachClosedResult(
    temporal,
    {
      clauses: request.since ? [`CloseTime >= '${request.since.toISOString()}'`] : [],
      ...(request.limit ? { limit: request.limit } : {}),
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
    },
    (result) => {
      if (!result?.cost || !result.profile) withoutCost += 1;
      else if (!request.profile || result.profile === request.profile)
        costs.push({ profile: result.profile, cost: result.cost });
    },
  );
  return aggregateCosts(costs, withoutCost);
}
