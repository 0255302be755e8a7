/**
 * Opaque NextToken values. A token names the job and the position of the next block, and carries a
 * MAC so a client cannot forge one or replay it against another job.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { invalidParameter } from './errors';

const secret = randomBytes(32);

function mac(jobId: string, offset: number): string {
  return createHmac('sha256', secret).update(`${jobId}:${offset}`).digest('base64url').slice(0, 22);
}

/** A token for resuming `jobId` at block `offset`; at most 255 characters as the model requires. */
export function encodeNextToken(jobId: string, offset: number): string {
  return Buffer.from(`${jobId}:${offset}:${mac(jobId, offset)}`).toString('base64url');
}

/** The block offset a token resumes at; InvalidParameterException when it is not one of ours for this job. */
export function decodeNextToken(jobId: string, token: string): number {
  const parts = Buffer.from(token, 'base64url').toString('utf8').split(':');
  const [id, rawOffset, tag] = parts;
  const offset = Number(rawOffset);
  if (
    parts.length !== 3 ||
    id !== jobId ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    tag !== mac(jobId, offset)
  ) {
    throw invalidParameter(
      'NextToken is not valid for this JobId: pass the NextToken of the previous response unchanged',
    );
  }
  return offset;
}
