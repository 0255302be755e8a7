/**
 * JSON schemas of the HTTP API: fastify validates requests against them and the OpenAPI document
 * is assembled from the same objects, so the two cannot disagree.
 */
import { DocumentStatus } from '../../lib/contract';
import { exportFormats } from '../../lib/exports/formats';
import { reviewLimits } from '../../lib/review-input';

/** The same rule as the workflow input's documentId (lib/document-input.ts). */
const documentId = {
  type: 'string',
  pattern: '^[A-Za-z0-9_.:-]{1,200}$',
  description: 'Letters, digits, "-", "_", ".", ":" (1-200 characters).',
} as const;

const status = { type: 'string', enum: Object.values(DocumentStatus) } as const;

/** Every error answer: the HTTP status, its name and a message that says what to change. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

const errorRef = { $ref: 'Error#' } as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: documentId },
} as const;

export const startBody = {
  type: 'object',
  required: ['source'],
  additionalProperties: false,
  properties: {
    source: {
      type: 'string',
      // Only S3 objects: the API never reads files of the machine it runs on.
      pattern: '^s3://[^/]+/.+$',
      description: 'The object to process, s3://bucket/key.',
    },
    profile: { type: 'string', minLength: 1, description: 'Profile name; default DOCKET_API_PROFILE.' },
    documentId: {
      ...documentId,
      description:
        'Default: doc- and a SHA-256 digest of bucket, key and version (or ETag): idempotent, and no file name.',
    },
    versionId: { type: 'string', minLength: 1, description: 'Pin this version of the object.' },
  },
} as const;

export const startResponse = {
  type: 'object',
  required: ['documentId', 'workflowId', 'started'],
  properties: {
    documentId: { type: 'string' },
    workflowId: { type: 'string' },
    started: { type: 'boolean', description: 'false when the document already had a run: nothing new.' },
  },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status,
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

export const listResponse = {
  type: 'object',
  required: ['documents'],
  properties: {
    documents: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          documentId: { type: 'string' },
          workflowId: { type: 'string' },
          status: { type: 'string' },
          startTime: { type: 'string', format: 'date-time' },
          closeTime: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

/** The status query's answer; correction values are left out (they are document content). */
export const stateResponse = {
  type: 'object',
  required: ['documentId', 'status'],
  additionalProperties: true,
  properties: {
    documentId: { type: 'string' },
    profile: { type: 'string' },
    status,
    transitions: {
      type: 'array',
      items: { type: 'object', properties: { status: { type: 'string' }, at: { type: 'string' } } },
    },
  },
} as const;

/**
 * The largest request body the API reads, in bytes. A review within {@link reviewLimits} is far
 * smaller (at most 50 values of 4,000 characters, and 64 KiB of values per document); anything larger
 * is refused with 413 before it is parsed.
 */
export const apiBodyLimit = 256 * 1024;

export const reviewBody = {
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  description: "The reviewer is the signed-in principal (the token's name and subject), never a body field.",
  properties: {
    action: { type: 'string', enum: ['approve', 'reject', 'correct'] },
    reviewer: {
      type: 'string',
      maxLength: reviewLimits.reviewerLength,
      deprecated: true,
      description: 'Ignored: the review is recorded under the signed-in principal. Accepted for old clients.',
    },
    comment: { type: 'string', maxLength: reviewLimits.commentLength, description: 'approve only' },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: reviewLimits.reasonLength,
      description: 'required to reject',
    },
    fields: {
      type: 'object',
      minProperties: 1,
      maxProperties: reviewLimits.fieldsPerCorrection,
      propertyNames: { minLength: 1, maxLength: reviewLimits.fieldKeyLength },
      additionalProperties: { type: 'string', maxLength: reviewLimits.valueLength },
      description:
        'correct only: new value by field id or name. A document keeps at most ' +
        `${reviewLimits.correctionsPerDocument} corrected values totalling ` +
        `${reviewLimits.correctionBytesPerDocument} bytes (400 beyond).`,
    },
  },
  allOf: [
    {
      if: { properties: { action: { const: 'reject' } } },
      then: { required: ['reason'] },
    },
    {
      if: { properties: { action: { const: 'correct' } } },
      then: { required: ['fields'] },
    },
  ],
} as const;

export const reviewResponse = {
  type: 'object',
  required: ['status', 'actionsRecorded'],
  properties: { status, actionsRecorded: { type: 'integer' } },
} as const;

export const claimBody = {
  type: 'object',
  additionalProperties: false,
  description: 'The claim is taken by the signed-in principal; the body may be empty.',
  properties: {},
} as const;

export const releaseBody = {
  type: 'object',
  additionalProperties: false,
  description:
    "The signed-in holder gives the claim up; force (operators only) ends another reviewer's claim.",
  properties: { force: { type: 'boolean', default: false } },
} as const;

export const claimResponse = {
  type: 'object',
  required: ['status'],
  properties: {
    status,
    claim: {
      type: 'object',
      description: 'The claim now held: who and until when (absent after a release).',
      properties: {
        reviewer: { type: 'string' },
        reviewerId: { type: 'string' },
        at: { type: 'string', format: 'date-time' },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  },
} as const;

export const outputQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: {
      type: 'string',
      enum: exportFormats,
      default: 'json',
      description:
        'json: the output document as stored; markdown: a readable report; csv: one table (needs table); ' +
        'text: the plain text in reading order.',
    },
    table: {
      type: 'integer',
      minimum: 1,
      description: 'format=csv only: the table, 1-based in document order.',
    },
  },
} as const;

/** The output in the requested format, each with its content type (UTF-8 text throughout). */
export const outputResponse = {
  description: 'The output document (format=json) or its export',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        description: 'The decrypted output document, as stored (schema 2: lib/output-schema.json).',
      },
    },
    'text/markdown': { schema: { type: 'string', description: 'format=markdown' } },
    'text/csv': { schema: { type: 'string', description: 'format=csv: RFC 4180, CRLF line ends' } },
    'text/plain': {
      schema: { type: 'string', description: 'format=text: pages start with "--- page N ---"' },
    },
  },
} as const;

export const healthResponse = {
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' }, temporal: { type: 'string' } },
} as const;

/** Error answers a route can give, by status code. */
export function errors(...codes: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(codes.map((c) => [c, errorRef]));
}

/** POST /documents/:id/reprocess: optionally another profile than the document ran with. */
export const reprocessBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { profile: { type: 'string', minLength: 1 } },
} as const;

export const reprocessResponse = {
  type: 'object',
  required: ['documentId', 'workflowId', 'version', 'profile'],
  properties: {
    documentId: { type: 'string' },
    workflowId: { type: 'string', description: 'The same id as before: the reprocess is its new run.' },
    version: { type: 'integer', description: 'The output version the run writes.' },
    profile: { type: 'string' },
  },
} as const;
