// Checks a local file against Textract's limits before the CLI hashes or uploads it.
import fs from 'node:fs';
import { FailureType } from '../lib/contract';
import { sizeProblem, smallestSizeLimit, sniffContentType } from '../lib/textract-limits';

/**
 * A local file over Textract's asynchronous size limit for its format: refused before it is hashed or
 * uploaded. The message names the limit (lib/textract-limits.ts). Not a RequestError subclass, to keep
 * this module free of the client; front ends map it as they map RequestError.
 */
export class DocumentTooLargeError extends Error {
  override name = FailureType.DOCUMENT_TOO_LARGE;
}

/**
 * Refuses a local file Textract would refuse for its size, from its length and first bytes only:
 * nothing is hashed or uploaded. A format Textract does not read is left to the workflow, which fails
 * it with DocumentUnsupported as for any other source.
 */
export function preflight(file: string): void {
  const size = fs.statSync(file).size;
  if (size <= smallestSizeLimit) return;
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const contentType = sniffContentType(head);
  const problem = contentType && sizeProblem(contentType, size);
  if (problem) {
    throw new DocumentTooLargeError(`${problem}; nothing was uploaded`);
  }
}
