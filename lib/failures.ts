/*
 * How a document fails: the failure types docket raises and the phase they happen in. Part of the
 * workflow's contract (lib/contract.ts re-exports it); pure and deterministic, bundled into the
 * workflow sandbox as well.
 */

/**
 * Failure types docket itself raises. AWS errors that are permanent keep their own name as the type
 * (`UnsupportedDocumentException`, `InvalidKMSKeyException`, …), so operators see what AWS said.
 */
export const FailureType = {
  /** The workflow input does not describe a document docket can process. */
  INVALID_INPUT: 'InvalidInput',
  /** The S3 object (or the version asked for) does not exist. */
  DOCUMENT_NOT_FOUND: 'DocumentNotFound',
  /** The S3 object has no bytes. */
  DOCUMENT_EMPTY: 'DocumentEmpty',
  /** The bytes are not a PDF, TIFF, JPEG or PNG. */
  DOCUMENT_UNSUPPORTED: 'DocumentUnsupported',
  /** Larger than Textract accepts for its format. */
  DOCUMENT_TOO_LARGE: 'DocumentTooLarge',
  /** More pages than the profile's maxPages (default Textract's 3,000): refused before Textract. */
  TOO_MANY_PAGES: 'TooManyPages',
  /** The estimated Textract cost is over the profile's maxCostPerDocument: refused before Start. */
  COST_LIMIT_EXCEEDED: 'CostLimitExceeded',
  /** Textract finished the job with status FAILED. */
  TEXTRACT_JOB_FAILED: 'TextractJobFailed',
  /** A page of Textract's result could not be read (the message names the page); retrying cannot help. */
  TEXTRACT_RESULT_UNREADABLE: 'TextractResultUnreadable',
  /** A reviewer rejected the document. */
  REVIEW_REJECTED: 'ReviewRejected',
  /** Nobody approved or rejected before the profile's review deadline. */
  REVIEW_TIMEOUT: 'REVIEW_TIMEOUT',
  /** An operator cancelled the workflow (`temporal workflow cancel`); the claim on its bytes is released. */
  CANCELLED: 'Cancelled',
  /** The activity gave up (timeout or retries exhausted) without a classified cause. */
  ACTIVITY_GAVE_UP: 'ActivityGaveUp',
  /**
   * Another document with the same bytes is still being processed: a retryable failure of the claim
   * wait (its retry policy is the polling schedule), seen only when that wait gives up.
   */
  ORIGINAL_STILL_PROCESSING: 'OriginalStillProcessing',
  /** An output document's encryption context names another document: the bytes belong elsewhere. */
  ENCRYPTION_CONTEXT_MISMATCH: 'EncryptionContextMismatch',
  /** Reprocess found the stored raw Textract parts gone (expired by retention): it cannot rebuild. */
  RAW_RESULTS_GONE: 'RawResultsGone',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** The step of the lifecycle a failure happened in; lets operators tell an input problem from an AWS one. */
export const FailurePhase = {
  VALIDATION: 'VALIDATION',
  CHECKSUM: 'CHECKSUM',
  CLAIM: 'CLAIM',
  TEXTRACT_START: 'TEXTRACT_START',
  TEXTRACT_WAIT: 'TEXTRACT_WAIT',
  COLLECT: 'COLLECT',
  REVIEW: 'REVIEW',
  OUTPUT: 'OUTPUT',
} as const;
export type FailurePhase = (typeof FailurePhase)[keyof typeof FailurePhase];

/** How a failed document is described in `status` and in the workflow failure's details. */
export interface FailureInfo {
  /** A {@link FailureType} or the name of the permanent AWS error. */
  type: string;
  /** What went wrong, phrased so a person can act on it. Never contains document content. */
  message: string;
  phase: FailurePhase;
}
