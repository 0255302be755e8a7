/*
 * What-if routing: which finished documents would change route (clean ↔ review) under a profile's
 * thresholds as configured now, read from their stored records (the routing summary each was routed
 * with), starting nothing; or, without the dry run, reprocess those documents a few at a time.
 */
import type { Client } from '@temporalio/client';
import { fieldsToReview, ReviewReason, type ReviewItem } from '../lib/confidence-routing';
import { DocumentStatus } from '../lib/contract';
import { documentRecordKey, type DocumentRecord } from '../lib/extraction-record';
import type { DocumentProfile } from '../lib/profile';
import { getJsonIfPresent } from '../lib/aws/s3';
import { reprocessDocument, type ReprocessContext } from './reprocess';

export type Route = 'clean' | 'review';

/** A document whose route changes, and why: the review items that appear, or that go away. */
export interface RouteChange {
  documentId: string;
  was: Route;
  becomes: Route;
  /** One line per field at the root of the change (names, confidences, thresholds: no values). */
  why: string[];
}

export interface RerouteRequest {
  /** Only documents closed at or after this time. */
  since?: Date;
  /** List only (the default in the CLI is to require the flag explicitly). */
  dryRun: boolean;
  /** Reprocess runs started at once without the dry run. @default 2 */
  concurrency?: number;
  /** Stop after this many closed documents. @default 10000 */
  limit?: number;
}

export interface RerouteResult {
  /** Documents of the profile whose record was read. */
  examined: number;
  /** Closed documents without a record (older than records, or expired), or of another profile. */
  skipped: number;
  changes: RouteChange[];
  /** Without the dry run: the reprocess runs started (document id and output version). */
  started: { documentId: string; version: number }[];
  /** Without the dry run: documents whose reprocess could not start, and why. */
  failed: { documentId: string; error: string }[];
}

/** The items that decide the route (an audit sample is not a routing decision of the thresholds). */
function routingItems(items: readonly ReviewItem[]): ReviewItem[] {
  return items.filter((i) => i.reason !== ReviewReason.SAMPLED);
}

function describe(item: ReviewItem): string {
  const conf = item.confidence === undefined ? 'missing' : `confidence ${item.confidence.toFixed(1)}`;
  return `${item.field}${item.fieldId ? ` (${item.fieldId})` : ''}: ${item.reason}, ${conf}, threshold ${item.threshold}`;
}

/** Pure: how the record's stored summary routes under `profile`, compared with how it was routed. */
export function routeChange(record: DocumentRecord, profile: DocumentProfile): RouteChange | undefined {
  const before = routingItems(record.review);
  const after = fieldsToReview(record.summary, profile);
  const was: Route = before.length > 0 ? 'review' : 'clean';
  const becomes: Route = after.length > 0 ? 'review' : 'clean';
  if (was === becomes) return undefined;
  const why =
    becomes === 'review'
      ? after.map(describe)
      : before.map((i) => {
          const now = after.find((a) => a.field === i.field && a.fieldId === i.fieldId);
          const threshold = profile.fieldThresholds?.[i.field] ?? profile.defaultThreshold;
          return now ? describe(now) : `${describe(i)} → now passes threshold ${threshold}`;
        });
  return { documentId: record.documentId, was, becomes, why };
}

/** Closed documents that succeeded, from Temporal visibility (ids once each: reprocess adds runs). */
export async function pastDocumentIds(temporal: Client, since?: Date, limit = 10_000): Promise<string[]> {
  if (since && Number.isNaN(since.getTime())) throw new RangeError('since is not a date');
  const clauses = [
    `WorkflowType = 'documentWorkflow'`,
    `ExecutionStatus = 'Completed'`,
    `DocumentStatus = '${DocumentStatus.SUCCEEDED}'`,
    ...(since ? [`CloseTime >= '${since.toISOString()}'`] : []),
  ];
  const ids = new Set<string>();
  for await (const wf of temporal.workflow.list({ query: clauses.join(' AND ') })) {
    ids.add(wf.workflowId.replace(/^document-/, ''));
    if (ids.size >= limit) break;
  }
  return [...ids];
}

/** Runs `each` over `items`, at most `concurrency` at a time. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  each: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await each(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

/** Lists (and without the dry run reprocesses) the profile's documents whose route would change. */
export async function reroute(
  ctx: ReprocessContext,
  profile: DocumentProfile,
  request: RerouteRequest,
): Promise<RerouteResult> {
  const concurrency = request.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError('concurrency must be 1 or more');
  const ids = await pastDocumentIds(ctx.temporal, request.since, request.limit);
  const result: RerouteResult = { examined: 0, skipped: 0, changes: [], started: [], failed: [] };
  await pool(ids, 8, async (documentId) => {
    const record = await getJsonIfPresent<DocumentRecord>(
      ctx.s3,
      ctx.resultsBucket,
      documentRecordKey(documentId),
    );
    if (!record || record.profile !== profile.name) {
      result.skipped++;
      return;
    }
    result.examined++;
    const change = routeChange(record, profile);
    if (change) result.changes.push(change);
  });
  result.changes.sort((a, b) => a.documentId.localeCompare(b.documentId));
  if (request.dryRun) return result;
  await pool(result.changes, concurrency, async ({ documentId }) => {
    try {
      const started = await reprocessDocument(ctx, documentId, profile);
      result.started.push({ documentId, version: started.version });
    } catch (err) {
      result.failed.push({ documentId, error: (err as Error).message });
    }
  });
  return result;
}

/** The human form of a reroute result. */
export function formatReroute(result: RerouteResult, dryRun: boolean): string {
  const lines = [
    `${result.examined} document(s) examined, ${result.changes.length} would change route` +
      (result.skipped ? ` (${result.skipped} skipped: other profile or no stored record)` : ''),
  ];
  for (const c of result.changes) {
    lines.push(`${c.documentId}  ${c.was} → ${c.becomes}`);
    for (const w of c.why) lines.push(`    ${w}`);
  }
  if (!dryRun) {
    lines.push(`${result.started.length} reprocess run(s) started`);
    for (const f of result.failed) lines.push(`  not started ${f.documentId}: ${f.error}`);
  }
  return lines.join('\n');
}
