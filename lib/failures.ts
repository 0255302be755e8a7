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
  /** Textract finished the job with status FAILED. */
  TEXTRACT_JOB_FAILED: 'TextractJobFailed',
  /** A reviewer rejected the document. */
  REVIEW_REJECTED: 'ReviewRejected',
  /** Nobody approved or rejected before the profile's review deadline. */
  REVIEW_TIMEOUT: 'REVIEW_TIMEOUT',
  /** An operator cancelled the workflow (`temporal workflow cancel`); the claim on its bytes is released. */
  CANCELLED: 'Cancelled',
  /** The activity gave up (timeout or retries exhausted) without a classified cause. */
  ACTIVITY_GAVE_UP: 'ActivityGaveUp',
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
