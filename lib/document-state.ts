import type { ReviewItem } from './confidence-routing';
import type { DocumentStatus } from './document-status';
import type { TextractWarning } from './extraction';
import type { FailureInfo } from './failures';

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
  | { action: 'approve'; reviewer: string; at: string; comment?: string }
  | { action: 'reject'; reviewer: string; at: string; reason: string }
  | {
      action: 'correct';
      reviewer: string;
      at: string;
      field: string;
      oldValue: string | null;
      newValue: string;
    };

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
  ignoredMessages: IgnoredMessage[];
  output?: S3Location;
  duplicateOf?: DuplicateOf;
  failure?: FailureInfo;
}

/** The workflow's result (also the details of its failure): a compact summary, never extracted data. */
export interface DocumentResult {
  documentId: string;
  status: DocumentStatus;
  checksum?: string;
  output?: S3Location;
  duplicateOf?: DuplicateOf;
  pages: number;
  fieldsReviewed: number;
  corrections: number;
  failure?: FailureInfo;
}
