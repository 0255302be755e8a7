// Human review: the review state that the workflow's signal and update handlers act on.
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { ApplicationFailure, condition, metricMeter } from '@temporalio/workflow';
import {
  type ClaimResult,
  liveClaim,
  type ReviewableField,
  type ReviewActionName,
  type ReviewClaim,
  type ReviewCorrection,
  type ReviewInput,
  type ReviewResult,
} from '../lib/contract';
import { statsFieldName, type DocumentProfile } from '../lib/profile';
import {
  correctionBudgetProblem,
  parseClaimInput,
  parseReviewInput,
  resolveReviewField,
  reviewLimits,
  type ReviewSizeLimits,
  unboundedReviewLimits,
} from '../lib/review-input';
import { isPlainObject } from '../lib/validation';
import { now, type DocumentTracker } from './tracker';

export type ReviewDecision =
  { action: 'approve' } | { action: 'reject'; reason: string } | { action: 'timeout' };

/** How one document's review runs: from its profile and its review items. */
export interface ReviewOptions {
  profile: DocumentProfile;
  /** Review fails with REVIEW_TIMEOUT after this long. */
  deadline: Duration;
  /** Past this without a decision the document is overdue: `onOverdue` runs once. */
  sla?: Duration;
  /** A claim lapses this long after its holder's last action. */
  claimIdle: Duration;
  /** Approvals by different reviewers the document needs (2 with critical fields under review). */
  approvalsNeeded: number;
  /**
   * Whether claims apply (`patched('review-claims')`): false when replaying a history recorded before
   * claims existed, whose review messages were all applied as they came.
   */
  claims: boolean;
  onOverdue: () => void;
}

const actions: ReadonlySet<unknown> = new Set(['approve', 'reject', 'correct']);

export class ReviewDesk {
  private open = false;
  private decision?: ReviewDecision;
  private options?: ReviewOptions;
  /** The fields a reviewer may correct, with their current values (for the audit's old → new). */
  private fields: ReviewableField[] = [];
  /** Every correction in order; the output applies them in turn. */
  readonly corrections: ReviewCorrection[] = [];

  constructor(private readonly tracker: DocumentTracker) {}

  /** The review update's validator: throwing rejects the update before it is written to history. */
  validate(raw: unknown): void {
    const action = isPlainObject(raw) ? raw.action : undefined;
    if (!actions.has(action)) throw new Error('action must be approve, reject or correct');
    const found = this.problemWith(action as ReviewActionName, raw);
    if (found) throw new Error(found.problem);
  }

  /** Opens review for these fields and waits for approve, reject or the deadline. */
  async awaitDecision(fields: readonly ReviewableField[], options: ReviewOptions): Promise<ReviewDecision> {
    this.fields = fields.map((f) => ({ ...f }));
    this.options = options;
    const state = this.tracker.state;
    state.approvalsNeeded = options.approvalsNeeded;
    const opened = Date.now();
    const deadlineMs = msToNumber(options.deadline);
    state.reviewDueAt = new Date(opened + deadlineMs).toISOString();
    this.open = true;
    const decided = () => this.decision !== undefined;
    let done: boolean;
    if (options.sla === undefined) {
      // Exactly the one timer documents had before SLAs existed (replays of their histories match).
      done = await condition(decided, options.deadline);
    } else {
      const slaMs = msToNumber(options.sla);
      state.reviewSlaAt = new Date(opened + slaMs).toISOString();
      done = await condition(decided, slaMs);
      if (!done) {
        options.onOverdue();
        done = await condition(decided, Math.max(1, deadlineMs - slaMs));
      }
    }
    this.open = false;
    return done && this.decision ? this.decision : { action: 'timeout' };
  }

  // ── Claims ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * The claim that holds now. Lazy: nothing wakes the workflow when a lease lapses, so expiry is read
   * against workflow time whenever a message arrives. Pure, because validators must not change state.
   */
  private liveClaim(): ReviewClaim | undefined {
    return liveClaim(this.tracker.state, Date.now());
  }

  /** Why this reviewer may not act while someone else holds the document; undefined if they may. */
  private heldProblem(reviewerId: unknown): string | undefined {
    if (this.options?.claims === false) return undefined;
    const claim = this.liveClaim();
    if (!claim || claim.reviewerId === reviewerId) return undefined;
    return `the document is claimed by ${claim.reviewer} until ${claim.expiresAt}`;
  }

  /** Claims for `who`, or extends their lease: the profile's claimIdle from now. */
  private touchClaim(who: { reviewer: string; reviewerId: string }): ReviewClaim {
    const live = this.liveClaim();
    const at = now();
    const idle = msToNumber(this.options?.claimIdle ?? '30 minutes');
    const claim: ReviewClaim = {
      reviewer: who.reviewer,
      reviewerId: who.reviewerId,
      at: live && live.reviewerId === who.reviewerId ? live.at : at,
      expiresAt: new Date(Date.now() + idle).toISOString(),
    };
    this.tracker.state.claim = claim;
    return claim;
  }

  private notOpenProblem(): string | undefined {
    if (!this.open) return 'the document is not awaiting review';
    if (this.decision) return `the review was already decided (${this.decision.action})`;
    return undefined;
  }

  /** Claims are refused on documents that opened review before claims existed. */
  private claimsProblem(): string | undefined {
    return this.notOpenProblem() ?? (this.options?.claims ? undefined : 'this document does not take claims');
  }

  /** The claim update's validator. */
  validateClaim(raw: unknown): void {
    const problem = this.claimsProblem();
    if (problem) throw new Error(problem);
    const parsed = parseClaimInput('claim', raw);
    if (!parsed.ok) throw new Error(parsed.problem);
    const held = this.heldProblem(parsed.value.reviewerId);
    if (held) throw new Error(held);
  }

  claim(raw: unknown): ClaimResult {
    const parsed = parseClaimInput('claim', raw);
    const held = parsed.ok ? this.heldProblem(parsed.value.reviewerId) : 'invalid claim';
    // Another message in the same activation may have taken it after validation.
    if (!parsed.ok || held) throw ApplicationFailure.create({ message: held, nonRetryable: true });
    const claim = this.touchClaim(parsed.value);
    this.tracker.details(`claimed by ${claim.reviewer}`);
    return { status: this.tracker.state.status, claim };
  }

  /** The release update's validator: only the holder, or anyone with `force` (an operator). */
  validateRelease(raw: unknown): void {
    const problem = this.claimsProblem();
    if (problem) throw new Error(problem);
    const parsed = parseClaimInput('release', raw);
    if (!parsed.ok) throw new Error(parsed.problem);
    const live = this.liveClaim();
    if (!live) throw new Error('nobody holds the document');
    if (live.reviewerId !== parsed.value.reviewerId && !parsed.value.force) {
      throw new Error(
        `the document is claimed by ${live.reviewer} until ${live.expiresAt}: ` +
          'only its holder, or an operator with force, can release it',
      );
    }
  }

  release(raw: unknown): ClaimResult {
    const parsed = parseClaimInput('release', raw);
    const live = this.liveClaim();
    if (!parsed.ok) throw ApplicationFailure.create({ message: parsed.problem, nonRetryable: true });
    // Another message in the same activation may have changed the holder after validation.
    if (live && live.reviewerId !== parsed.value.reviewerId && !parsed.value.force) {
      throw ApplicationFailure.create({
        message: `the document is claimed by ${live.reviewer} until ${live.expiresAt}`,
        nonRetryable: true,
      });
    }
    if (live) {
      const forced = live.reviewerId !== parsed.value.reviewerId;
      const releases = (this.tracker.state.releases ??= []);
      releases.push({
        reviewer: parsed.value.reviewer,
        reviewerId: parsed.value.reviewerId,
        at: now(),
        holder: live.reviewer,
        holderId: live.reviewerId,
        forced,
      });
      // Claim and release can repeat without end: keep the latest, count them all.
      if (releases.length > reviewLimits.releasesKept) {
        releases.splice(0, releases.length - reviewLimits.releasesKept);
      }
      this.tracker.state.releaseCount = (this.tracker.state.releaseCount ?? 0) + 1;
      this.tracker.details(forced ? `claim of ${live.reviewer} released by an operator` : 'claim released');
    }
    delete this.tracker.state.claim;
    return { status: this.tracker.state.status };
  }

  // ── Review actions ──────────────────────────────────────────────────────────────────────────────

  /** What is wrong with a review message: `redacted` quotes nothing the sender chose. */
  private problemWith(
    action: ReviewActionName,
    raw: unknown,
    limits: ReviewSizeLimits = reviewLimits,
  ): { problem: string; redacted: string } | undefined {
    const same = (problem: string) => ({ problem, redacted: problem });
    const closed = this.notOpenProblem();
    if (closed) return same(closed);
    const parsed = parseReviewInput(action, raw, this.fields, limits);
    if (!parsed.ok) return parsed;
    const { reviewerId } = parsed.value;
    const held = this.heldProblem(reviewerId);
    // The holder's name is for the refused reviewer, not for logs.
    if (held) return { problem: held, redacted: 'the document is claimed by another reviewer' };
    if (action === 'approve' && this.tracker.state.approvalsNeeded > 1) {
      if (reviewerId === undefined) {
        return same(
          'this document has critical fields: approving it needs a signed-in reviewer (reviewerId)',
        );
      }
      if (this.tracker.state.approvals.some((a) => a.reviewerId === reviewerId)) {
        return same(
          'this document has critical fields: you approved it already; a different reviewer must approve it too',
        );
      }
    }
    // The per-document bound needs the corrections so far (reviewLimits in lib/review-input.ts).
    const overBudget =
      parsed.value.action === 'correct' && limits === reviewLimits
        ? correctionBudgetProblem(this.corrections, parsed.value.fields)
        : undefined;
    return overBudget ? same(overBudget) : undefined;
  }

  /** A review signal: applied when valid, otherwise recorded as ignored (signals cannot be refused). */
  onSignal(action: ReviewActionName, raw: unknown): void {
    // Signals are checked again when a history replays: one a workflow accepted before the size
    // limits existed must be applied again on replay, not dropped.
    const limits = this.tracker.patched('review-signal-limits') ? reviewLimits : unboundedReviewLimits;
    const found = this.problemWith(action, raw, limits);
    if (found) {
      // Signals bypass the clients: record only what the workflow itself chose to say.
      this.tracker.ignored({ name: action, at: now(), problem: found.redacted });
      return;
    }
    const parsed = parseReviewInput(action, raw, this.fields, limits);
    if (parsed.ok) this.apply(parsed.value);
  }

  /** Applies a validated review action and records it in the audit. */
  apply(input: ReviewInput): ReviewResult {
    const at = now();
    const state = this.tracker.state;
    const who = {
      reviewer: input.reviewer,
      ...(input.reviewerId === undefined ? {} : { reviewerId: input.reviewerId }),
    };
    // A signed-in reviewer's action claims the document for them (or extends their lease). Actions
    // without a reviewerId (histories from before sign-in) never touch claims.
    if (input.reviewerId !== undefined)
      this.touchClaim({ reviewer: input.reviewer, reviewerId: input.reviewerId });
    switch (input.action) {
      case 'approve':
        this.tracker.audit({ action: 'approve', ...who, at, comment: input.comment });
        if (input.reviewerId !== undefined) {
          state.approvals.push({ reviewer: input.reviewer, reviewerId: input.reviewerId, at });
        }
        if (state.approvalsNeeded > 1 && state.approvals.length < state.approvalsNeeded) {
          // Let a second reviewer take it.
          delete state.claim;
        } else {
          this.decision = { action: 'approve' };
        }
        break;
      case 'reject':
        this.tracker.audit({ action: 'reject', ...who, at, reason: input.reason });
        this.decision = { action: 'reject', reason: input.reason };
        break;
      case 'correct': {
        const counter = metricMeter.createCounter(
          'docket_review_corrections',
          'corrections',
          'Field values reviewers corrected, by profile and field (named by the profile, else other)',
        );
        for (const [key, newValue] of Object.entries(input.fields)) {
          const found = resolveReviewField(this.fields, key);
          // Validated before it got here; a key that no longer resolves changes nothing.
          if (!found.ok) continue;
          const { field } = found;
          this.tracker.audit({
            action: 'correct',
            ...who,
            at,
            field: field.name,
            fieldId: field.id,
            oldValue: field.value,
            newValue,
          });
          field.value = newValue;
          this.corrections.push({
            fieldId: field.id,
            name: field.name,
            text: newValue,
            ...who,
            at,
          });
          if (this.options) {
            counter.add(1, {
              profile: this.options.profile.name,
              field: statsFieldName(this.options.profile, field.name),
            });
          }
        }
        // Earlier approvals by others were of other values.
        state.approvals = state.approvals.filter((a) => a.reviewerId === input.reviewerId);
        // A critical field changed by a person needs a second person, whatever routing found.
        const critical = this.options?.profile.criticalFields ?? [];
        const touchesCritical = Object.keys(input.fields).some((key) => {
          const found = resolveReviewField(this.fields, key);
          return found.ok && critical.includes(found.field.name);
        });
        if (touchesCritical && state.approvalsNeeded < 2 && this.tracker.patched('critical-corrections')) {
          state.approvalsNeeded = 2;
        }
        break;
      }
    }
    const approvals =
      state.approvalsNeeded > 1 && !this.decision
        ? ` (${state.approvals.length} of ${state.approvalsNeeded} approvals)`
        : '';
    this.tracker.details(`review: ${state.reviewActions.length} action(s) recorded${approvals}`);
    return { status: state.status, actionsRecorded: state.reviewActions.length };
  }
}
