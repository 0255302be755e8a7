import type { Duration } from '@temporalio/common';

/** Textract analysis features a profile may ask for. */
export const TextractFeature = {
  TABLES: 'TABLES',
  FORMS: 'FORMS',
  QUERIES: 'QUERIES',
  SIGNATURES: 'SIGNATURES',
  LAYOUT: 'LAYOUT',
} as const;
export type TextractFeature = (typeof TextractFeature)[keyof typeof TextractFeature];

/** Which asynchronous Textract API a profile uses. */
export const TextractApi = {
  /** StartDocumentTextDetection: lines and words only. */
  TEXT_DETECTION: 'TEXT_DETECTION',
  /** StartDocumentAnalysis with the profile's features. */
  ANALYSIS: 'ANALYSIS',
} as const;
export type TextractApi = (typeof TextractApi)[keyof typeof TextractApi];

/** A Textract query; its answer becomes the field named by `alias`. */
export interface ProfileQuery {
  /** The question, e.g. "What is the invoice number?". */
  text: string;
  /** The field name the answer is stored under, e.g. `invoice_number`. */
  alias: string;
  /** Page selectors as Textract takes them (`"1"`, `"2-4"`, `"*"`). @default all pages */
  pages?: string[];
}

/** A custom Textract adapter (AdaptersConfig): a trained model version applied to some pages. */
export interface ProfileAdapter {
  adapterId: string;
  version: string;
  /** Page selectors as Textract takes them. @default all pages */
  pages?: string[];
}

export type ProfileTextract =
  | { api: typeof TextractApi.TEXT_DETECTION }
  | {
      api: typeof TextractApi.ANALYSIS;
      features: TextractFeature[];
      queries?: ProfileQuery[];
      /** Custom adapters; part of what Textract is asked for, so of the extraction identity. */
      adapters?: ProfileAdapter[];
    };

/** Where the encrypted final document goes and which KMS key protects it (and the Textract output). */
export interface ProfileOutput {
  bucket: string;
  /** Key prefix without trailing slash. @default 'documents' */
  prefix?: string;
  /** KMS key id, ARN or alias used for the Encryption SDK keyring, SSE-KMS and Textract's KMSKeyId. */
  kmsKeyId: string;
}

/**
 * How one kind of document is processed. Profiles are named and loaded from configuration by the
 * caller; the workflow receives the resolved profile in its input so a running workflow never changes
 * behaviour when configuration does.
 */
export interface DocumentProfile {
  name: string;
  textract: ProfileTextract;
  /** Confidence (0–100) a field needs to skip review when it has no threshold of its own. */
  defaultThreshold: number;
  /** Per-field confidence thresholds (0–100), by field name (query alias or form key). */
  fieldThresholds?: Record<string, number>;
  /** Fields that must be present; a missing one sends the document to review. */
  requiredFields?: string[];
  /** How long a document may wait for a reviewer before it fails with REVIEW_TIMEOUT. @default '7 days' */
  reviewDeadline?: Duration;
  /**
   * How long a document may wait for a decision before it is overdue: the ReviewOverdue search
   * attribute is set and an escalation notice goes out (the worker's SNS topic and/or webhook). Must
   * be shorter than {@link reviewDeadline}. @default none (no escalation)
   */
  reviewSla?: Duration;
  /**
   * How long a reviewer's claim lasts after their last action on the document (claim, correct,
   * approve); then anyone may claim it. @default '30 minutes'
   */
  claimIdle?: Duration;
  /**
   * Field names (query aliases or form keys) whose review needs two approvals by different
   * reviewers: when a review item concerns one of them, one approval is not enough.
   */
  criticalFields?: string[];
  /**
   * Share (0–1) of clean documents (no field needs review) sent to review anyway, as an audit sample;
   * chosen from the checksum, so the same bytes are always sampled or never. @default 0
   */
  sampleRate?: number;
  /**
   * How long the Textract poll and the result collection may go without a heartbeat before Temporal
   * retries them on another worker (how fast a crashed worker's document resumes). Keep it above the
   * worker's longest wait between polls (DOCKET_POLL_MAX_INTERVAL_MS) plus a slow Get* call. A profile
   * file's value must lie in [{@link minHeartbeatTimeout}, {@link textractCollectTimeout}): at or above
   * the activities' start-to-close timeout a heartbeat timeout could never fire first.
   * @default '2 minutes'
   */
  heartbeatTimeout?: Duration;
  /**
   * Most pages a document may have; one with more fails with TooManyPages at the checksum, before
   * Textract. At most Textract's own limit. @default 3000 (Textract's asynchronous limit)
   */
  maxPages?: number;
  /**
   * Most a document may cost in Textract (USD, pages × the configured price of the profile's API and
   * features); a dearer one fails with CostLimitExceeded before the job is started. @default no cap
   */
  maxCostPerDocument?: number;
  output: ProfileOutput;
}

/** @see DocumentProfile.reviewDeadline */
export const defaultReviewDeadline: Duration = '7 days';
/** @see DocumentProfile.claimIdle */
export const defaultClaimIdle: Duration = '30 minutes';
/** @see DocumentProfile.heartbeatTimeout */
export const defaultHeartbeatTimeout: Duration = '2 minutes';
/**
 * Shortest heartbeat timeout a profile may set: below it a single S3 or Textract call outlasts the
 * timeout, so every attempt would time out. @see DocumentProfile.heartbeatTimeout
 */
export const minHeartbeatTimeout: Duration = '1 second';
/** startToCloseTimeout of the heartbeating Textract poll (waitForTextractJob). */
export const textractPollTimeout: Duration = '6 hours';
/**
 * startToCloseTimeout of the page-by-page result collection (collectTextractResults), which shares
 * the profile's heartbeat timeout with the poll: the shorter of the two bounds that timeout.
 */
export const textractCollectTimeout: Duration = '30 minutes';
/** @see ProfileOutput.prefix */
export const defaultOutputPrefix = 'documents';

/**
 * The field names a profile cares about by name: query aliases, fields with thresholds, required
 * fields, critical fields.
 */
export function profileFieldNames(profile: DocumentProfile): string[] {
  const names = new Set<string>();
  if (profile.textract.api === TextractApi.ANALYSIS) {
    for (const q of profile.textract.queries ?? []) names.add(q.alias);
  }
  for (const name of Object.keys(profile.fieldThresholds ?? {})) names.add(name);
  for (const name of profile.requiredFields ?? []) names.add(name);
  for (const name of profile.criticalFields ?? []) names.add(name);
  return [...names];
}

/**
 * The name a field is counted under in metrics and review statistics: its own when the profile names
 * it, else `other`. Keeps metric cardinality bounded and OCR'd labels out of metrics.
 */
export function statsFieldName(profile: DocumentProfile, field: string): string {
  return profileFieldNames(profile).includes(field) ? field : 'other';
}
