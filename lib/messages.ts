// The document workflow's messages, defined once for the workflow, the clients and the tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DocumentState } from './document-state';
import { isPlainObject, nonEmptyString } from './guards';

export interface ApproveInput {
  reviewer: string;
  comment?: string;
}

export interface RejectInput {
  reviewer: string;
  reason: string;
}

export interface CorrectInput {
  reviewer: string;
  /** New values by field name; each must be a field the document has or the profile names. */
  fields: Record<string, string>;
}

/** Accept the document as it is (after any corrections). */
export const approveSignal = defineSignal<[ApproveInput]>('approve');
/** Refuse the document: it ends FAILED with type ReviewRejected. */
export const rejectSignal = defineSignal<[RejectInput]>('reject');
/** Replace field values; the document keeps waiting for approve or reject. */
export const correctSignal = defineSignal<[CorrectInput]>('correct');

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

/**
 * Checks a review payload without zod (it runs in the workflow sandbox). Problems name the field at
 * fault, never its value, because they end up in `status` and in logs.
 */
export function parseReviewInput(
  action: ReviewActionName,
  raw: unknown,
  knownFields: ReadonlySet<string>,
): { ok: true; value: ReviewInput } | { ok: false; problem: string } {
  if (!isPlainObject(raw)) return { ok: false, problem: `${action} payload must be an object` };
  if (!nonEmptyString(raw.reviewer)) return { ok: false, problem: 'reviewer is required' };
  const reviewer = raw.reviewer;
  switch (action) {
    case 'approve':
      if (raw.comment !== undefined && typeof raw.comment !== 'string') {
        return { ok: false, problem: 'comment must be a string' };
      }
      return { ok: true, value: { action, reviewer, comment: raw.comment } };
    case 'reject':
      if (!nonEmptyString(raw.reason)) return { ok: false, problem: 'reason is required' };
      return { ok: true, value: { action, reviewer, reason: raw.reason } };
    case 'correct': {
      const fields = raw.fields;
      if (!isPlainObject(fields) || Object.keys(fields).length === 0) {
        return { ok: false, problem: 'fields must map at least one field name to its new value' };
      }
      const corrected: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields)) {
        if (!knownFields.has(name))
          return { ok: false, problem: `fields.${name} is not a field of this document` };
        if (typeof value !== 'string') return { ok: false, problem: `fields.${name} must be a string` };
        corrected[name] = value;
      }
      return { ok: true, value: { action, reviewer, fields: corrected } };
    }
    default:
      return { ok: false, problem: 'action must be approve, reject or correct' };
  }
}
