// What identifies a Textract job docket starts: the idempotency token of the Start request and the
// JobTag that carries the document id back in the completion notification.
import { createHash } from 'node:crypto';
import { sortKeys } from '../lib/identity';
import type { ProfileTextract } from '../lib/profile';

/** Textract's NotificationChannel: the SNS topic and the role Textract assumes to publish to it. */
export interface NotificationChannelOptions {
  snsTopicArn: string;
  roleArn: string;
}

/**
 * Textract's ClientRequestToken: within one workflow run the same bytes with the same profile always
 * map to the same job, so no activity retry or worker restart starts a second one. Other documents
 * with the same bytes never reach Textract while the claim holds; the run id makes a new run (a
 * re-drive, or a document that took over a released or stale claim, maybe from another key) start a
 * fresh job instead of getting back the old, possibly FAILED, one or a parameter mismatch.
 */
export function clientRequestToken(
  checksum: string,
  textract: ProfileTextract,
  kmsKeyId: string,
  runId: string,
  channel?: NotificationChannelOptions,
): string {
  // A channel changes the request: with it in the token, turning notifications on while a start is
  // retried starts a fresh job instead of an IdempotentParameterMismatch. Without one, the token is
  // what it always was.
  const base = { textract: sortKeys(textract), kmsKeyId, runId };
  const fingerprint = JSON.stringify(channel ? { ...base, channel: sortKeys(channel) } : base);
  return createHash('sha256').update(`${checksum}\n${fingerprint}`).digest('hex').slice(0, 64);
}

/** JobTag allows `[a-zA-Z0-9_.\-:]{1,64}`; document ids are already close to that. */
export function jobTag(documentId: string): string {
  return documentId.replace(/[^a-zA-Z0-9_.:-]/g, '_').slice(0, 64);
}
