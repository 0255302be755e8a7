import { isPlainObject as isObject, nonEmptyString } from './guards';
import { TextractApi, TextractFeature, type DocumentProfile } from './profile';

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
}

const documentIdPattern = /^[A-Za-z0-9_.:-]{1,200}$/;
const features = new Set<string>(Object.values(TextractFeature));

/**
 * Checks a workflow input without zod, so it runs inside the workflow sandbox as well as in clients.
 * Returns the problems found, each naming the field at fault; an empty list means the input is valid.
 */
export function validateDocumentInput(input: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(input)) return ['input must be an object'];
  if (typeof input.documentId !== 'string' || !documentIdPattern.test(input.documentId)) {
    problems.push('documentId must be 1-200 characters of letters, digits, "-", "_", ".", ":"');
  }
  const source = input.source;
  if (!isObject(source)) {
    problems.push('source must be an object {bucket, key, versionId?}');
  } else {
    if (!nonEmptyString(source.bucket)) problems.push('source.bucket is required');
    if (!nonEmptyString(source.key)) problems.push('source.key is required');
    if (source.versionId !== undefined && !nonEmptyString(source.versionId)) {
      problems.push('source.versionId must be a non-empty string when given');
    }
  }
  const profile = input.profile;
  if (!isObject(profile)) {
    problems.push('profile must be an object');
    return problems;
  }
  if (!nonEmptyString(profile.name)) problems.push('profile.name is required');
  if (!isConfidence(profile.defaultThreshold))
    problems.push('profile.defaultThreshold must be a number 0-100');
  const textract = profile.textract;
  if (
    !isObject(textract) ||
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
        !queries.every((q) => isObject(q) && nonEmptyString(q.text) && nonEmptyString(q.alias))
      ) {
        problems.push('profile.textract.queries must be a list of {text, alias}');
      } else if (Array.isArray(list) && !list.includes(TextractFeature.QUERIES)) {
        problems.push('profile.textract.features must include QUERIES when queries are given');
      }
    }
  }
  if (profile.fieldThresholds !== undefined) {
    if (!isObject(profile.fieldThresholds) || !Object.values(profile.fieldThresholds).every(isConfidence)) {
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
  if (!isDuration(profile.heartbeatTimeout)) {
    problems.push('profile.heartbeatTimeout must be a duration ("2 minutes") or milliseconds');
  }
  const output = profile.output;
  if (!isObject(output) || !nonEmptyString(output.bucket) || !nonEmptyString(output.kmsKeyId)) {
    problems.push('profile.output must be {bucket, prefix?, kmsKeyId}');
  }
  return problems;
}

/** A one-line, content-free summary for the workflow's static summary in the Temporal UI. */
export function documentStaticSummary(input: Pick<DocumentWorkflowInput, 'documentId' | 'profile'>): string {
  return `document ${input.documentId} · profile ${input.profile.name}`;
}

/** Absent, or a duration Temporal accepts (a non-empty string or positive milliseconds). */
function isDuration(value: unknown): boolean {
  return value === undefined || nonEmptyString(value) || (typeof value === 'number' && value > 0);
}

function isConfidence(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100;
}
