// Human review: the review state that the workflow's signal and update handlers act on.
import type { Duration } from '@temporalio/common';
import { condition } from '@temporalio/workflow';
import type { CorrectionInput } from '../activities/output';
import type { ReviewActionName, ReviewInput, ReviewResult } from '../lib/contract';
import { isPlainObject, parseReviewInput } from '../lib/validation';
import { now, type DocumentTracker } from './tracker';

export type ReviewDecision =
  { action: 'approve' } | { action: 'reject'; reason: string } | { action: 'timeout' };

const actions: ReadonlySet<unknown> = new Set(['approve', 'reject', 'correct']);

export class ReviewDesk {
  private open = false;
  private decision?: ReviewDecision;
  private known: ReadonlySet<string> = new Set();
  /** Current value of each field, for the audit's old → new. */
  private values = new Map<string, string>();
  /** The reviewers' values for the output: the latest per field, by name (the summary has no ids). */
  readonly corrections: CorrectionInput[] = [];

  constructor(private readonly tracker: DocumentTracker) {}

  /** The review update's validator: throwing rejects the update before it is written to history. */
  validate(raw: unknown): void {
    const action = isPlainObject(raw) ? raw.action : undefined;
    if (!actions.has(action)) throw new Error('action must be approve, reject or correct');
    const problem = this.problemWith(action as ReviewActionName, raw);
    if (problem) throw new Error(problem);
  }

  /** Opens review for these fields and waits for approve, reject or the deadline. */
  async awaitDecision(fields: Map<string, string>, deadline: Duration): Promise<ReviewDecision> {
    this.values = new Map(fields);
    this.known = new Set(fields.keys());
    this.open = true;
    const decided = await condition(() => this.decision !== undefined, deadline);
    this.open = false;
    return decided && this.decision ? this.decision : { action: 'timeout' };
  }

  private problemWith(action: ReviewActionName, raw: unknown): string | undefined {
    if (!this.open) return 'the document is not awaiting review';
    if (this.decision) return `the review was already decided (${this.decision.action})`;
    const parsed = parseReviewInput(action, raw, this.known);
    return parsed.ok ? undefined : parsed.problem;
  }

  /** A review signal: applied when valid, otherwise recorded as ignored (signals cannot be refused). */
  onSignal(action: ReviewActionName, raw: unknown): void {
    const problem = this.problemWith(action, raw);
    if (problem) {
      this.tracker.ignored({ name: action, at: now(), problem });
      return;
    }
    const parsed = parseReviewInput(action, raw, this.known);
    if (parsed.ok) this.apply(parsed.value);
  }

  /** Applies a validated review action and records it in the audit. */
  apply(input: ReviewInput): ReviewResult {
    const at = now();
    switch (input.action) {
      case 'approve':
        this.tracker.audit({ action: 'approve', reviewer: input.reviewer, at, comment: input.comment });
        this.decision = { action: 'approve' };
        break;
      case 'reject':
        this.tracker.audit({ action: 'reject', reviewer: input.reviewer, at, reason: input.reason });
        this.decision = { action: 'reject', reason: input.reason };
        break;
      case 'correct':
        for (const [field, newValue] of Object.entries(input.fields)) {
          const oldValue = this.values.get(field) ?? null;
          this.tracker.audit({ action: 'correct', reviewer: input.reviewer, at, field, oldValue, newValue });
          this.values.set(field, newValue);
          const correction = { name: field, text: newValue, reviewer: input.reviewer, at };
          const earlier = this.corrections.findIndex((c) => c.name === field);
          if (earlier >= 0) this.corrections[earlier] = correction;
          else this.corrections.push(correction);
        }
        break;
    }
    this.tracker.details(`review: ${this.tracker.state.reviewActions.length} action(s) recorded`);
    return { status: this.tracker.state.status, actionsRecorded: this.tracker.state.reviewActions.length };
  }
}
