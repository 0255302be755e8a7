/*
 * What the docket client throws, by what the caller can do about it: the API maps each to an HTTP
 * status, the CLI to a message. clients/documents.ts re-exports them.
 */
import type { DocumentStatus } from '../lib/contract';

/** The document, workflow or object does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
/** The request itself is wrong (bad URI, unknown profile, invalid review). */
export class RequestError extends Error {
  override name = 'RequestError';
}
/** The document exists but has no output yet: it is still being processed or waits for a reviewer. */
export class NotReadyError extends NotFoundError {
  override name = 'NotReadyError';
}
/**
 * The document exists but is in a state that does not allow the action (approving a document that
 * is PROCESSING, SUCCEEDED or FAILED). `status` is the document's real status.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly status: DocumentStatus,
  ) {
    super(message);
  }
}
/** A part docket needs is not answering (no worker answers the status query); retrying later may work. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}
