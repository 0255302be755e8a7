/*
 * What people send in a review (approve, reject, correct, claim, release): its size limits and its
 * checks. Written without zod so it runs inside the workflow sandbox (the update validators, the
 * signal handlers) as well as in clients. Problems name the field at fault and the limit, never a
 * value the sender chose: they end up in `status` and logs.
 */
import type { ReviewableField, ReviewActionName, ReviewInput } from './contract';
import { isPlainObject, nonEmptyString } from './validation';

/**
 * Size limits of everything a person sends in a review, checked by {@link parseReviewInput} (so the
 * review update's validator refuses and review signals are ignored), by the HTTP API's JSON schemas
 * and by the CLI before anything reaches Temporal. Lengths count characters (Unicode code points, as
 * JSON Schema's `maxLength` does); `correctionBytesPerDocument` counts the UTF-8 bytes of the values'
 * JSON encoding.
 *
 * Worst case, all limits reached (documented in docs/configuration.md, "Review limits"): names,
 * ids and keys are single-line text (no control characters), so they encode to at most 3 bytes per
 * character. Each corrected value is recorded three times: the correction handed to the output
 * activity, and the audit entry's `newValue` and (for the next correction of the same field)
 * `oldValue`: 3 × 64 KiB = 192 KiB. Each of the 100 corrections carries, in its correction and its
 * audit entry, a reviewer (≤ 600 B), a reviewerId (≤ 765 B), the field's name and id (the document's
 * or the profile's, counted here as ≤ 600 B), a timestamp and JSON keys: ≤ 2 × 2.1 KiB, 420 KiB in
 * all (test/unit/review-limits.test.ts builds this case). A document's review state, the audit and the output
 * activity's input therefore grow by at most ~0.6 MiB beside Textract's own field values. With
 * critical fields, a correction voids other reviewers' approvals, so approvals can repeat once per
 * correction: at most 101 approve entries of ≤ 7.5 KiB (a 2,000-character comment at 3 bytes, and
 * the names), ~0.75 MiB more; claim releases are kept to the last 20 (`releasesKept`). Together
 * ~1.35 MiB in the very worst case, beside Textract's own field values, which
 * already passed through a payload: far below Temporal's 2 MB payload limit (and its 4 MB gRPC
 * message limit), whatever reviewers send.
 */
export const reviewLimits = {
  /** The reviewer's display name. */
  reviewerLength: 200,
  /** The reviewer's id (an OIDC `sub` is at most 255 ASCII characters). */
  reviewerIdLength: 255,
  /** An approval's comment. */
  commentLength: 2_000,
  /** A rejection's reason. */
  reasonLength: 2_000,
  /** A correction's field key (a field id or name). */
  fieldKeyLength: 200,
  /** One corrected value. */
  valueLength: 4_000,
  /** Fields in one correction. */
  fieldsPerCorrection: 50,
  /** Corrected values a document keeps, over all its corrections. */
  correctionsPerDocument: 100,
  /** UTF-8 bytes of all corrected values of a document (their JSON encoding). */
  correctionBytesPerDocument: 64 * 1024,
  /** Ignored review messages a document's state lists (the rest are only counted). */
  ignoredMessagesKept: 20,
  /** Claim releases a document's state lists (the rest are only counted). */
  releasesKept: 20,
  /** Names, ids and keys must be one line without control characters. */
  singleLineNames: true,
};

/** The size checks {@link parseReviewInput} applies. */
export type ReviewSizeLimits = Pick<
  typeof reviewLimits,
  | 'reviewerLength'
  | 'reviewerIdLength'
  | 'commentLength'
  | 'reasonLength'
  | 'fieldKeyLength'
  | 'valueLength'
  | 'fieldsPerCorrection'
  | 'singleLineNames'
>;

/**
 * No size checks: what review signals were held to before the limits existed. Only for replaying
 * signals a workflow accepted then (behind `patched('review-signal-limits')`), so a replay applies
 * exactly what the first run applied.
 */
export const unboundedReviewLimits: ReviewSizeLimits = {
  reviewerLength: Infinity,
  reviewerIdLength: Infinity,
  commentLength: Infinity,
  reasonLength: Infinity,
  fieldKeyLength: Infinity,
  valueLength: Infinity,
  fieldsPerCorrection: Infinity,
  singleLineNames: false,
};

/** Unicode code points, as JSON Schema's `maxLength` counts (a surrogate pair is one). */
export function characterCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** UTF-8 bytes of a string's JSON encoding (quotes included): what it costs in a payload. */
export function jsonByteLength(text: string): number {
  const encoded = JSON.stringify(text);
  let bytes = 0;
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// C0 and C1 control characters, line and paragraph separators: a name is one line of text.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A problem with a name-like string (reviewer, reviewerId, field key): never quotes it. */
function nameProblem(
  field: string,
  value: unknown,
  max: number,
  required: boolean,
  singleLine = true,
): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0) {
    return required ? `${field} is required` : `${field} must be a non-empty string when given`;
  }
  if (characterCount(value) > max) return `${field} is longer than ${max} characters`;
  if (singleLine && controlCharacters.test(value))
    return `${field} must be one line without control characters`;
  return undefined;
}

/** A problem with a free text (comment, reason, value): never quotes it. */
function textProblem(field: string, value: string, max: number): string | undefined {
  return characterCount(value) > max ? `${field} is longer than ${max} characters` : undefined;
}

/**
 * The reviewer's identity within {@link reviewLimits}: for every message that carries one (review
 * actions here, and claim/release). Undefined when fine; the problem never quotes the value.
 */
export function reviewerIdentityProblem(
  raw: unknown,
  limits: ReviewSizeLimits = reviewLimits,
): string | undefined {
  if (!isPlainObject(raw)) return 'the payload must be an object';
  const oneLine = limits.singleLineNames;
  return (
    nameProblem('reviewer', raw.reviewer, limits.reviewerLength, true, oneLine) ??
    nameProblem('reviewerId', raw.reviewerId, limits.reviewerIdLength, false, oneLine)
  );
}

/**
 * Checks a review payload without zod (it runs in the workflow sandbox). Problems name the field at
 * fault and the limit it broke, never its value, because they end up in `status` and in logs; the one
 * exception, a correction's unknown or ambiguous field key (already checked for length), is quoted in
 * `problem` for the caller and left out of `redacted`, which is what the workflow records.
 */
export function parseReviewInput(
  action: ReviewActionName,
  raw: unknown,
  /** The document's fields; `'any'` checks sizes only (a client that does not know the document). */
  reviewable: readonly ReviewableField[] | 'any',
  limits: ReviewSizeLimits = reviewLimits,
):
  | { ok: true; value: ReviewInput }
  | { ok: false; problem: string; /** The problem without any text the sender chose. */ redacted: string } {
  const refuse = (problem: string, redacted = problem) => ({ ok: false as const, problem, redacted });
  if (!isPlainObject(raw)) return refuse(`${action} payload must be an object`);
  const badName = reviewerIdentityProblem(raw, limits);
  if (badName) return refuse(badName);
  const who = {
    reviewer: raw.reviewer as string,
    ...(raw.reviewerId === undefined ? {} : { reviewerId: raw.reviewerId as string }),
  };
  switch (action) {
    case 'approve': {
      if (raw.comment !== undefined && typeof raw.comment !== 'string') {
        return refuse('comment must be a string');
      }
      const long =
        raw.comment === undefined ? undefined : textProblem('comment', raw.comment, limits.commentLength);
      if (long) return refuse(long);
      return { ok: true, value: { action, ...who, comment: raw.comment } };
    }
    case 'reject': {
      if (!nonEmptyString(raw.reason)) return refuse('reason is required');
      const long = textProblem('reason', raw.reason, limits.reasonLength);
      if (long) return refuse(long);
      return { ok: true, value: { action, ...who, reason: raw.reason } };
    }
    case 'correct': {
      const fields = raw.fields;
      if (!isPlainObject(fields) || Object.keys(fields).length === 0) {
        return refuse('fields must map at least one field name to its new value');
      }
      const entries = Object.entries(fields);
      if (entries.length > limits.fieldsPerCorrection) {
        return refuse(`fields has more than ${limits.fieldsPerCorrection} entries`);
      }
      // Sizes first, for every entry: nothing below quotes a key before its length is known.
      for (const [name, value] of entries) {
        const badKey = nameProblem('a field name', name, limits.fieldKeyLength, true, limits.singleLineNames);
        if (badKey) return refuse(badKey);
        if (typeof value !== 'string') return refuse('every field value must be a string');
        const long = textProblem('a field value', value, limits.valueLength);
        if (long) return refuse(long);
      }
      const corrected: Record<string, string> = {};
      for (const [name, value] of entries) {
        const found = reviewable === 'any' ? { ok: true as const } : resolveReviewField(reviewable, name);
        if (!found.ok) return refuse(found.problem, found.redacted);
        corrected[name] = value as string;
      }
      return { ok: true, value: { action, ...who, fields: corrected } };
    }
    default:
      return refuse('action must be approve, reject or correct');
  }
}

/** Checks a claim or release payload: both names are required (they come from a verified token). */
export function parseClaimInput(
  name: 'claim' | 'release',
  raw: unknown,
):
  | { ok: true; value: { reviewer: string; reviewerId: string; force: boolean } }
  | { ok: false; problem: string } {
  if (!isPlainObject(raw)) return { ok: false, problem: `${name} payload must be an object` };
  if (!nonEmptyString(raw.reviewer)) return { ok: false, problem: 'reviewer is required' };
  if (!nonEmptyString(raw.reviewerId)) return { ok: false, problem: 'reviewerId is required' };
  // The same bounds as review actions: a claim's names end up in status (reviewLimits).
  const tooLong = reviewerIdentityProblem(raw);
  if (tooLong) return { ok: false, problem: tooLong };
  if (raw.force !== undefined && typeof raw.force !== 'boolean') {
    return { ok: false, problem: 'force must be true or false' };
  }
  return {
    ok: true,
    value: { reviewer: raw.reviewer, reviewerId: raw.reviewerId, force: raw.force === true },
  };
}

/**
 * What a client checks before sending a review (the CLI): the shape and every size limit of
 * {@link reviewLimits} but the per-document totals, which only the workflow knows. Undefined when fine.
 */
export function reviewInputProblem(input: ReviewInput): string | undefined {
  const parsed = parseReviewInput(input.action, input, 'any');
  return parsed.ok ? undefined : parsed.problem;
}

/**
 * The per-document bound on corrections: would these new values take the document past
 * `reviewLimits.correctionsPerDocument` values or `correctionBytesPerDocument` bytes, counting the
 * corrections it already has? Returns the problem (naming the limit), or undefined when they fit.
 * The workflow calls it with its review state; the CLI cannot know that state and leaves it to the
 * update's validator.
 */
export function correctionBudgetProblem(
  existing: readonly { text: string }[],
  fields: Readonly<Record<string, string>>,
): string | undefined {
  const values = Object.values(fields);
  if (existing.length + values.length > reviewLimits.correctionsPerDocument) {
    return `a document keeps at most ${reviewLimits.correctionsPerDocument} corrected values`;
  }
  let bytes = 0;
  for (const c of existing) bytes += jsonByteLength(c.text);
  for (const v of values) bytes += jsonByteLength(v);
  if (bytes > reviewLimits.correctionBytesPerDocument) {
    return `a document's corrected values may total at most ${reviewLimits.correctionBytesPerDocument} bytes`;
  }
  return undefined;
}

/**
 * The field a correction names: a field id, else a name that is one field of the document (or one the
 * profile names that Textract did not find). A name found several times is ambiguous: the problem
 * lists its ids (never values). `redacted` is the problem without the key.
 */
export function resolveReviewField(
  reviewable: readonly ReviewableField[],
  key: string,
): { ok: true; field: ReviewableField } | { ok: false; problem: string; redacted: string } {
  const byId = reviewable.find((f) => f.id !== undefined && f.id === key);
  if (byId) return { ok: true, field: byId };
  const named = reviewable.filter((f) => f.name === key);
  const [only] = named;
  if (only && named.length === 1) return { ok: true, field: only };
  if (named.length > 1) {
    const ids = named.map((f) => f.id ?? '?').join(', ');
    return {
      ok: false,
      problem: `fields.${key} names ${named.length} fields: give one of their ids (${ids})`,
      redacted: `a field name names ${named.length} fields: give one of their ids (${ids})`,
    };
  }
  return {
    ok: false,
    problem: `fields.${key} is not a field of this document`,
    redacted: 'a field name is not a field of this document',
  };
}
