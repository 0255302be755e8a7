/*
 * Validation of what reaches the workflow from outside: the workflow input and review payloads. Written
 * without zod so it runs inside the workflow sandbox (the update validator, the input check) as well
 * as in clients. Problems name the field at fault, never its value: they end up in `status` and logs.
 */
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { defaultReviewDeadline, TextractApi, TextractFeature } from './profile';
import type { ReviewableField, ReviewActionName, ReviewInput } from './contract';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

const documentIdPattern = /^[A-Za-z0-9_.:-]{1,200}$/;
const features = new Set<string>(Object.values(TextractFeature));

/**
 * Checks a workflow input without zod, so it runs inside the workflow sandbox as well as in clients.
 * Returns the problems found, each naming the field at fault; an empty list means the input is valid.
 */
export function validateDocumentInput(input: unknown): string[] {
  const problems: string[] = [];
  if (!isPlainObject(input)) return ['input must be an object'];
  if (typeof input.documentId !== 'string' || !documentIdPattern.test(input.documentId)) {
    problems.push('documentId must be 1-200 characters of letters, digits, "-", "_", ".", ":"');
  }
  const source = input.source;
  if (!isPlainObject(source)) {
    problems.push('source must be an object {bucket, key, versionId?}');
  } else {
    if (!nonEmptyString(source.bucket)) problems.push('source.bucket is required');
    if (!nonEmptyString(source.key)) problems.push('source.key is required');
    if (source.versionId !== undefined && !nonEmptyString(source.versionId)) {
      problems.push('source.versionId must be a non-empty string when given');
    }
  }
  const profile = input.profile;
  if (!isPlainObject(profile)) {
    problems.push('profile must be an object');
    return problems;
  }
  if (!nonEmptyString(profile.name)) problems.push('profile.name is required');
  if (!isConfidence(profile.defaultThreshold))
    problems.push('profile.defaultThreshold must be a number 0-100');
  const textract = profile.textract;
  if (
    !isPlainObject(textract) ||
    (textract.api !== TextractApi.TEXT_DETECTION && textract.api !== TextractApi.ANALYSIS)
  ) {
    problems.push('profile.textract.api must be TEXT_DETECTION or ANALYSIS');
  } else if (textract.api === TextractApi.ANALYSIS) {
    const list = textract.features;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((f) => typeof f === 'string' && features.has(f))
    ) {
      problems.push(`profile.textract.features must be a non-empty list of ${[...features].join('|')}`);
    }
    const queries = textract.queries;
    if (queries !== undefined) {
      if (
        !Array.isArray(queries) ||
        !queries.every((q) => isPlainObject(q) && nonEmptyString(q.text) && nonEmptyString(q.alias))
      ) {
        problems.push('profile.textract.queries must be a list of {text, alias}');
      } else if (Array.isArray(list) && !list.includes(TextractFeature.QUERIES)) {
        problems.push('profile.textract.features must include QUERIES when queries are given');
      }
    }
  }
  if (profile.fieldThresholds !== undefined) {
    if (
      !isPlainObject(profile.fieldThresholds) ||
      !Object.values(profile.fieldThresholds).every(isConfidence)
    ) {
      problems.push('profile.fieldThresholds must map field names to numbers 0-100');
    }
  }
  if (
    profile.requiredFields !== undefined &&
    (!Array.isArray(profile.requiredFields) || !profile.requiredFields.every(nonEmptyString))
  ) {
    problems.push('profile.requiredFields must be a list of field names');
  }
  if (!isDuration(profile.reviewDeadline)) {
    problems.push('profile.reviewDeadline must be a duration ("7 days") or milliseconds');
  }
  if (!isDuration(profile.reviewSla)) {
    problems.push('profile.reviewSla must be a duration ("2 days") or milliseconds');
  } else if (
    profile.reviewSla !== undefined &&
    isDuration(profile.reviewDeadline) &&
    msToNumber(profile.reviewSla as Duration) >=
      msToNumber((profile.reviewDeadline ?? defaultReviewDeadline) as Duration)
  ) {
    problems.push('profile.reviewSla must be shorter than profile.reviewDeadline');
  }
  if (!isDuration(profile.claimIdle)) {
    problems.push('profile.claimIdle must be a duration ("30 minutes") or milliseconds');
  }
  if (
    profile.criticalFields !== undefined &&
    (!Array.isArray(profile.criticalFields) || !profile.criticalFields.every(nonEmptyString))
  ) {
    problems.push('profile.criticalFields must be a list of field names');
  }
  if (
    profile.sampleRate !== undefined &&
    (typeof profile.sampleRate !== 'number' || !(profile.sampleRate >= 0 && profile.sampleRate <= 1))
  ) {
    problems.push('profile.sampleRate must be a number 0-1');
  }
  if (!isDuration(profile.heartbeatTimeout)) {
    problems.push('profile.heartbeatTimeout must be a duration ("2 minutes") or milliseconds');
  }
  const output = profile.output;
  if (!isPlainObject(output) || !nonEmptyString(output.bucket) || !nonEmptyString(output.kmsKeyId)) {
    problems.push('profile.output must be {bucket, prefix?, kmsKeyId}');
  }
  return problems;
}

/** Absent, or a positive duration Temporal parses ("2 minutes", "7 days") or milliseconds. */
function isDuration(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    return msToNumber(value as Duration) > 0;
  } catch {
    return false;
  }
}

function isConfidence(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100;
}

/**
 * Checks a review payload without zod (it runs in the workflow sandbox). Problems name the field at
 * fault, never its value, because they end up in `status` and in logs.
 */
export function parseReviewInput(
  action: ReviewActionName,
  raw: unknown,
  reviewable: readonly ReviewableField[],
): { ok: true; value: ReviewInput } | { ok: false; problem: string } {
  if (!isPlainObject(raw)) return { ok: false, problem: `${action} payload must be an object` };
  if (!nonEmptyString(raw.reviewer)) return { ok: false, problem: 'reviewer is required' };
  if (raw.reviewerId !== undefined && !nonEmptyString(raw.reviewerId)) {
    return { ok: false, problem: 'reviewerId must be a non-empty string when given' };
  }
  const who = {
    reviewer: raw.reviewer,
    ...(raw.reviewerId === undefined ? {} : { reviewerId: raw.reviewerId }),
  };
  switch (action) {
    case 'approve':
      if (raw.comment !== undefined && typeof raw.comment !== 'string') {
        return { ok: false, problem: 'comment must be a string' };
      }
      return { ok: true, value: { action, ...who, comment: raw.comment } };
    case 'reject':
      if (!nonEmptyString(raw.reason)) return { ok: false, problem: 'reason is required' };
      return { ok: true, value: { action, ...who, reason: raw.reason } };
    case 'correct': {
      const fields = raw.fields;
      if (!isPlainObject(fields) || Object.keys(fields).length === 0) {
        return { ok: false, problem: 'fields must map at least one field name to its new value' };
      }
      const corrected: Record<string, string> = {};
      for (const [name, value] of Object.entries(fields)) {
        const found = resolveReviewField(reviewable, name);
        if (!found.ok) return { ok: false, problem: found.problem };
        if (typeof value !== 'string') return { ok: false, problem: `fields.${name} must be a string` };
        corrected[name] = value;
      }
      return { ok: true, value: { action, ...who, fields: corrected } };
    }
    default:
      return { ok: false, problem: 'action must be approve, reject or correct' };
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
  if (raw.force !== undefined && typeof raw.force !== 'boolean') {
    return { ok: false, problem: 'force must be true or false' };
  }
  return {
    ok: true,
    value: { reviewer: raw.reviewer, reviewerId: raw.reviewerId, force: raw.force === true },
  };
}

/**
 * The field a correction names: a field id, else a name that is one field of the document (or one the
 * profile names that Textract did not find). A name found several times is ambiguous: the problem
 * lists its ids (never values).
 */
export function resolveReviewField(
  reviewable: readonly ReviewableField[],
  key: string,
): { ok: true; field: ReviewableField } | { ok: false; problem: string } {
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
    };
  }
  return { ok: false, problem: `fields.${key} is not a field of this document` };
}
