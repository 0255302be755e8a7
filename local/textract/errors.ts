/**
 * Textract's error vocabulary. Each error travels as awsJson1_1 expects (status, `x-amzn-ErrorType`,
 * `{__type, Code, Message}`), which is what makes the SDK raise the matching exception class.
 */

/** Every error name the async and sync Textract APIs can return that this service produces. */
export const TextractErrorName = {
  InvalidParameter: 'InvalidParameterException',
  InvalidS3Object: 'InvalidS3ObjectException',
  UnsupportedDocument: 'UnsupportedDocumentException',
  DocumentTooLarge: 'DocumentTooLargeException',
  BadDocument: 'BadDocumentException',
  InvalidJobId: 'InvalidJobIdException',
  IdempotentParameterMismatch: 'IdempotentParameterMismatchException',
  InvalidKMSKey: 'InvalidKMSKeyException',
  ProvisionedThroughputExceeded: 'ProvisionedThroughputExceededException',
  Throttling: 'ThrottlingException',
  LimitExceeded: 'LimitExceededException',
  InternalServerError: 'InternalServerError',
  AccessDenied: 'AccessDeniedException',
} as const;
export type TextractErrorName = (typeof TextractErrorName)[keyof typeof TextractErrorName];

// Textract models these two as server faults; everything else is the caller's fault (400).
const serverFaults = new Set<TextractErrorName>([
  TextractErrorName.InternalServerError,
  TextractErrorName.Throttling,
]);

/** An error this service answers with instead of a result. */
export class TextractError extends Error {
  constructor(
    readonly errorName: TextractErrorName,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }

  /** HTTP status the real service uses for this error. */
  get status(): number {
    return serverFaults.has(this.errorName) ? 500 : 400;
  }

  /** The awsJson1_1 error body. */
  toBody(): Record<string, string> {
    return { __type: this.errorName, Code: this.errorName, Message: this.message };
  }
}

/** Shorthand for the most common error: a request parameter that breaks the service model. */
export function invalidParameter(message: string): TextractError {
  return new TextractError(TextractErrorName.InvalidParameter, message);
}
