/*
 * Validation of the workflow input, and the checks every validator shares. Written without zod so it
 * runs inside the workflow sandbox as well as in clients. Problems name the field at fault, never its
 * value: they end up in `status` and logs. What people send in a review: lib/review-input.ts.
 */
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { defaultReviewDeadline, TextractApi, TextractFeature } from './profile';

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
