/*
 * The document workflow's contract, in one module: what the workflow, every client and the tests share.
 * Identity (workflow id, task queue), statuses, the input and result, failure types, the signals, query
 * and update, the search attributes, and the options every starter passes. Pure and deterministic: it
 * is bundled into the workflow sandbox as well as imported by Node processes.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReviewItem } from './confidence-routing';
import type { TextractWarning } from './extraction';
import type { DocumentCost } from './pricing';
import type { ReprocessInput } from './extraction-record';
import type { DocumentProfile } from './profile';
import type { FailureInfo } from './failures';
import { DocumentStatusKey } from './search-attributes';

// ── Identity ────────────────────────────────────────────────────────────────────────────────────

/**
 * The default task queue of document workflows and their activities: workers poll it and clients start
 * on it unless DOCKET_TASK_QUEUE names another (for all of them alike).
 */
export const documentTaskQueue = 'docket-documents';

/** The one place a document's workflow id is made: starting the same document twice hits the same id. */
export function documentWorkflowId(documentId: string): string {
  return `document-${documentId}`;
}

// ── Status ──────────────────────────────────────────────────────────────────────────────────────

/** Where a document is in its life. Values are what operators filter on in the Temporal UI. */
export const DocumentStatus = {
  RECEIVED: 'RECEIVED',
  PROCESSING: 'PROCESSING',
  AWAITING_REVIEW: 'AWAITING_REVIEW',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  DUPLICATE: 'DUPLICATE',
} as const;
export type DocumentStatus = (typeof DocumentStatus)[keyof typeof DocumentStatus];

// ── Input ───────────────────────────────────────────────────────────────────────────────────────

/** The S3 object a document workflow processes. */
export interface DocumentSource {
  bucket: string;
  key: string;
  /** Pin a version in versioned buckets, so a later upload under the same key is not read by mistake. */
  versionId?: string;
}

/** The one argument of the document workflow. */
export interface DocumentWorkflowInput {
  /** Caller's id; the workflow id is `documentWorkflowId(documentId)`. Letters, digits, `-_.:` only. */
  documentId: string;
  source: DocumentSource;
  /** The resolved profile (see {@link DocumentProfile}). */
  profile: DocumentProfile;
  /**
   * Set by `docket reprocess`: rebuild from these stored raw parts (no Textract call, no checksum or
   * claim) and write this output version. Absent for a document's first run.
   */
  reprocess?: ReprocessInput;
}

/** A one-line, content-free summary for the workflow's static summary in the Temporal UI. */
export function documentStaticSummary(input: Pick<DocumentWorkflowInput, 'documentId' | 'profile'>): string {
  return `document ${input.documentId} · profile ${input.profile.name}`;
}

// ── State and result ────────────────────────────────────────────────────────────────────────────

/** An S3 object docket wrote. */
export interface S3Location {
  bucket: string;
  key: string;
}

/** When the document entered a state (workflow time, ISO 8601). */
export interface StatusTransition {
  status: DocumentStatus;
  at: string;
}

/** One thing a reviewer did. Corrections produce one entry per field, with the old and new value. */
export type ReviewAuditEntry =
  | { action: 'approve'; reviewer: string; reviewerId?: string; at: string; comment?: string }
  | { action: 'reject'; reviewer: string; reviewerId?: string; at: string; reason: string }
  | {
      action: 'correct';
      reviewer: string;
      reviewerId?: string;
      at: string;
      /** The field's name. */
      field: string;
      /** The field's id, when Textract found it (a missing required field has none). */
      fieldId?: string;
      oldValue: string | null;
      newValue: string;
    };

/**
 * A value a reviewer set, in the order given, as the workflow hands it to the output activity. What
 * it corrects:
 *
 * - `fieldId` of a field (`p<page>-f<n>`): that field's value text becomes `text` and the field gets
 *   `correction = { extractedText, reviewer, at }`. The id of a query answer (`p<page>-q<n>`) works
 *   the same way on the answer's `text` (answers have no `correction`: the document's `corrections`
 *   entry records what Textract had).
 * - no `fieldId`, `name` a query alias of the document: the alias's top answer, the one with the
 *   highest confidence (the first in document order on a tie): the answer the summary showed the
 *   reviewer under that name. Its entry in `corrections` gets the answer's id as `fieldId`.
 * - no `fieldId`, any other name: a field Textract did not find (a missing required field). It is
 *   only in `corrections`, with `extractedText: null`. Form fields are never matched by name: keys
 *   repeat, and their ids are how the workflow points at one.
 *
 * Several corrections of the same target: the last wins, at the first one's place in the list.
 */
export interface ReviewCorrection {
  /** The corrected field's id; absent for a field Textract did not find (a missing required one). */
  fieldId?: string;
  name: string;
  text: string;
  reviewer: string;
  reviewerId?: string;
  at: string;
}

/** A field a reviewer may correct: one Textract found (with its id), or one the profile names. */
export interface ReviewableField {
  id?: string;
  name: string;
  /** Its current value ('' for a field Textract did not find). */
  value: string;
}

/** A review message the workflow did not act on, and why. Carries no payload content. */
export interface IgnoredMessage {
  name: string;
  at: string;
  problem: string;
}

/** The original a duplicate points at. */
export interface DuplicateOf {
  documentId: string;
  output: S3Location;
}

/** A reviewer's hold on a document: others' review actions are refused until it expires or is released. */
export interface ReviewClaim {
  reviewer: string;
  reviewerId: string;
  /** When the holder claimed it (workflow time, ISO 8601). */
  at: string;
  /** When the lease lapses: the profile's claimIdle after the holder's last action. */
  expiresAt: string;
}

/** An approval of a document whose review needs several (critical fields). */
export interface ReviewApproval {
  reviewer: string;
  reviewerId: string;
  at: string;
}

/** A claim that ended before it expired: released by its holder, or forced by an operator. */
export interface ClaimRelease {
  /** Who released it (the operator, when forced). */
  reviewer: string;
  reviewerId: string;
  at: string;
  /** Who held it. */
  holder: string;
  holderId: string;
  forced: boolean;
}

/**
 * The review in the workflow's result: enough for review statistics, no values. `correctedFields`
 * holds each corrected field's name when the profile names it, `other` otherwise (as the
 * docket_review_corrections metric does).
 */
export interface ReviewSummary {
  /** The profile's name (review statistics group by it). */
  profile: string;
  sampled: boolean;
  correctedFields: string[];
  /** Distinct reviewers who acted (by reviewerId, else by name). */
  reviewers: number;
}

/** What the `status` query returns. */
export interface DocumentState {
  documentId: string;
  profile: string;
  status: DocumentStatus;
  transitions: StatusTransition[];
  checksum?: string;
  size?: number;
  contentType?: string;
  textractJobId?: string;
  pages?: number;
  minConfidence?: number | null;
  warnings: TextractWarning[];
  /** Fields that need (or needed) review and why. */
  review: ReviewItem[];
  reviewActions: ReviewAuditEntry[];
  /** The latest review messages the workflow ignored (at most `reviewLimits.ignoredMessagesKept`). */
  ignoredMessages: IgnoredMessage[];
  /** How many review messages were ignored in all; absent until the first (and in older histories). */
  ignoredCount?: number;
  /** A clean document sent to review by the profile's sampleRate. */
  sampled?: boolean;
  /**
   * The last claim taken. It stays here after its lease lapses (nothing wakes the workflow for
   * that): read it through {@link liveClaim} to tell whether it still holds.
   */
  claim?: ReviewClaim;
  /** The latest claims released before they expired (at most `reviewLimits.releasesKept`), in order. */
  releases?: ClaimRelease[];
  /** How many claims were released in all; absent until the first. */
  releaseCount?: number;
  /** When review fails with REVIEW_TIMEOUT (ISO 8601), set when review opens. */
  reviewDueAt?: string;
  /** When the document becomes overdue (the profile's reviewSla), when one is set. */
  reviewSlaAt?: string;
  /** Past its SLA without a decision (also the ReviewOverdue search attribute). */
  overdue: boolean;
  /** Approvals so far: with critical fields under review, `approvalsNeeded` by different reviewers. */
  approvals: ReviewApproval[];
  /** 2 when a review item concerns one of the profile's criticalFields, else 1. */
  approvalsNeeded: number;
  output?: S3Location;
  duplicateOf?: DuplicateOf;
  failure?: FailureInfo;
  /** What the document cost (USD), once its output is written; absent in older histories. */
  cost?: DocumentCost;
}

/** The workflow's result (also the details of its failure): a compact summary, never extracted data. */
export interface DocumentResult {
  documentId: string;
  /** The profile the document ran with; absent in results of older versions. */
  profile?: string;
  status: DocumentStatus;
  checksum?: string;
  output?: S3Location;
  duplicateOf?: DuplicateOf;
  pages: number;
  fieldsReviewed: number;
  corrections: number;
  /** Present when the document went to review. */
  review?: ReviewSummary;
  failure?: FailureInfo;
  /** What the document cost (USD); absent when it failed before its output or ran before costs. */
  cost?: DocumentCost;
}

// ── Failures (lib/failures.ts) and search attributes (lib/search-attributes.ts) ─────────────────

export { FailurePhase, FailureType } from './failures';
export type { FailureInfo } from './failures';
export {
  docketSearchAttributes,
  DocumentChecksumKey,
  DocumentStatusKey,
  MinConfidenceKey,
  PageCountKey,
  ReviewOverdueKey,
  ReviewRequiredKey,
} from './search-attributes';

// ── Messages ────────────────────────────────────────────────────────────────────────────────────

/**
 * Who does a review action, as a verified token says: `reviewer` is the token's display name and
 * `reviewerId` its subject (OIDC `sub`). Clients fill both from the token, never from typed input.
 * `reviewerId` is absent only in histories recorded before authentication existed.
 */
export interface ReviewerIdentity {
  reviewer: string;
  reviewerId?: string;
}

export interface ApproveInput extends ReviewerIdentity {
  comment?: string;
}

export interface RejectInput extends ReviewerIdentity {
  reason: string;
}

export interface CorrectInput extends ReviewerIdentity {
  /**
   * New values by field id (`p1-f3`, as `status` shows them), or by name when the name is a single
   * field of the document or a field the profile names that Textract did not find.
   */
  fields: Record<string, string>;
}

/** Accept the document as it is (after any corrections). */
export const approveSignal = defineSignal<[ApproveInput]>('approve');
/** Refuse the document: it ends FAILED with type ReviewRejected. */
export const rejectSignal = defineSignal<[RejectInput]>('reject');
/** Replace field values; the document keeps waiting for approve or reject. */
export const correctSignal = defineSignal<[CorrectInput]>('correct');

/**
 * Textract said a job finished (its SNS completion message, relayed by the worker's listener). The
 * workflow acts only on its current job's id and confirms the status with one Get* before collecting,
 * so a duplicate, late or forged message changes nothing.
 */
export interface TextractCompletedInput {
  jobId: string;
  /** Textract's Status: SUCCEEDED, FAILED or ERROR. */
  status: string;
  /** When the job finished (epoch ms, Textract's Timestamp). */
  finishedAt?: number;
  /** The quota workflow the listener already gave the document's lease back to (then collection does not). */
  leaseReleasedBy?: string;
}

export const textractCompletedSignal = defineSignal<[TextractCompletedInput]>('textractCompleted');

/** The update form of the three review actions: validated before it reaches history. */
export type ReviewInput =
  | ({ action: 'approve' } & ApproveInput)
  | ({ action: 'reject' } & RejectInput)
  | ({ action: 'correct' } & CorrectInput);

/** What the review update returns once applied. */
export interface ReviewResult {
  status: DocumentState['status'];
  actionsRecorded: number;
}

export const reviewUpdate = defineUpdate<ReviewResult, [ReviewInput]>('review');

/** The document's state, transitions, review and failure (see {@link DocumentState}). */
export const statusQuery = defineQuery<DocumentState>('status');

export type ReviewActionName = ReviewInput['action'];

/** Claim a document for review. Both names come from the verified token; `reviewerId` is required. */
export interface ClaimReviewInput {
  reviewer: string;
  reviewerId: string;
}

/**
 * Release a claim: its holder, or an operator with `force` (the API and CLI check the operator role;
 * the workflow records who forced it).
 */
export interface ReleaseReviewInput extends ClaimReviewInput {
  force?: boolean;
}

/** The claim that holds at `now` (ms since the epoch), if any: one whose lease has not lapsed. */
export function liveClaim(
  state: Pick<DocumentState, 'claim'>,
  now: number = Date.now(),
): ReviewClaim | undefined {
  const claim = state.claim;
  return claim && Date.parse(claim.expiresAt) > now ? claim : undefined;
}

/** What the claim and release updates return. */
export interface ClaimResult {
  status: DocumentStatus;
  /** The claim after the update (absent once released). */
  claim?: ReviewClaim;
}

/** Claims the document (or extends the holder's lease); refused while another reviewer holds it. */
export const claimUpdate = defineUpdate<ClaimResult, [ClaimReviewInput]>('claim');
/** Ends a claim before it expires. */
export const releaseUpdate = defineUpdate<ClaimResult, [ReleaseReviewInput]>('release');

// ── Starting a document ─────────────────────────────────────────────────────────────────────────

/**
 * Options every starter passes to `client.workflow.start(documentWorkflow, …)`: the one workflow id
 * (so the same document never runs twice), the task queue, a content-free static summary for the UI,
 * and DocumentStatus=RECEIVED set with the start itself instead of by a billed upsert.
 *
 * @param taskQueue the queue the workers poll: a client's configured DOCKET_TASK_QUEUE. A parameter
 *   rather than the `documentTaskQueue` constant, so a client can never start documents on a queue
 *   other than the one it was configured with.
 */
export function documentStartOptions(input: DocumentWorkflowInput, taskQueue: string) {
  return {
    workflowId: documentWorkflowId(input.documentId),
    taskQueue,
    args: [input] as [DocumentWorkflowInput],
    staticSummary: documentStaticSummary(input),
    typedSearchAttributes: [{ key: DocumentStatusKey, value: DocumentStatus.RECEIVED as string }],
  };
}
