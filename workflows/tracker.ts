// The document's observable state: status query, search attributes and current details.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  log,
  metricMeter,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReviewItem } from '../lib/confidence-routing';
import {
  DocumentChecksumKey,
  type DocumentResult,
  type DocumentState,
  DocumentStatus,
  DocumentStatusKey,
  type DocumentWorkflowInput,
  type FailureInfo,
  type IgnoredMessage,
  MinConfidenceKey,
  PageCountKey,
  type ReviewAuditEntry,
  ReviewOverdueKey,
  ReviewRequiredKey,
  type ReviewSummary,
  type S3Location,
} from '../lib/contract';
import type { DocumentCost } from '../lib/pricing';
import { statsFieldName, type DocumentProfile } from '../lib/profile';
import { reviewLimits } from '../lib/review-input';
import { isPlainObject } from '../lib/validation';

const finalStatuses = new Set<DocumentStatus>([
  DocumentStatus.SUCCEEDED,
  DocumentStatus.FAILED,
  DocumentStatus.DUPLICATE,
]);

/** Workflow time as ISO 8601 (deterministic: the workflow clock). */
export function now(): string {
  return new Date().toISOString();
}

export class DocumentTracker {
  readonly state: DocumentState;
  /** Search-attribute upserts made (each a billed Temporal action; the SDK's for patches are not). */
  upserts = 0;
  /** Search attributes learnt since the last transition; sent with the next one to save upserts. */
  private pending: SearchAttributeUpdatePair[] = [];

  constructor(input: DocumentWorkflowInput) {
    this.state = {
      documentId: String(input?.documentId),
      profile: String(input?.profile?.name),
      status: DocumentStatus.RECEIVED,
      transitions: [],
      warnings: [],
      review: [],
      reviewActions: [],
      ignoredMessages: [],
      overdue: false,
      approvals: [],
      approvalsNeeded: 1,
    };
    this.profile = isPlainObject(input?.profile) ? input.profile : undefined;
  }

  private readonly profile: DocumentProfile | undefined;

  /** Records a transition and upserts DocumentStatus with whatever else became known. */
  transition(status: DocumentStatus, details: string): void {
    this.state.status = status;
    this.state.transitions.push({ status, at: now() });
    // A starter using documentStartOptions() already set RECEIVED: an upsert would only cost an action.
    const alreadySet = workflowInfo().typedSearchAttributes.get(DocumentStatusKey) === status;
    if (!alreadySet || this.pending.length > 0) {
      upsertSearchAttributes([{ key: DocumentStatusKey, value: status }, ...this.pending.splice(0)]);
      this.upserts += 1;
    }
    this.details(details);
    if (finalStatuses.has(status)) this.countFinished(status);
  }

  /**
   * `patched(name)`. The SDK's upsert of TemporalChangeVersion the first time a patch applies in a run
   * shows in the history but is not billed (Temporal Cloud's Actions page excludes it): not counted.
   */
  patched(name: string): boolean {
    return patched(name);
  }

  /** docket_documents_finished{status,profile} and docket_pages_processed (not emitted on replay). */
  private countFinished(status: DocumentStatus): void {
    const tags = { status, profile: this.state.profile };
    metricMeter
      .createCounter('docket_documents_finished', 'documents', 'Documents that reached a final status')
      .add(1, tags);
    if (this.state.pages) {
      metricMeter
        .createCounter('docket_pages_processed', 'pages', 'Pages of documents that reached a final status')
        .add(this.state.pages, tags);
    }
  }

  /** Current details for the Temporal UI: states and ids only, never document content. */
  details(text: string): void {
    setCurrentDetails(`**${this.state.status}** · ${text}`);
  }

  checksum(checksum: string, size: number, contentType: string): void {
    Object.assign(this.state, { checksum, size, contentType });
    this.pending.push({ key: DocumentChecksumKey, value: checksum });
  }

  pages(pages: number): void {
    this.state.pages = pages;
    this.pending.push({ key: PageCountKey, value: pages });
  }

  routed(items: ReviewItem[], minConfidence: number | null): void {
    this.state.review = items;
    this.state.minConfidence = minConfidence;
    if (minConfidence !== null) this.pending.push({ key: MinConfidenceKey, value: minConfidence });
    this.pending.push({ key: ReviewRequiredKey, value: items.length > 0 });
  }

  /** A clean document picked as an audit sample. */
  sampled(): void {
    this.state.sampled = true;
  }

  /** Past the SLA undecided: ReviewOverdue is upserted now (operators filter on it while it waits). */
  overdue(): void {
    this.state.overdue = true;
    upsertSearchAttributes([{ key: ReviewOverdueKey, value: true }]);
    this.upserts += 1;
    log.info('review overdue', { documentId: this.state.documentId, profile: this.state.profile });
  }

  /**
   * Takes the cost the output activity priced (absent in histories from before costs) off the
   * location it returned: the cost goes to `status`, the result and docket_document_cost_usd.
   */
  costed(written: S3Location & { cost?: DocumentCost }): S3Location {
    const { cost, ...location } = written;
    if (cost) {
      this.state.cost = cost;
      metricMeter
        .createHistogram('docket_document_cost_usd', 'float', 'USD', 'What one document cost, by profile')
        .record(cost.total, { profile: this.state.profile });
    }
    return location;
  }

  audit(entry: ReviewAuditEntry): void {
    this.state.reviewActions.push(entry);
  }

  /**
   * Records a review message the workflow did not act on: the latest `reviewLimits.ignoredMessagesKept`
   * are listed and all are counted, so a flood of bad signals cannot grow the state without bound.
   * The message holds no payload content (see IgnoredMessage).
   */
  ignored(message: IgnoredMessage): void {
    const list = this.state.ignoredMessages;
    list.push(message);
    if (list.length > reviewLimits.ignoredMessagesKept)
      list.splice(0, list.length - reviewLimits.ignoredMessagesKept);
    this.state.ignoredCount = (this.state.ignoredCount ?? 0) + 1;
    log.warn('review message ignored', {
      name: message.name,
      problem: message.problem,
      ignored: this.state.ignoredCount,
    });
  }

  fail(failure: FailureInfo): void {
    this.state.failure = failure;
    this.transition(DocumentStatus.FAILED, `${failure.type} in ${failure.phase}`);
  }

  result(): DocumentResult {
    const s = this.state;
    return {
      documentId: s.documentId,
      profile: s.profile,
      status: s.status,
      checksum: s.checksum,
      output: s.output,
      duplicateOf: s.duplicateOf,
      pages: s.pages ?? 0,
      fieldsReviewed: s.review.length,
      corrections: s.reviewActions.filter((a) => a.action === 'correct').length,
      ...(s.review.length > 0 ? { review: this.reviewSummary() } : {}),
      failure: s.failure,
      ...(s.cost ? { cost: s.cost } : {}),
    };
  }

  /** Corrected fields under their statistics name (see statsFieldName) and how many people acted. */
  private reviewSummary(): ReviewSummary {
    const s = this.state;
    const corrected = new Set<string>();
    const reviewers = new Set<string>();
    for (const a of s.reviewActions) {
      reviewers.add(a.reviewerId ?? `name:${a.reviewer}`);
      if (a.action === 'correct')
        corrected.add(this.profile ? statsFieldName(this.profile, a.field) : 'other');
    }
    return {
      profile: s.profile,
      sampled: s.sampled === true,
      correctedFields: [...corrected].sort(),
      reviewers: reviewers.size,
    };
  }
}
