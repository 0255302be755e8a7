// Human review: the review state that the workflow's signal and update handlers act on.
import type { Duration } from '@temporalio/common';
import { condition } from '@temporalio/workflow';
import type {
  ReviewableField,
  ReviewActionName,
  ReviewCorrection,
  ReviewInput,
  ReviewResult,
} from '../lib/contract';
import {
  correctionBudgetProblem,
  isPlainObject,
  parseReviewInput,
  resolveReviewField,
} from '../lib/validation';
import { now, type DocumentTracker } from './tracker';

export type ReviewDecision =
  { action: 'approve' } | { action: 'reject'; reason: string } | { action: 'timeout' };

const actions: ReadonlySet<unknown> = new Set(['approve', 'reject', 'correct']);

export class ReviewDesk {
  private open = false;
  private decision?: ReviewDecision;
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
  async awaitDecision(fields: readonly ReviewableField[], deadline: Duration): Promise<ReviewDecision> {
    this.fields = fields.map((f) => ({ ...f }));
    this.open = true;
    const decided = await condition(() => this.decision !== undefined, deadline);
    this.open = false;
    return decided && this.decision ? this.decision : { action: 'timeout' };
  }

  /** What is wrong with a review message: `redacted` quotes nothing the sender chose. */
  private problemWith(
    action: ReviewActionName,
    raw: unknown,
  ): { problem: string; redacted: string } | undefined {
    const state = (problem: string) => ({ problem, redacted: problem });
    if (!this.open) return state('the document is not awaiting review');
    if (this.decision) return state(`the review was already decided (${this.decision.action})`);
    const parsed = parseReviewInput(action, raw, this.fields);
    if (!parsed.ok) return parsed;
    // The per-document bound needs the corrections so far (reviewLimits in lib/validation.ts).
    const overBudget =
      parsed.value.action === 'correct'
        ? correctionBudgetProblem(this.corrections, parsed.value.fields)
        : undefined;
    return overBudget ? state(overBudget) : undefined;
  }

  /** A review signal: applied when valid, otherwise recorded as ignored (signals cannot be refused). */
  onSignal(action: ReviewActionName, raw: unknown): void {
    const found = this.problemWith(action, raw);
    if (found) {
      // Signals bypass the clients: record only what the workflow itself chose to say.
      this.tracker.ignored({ name: action, at: now(), problem: found.redacted });
      return;
    }
    const parsed = parseReviewInput(action, raw, this.fields);
    if (parsed.ok) this.apply(parsed.value);
  }

  /** Applies a validated review action and records it in the audit. */
  apply(input: ReviewInput): ReviewResult {
    const at = now();
    const who = {
      reviewer: input.reviewer,
      ...(input.reviewerId === undefined ? {} : { reviewerId: input.reviewerId }),
    };
    switch (input.action) {
      case 'approve':
        this.tracker.audit({ action: 'approve', ...who, at, comment: input.comment });
        this.decision = { action: 'approve' };
        break;
      case 'reject':
        this.tracker.audit({ action: 'reject', ...who, at, reason: input.reason });
        this.decision = { action: 'reject', reason: input.reason };
        break;
      case 'correct':
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
        }
        break;
    }
    this.tracker.details(`review: ${this.tracker.state.reviewActions.length} action(s) recorded`);
    return { status: this.tracker.state.status, actionsRecorded: this.tracker.state.reviewActions.length };
  }
}
