/** JSON schemas of the desk's data routes (validation and the OpenAPI document). */
import { ReviewReason } from '../../lib/confidence-routing';

const box = {
  type: 'object',
  required: ['left', 'top', 'width', 'height'],
  properties: {
    left: { type: 'number' },
    top: { type: 'number' },
    width: { type: 'number' },
    height: { type: 'number' },
  },
  description: 'Fractions of the page width and height, from the top left corner.',
} as const;

export const pageParams = {
  type: 'object',
  required: ['id', 'n'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,200}$' },
    n: { type: 'integer', minimum: 1, maximum: 100_000 },
  },
} as const;

export const fieldsResponse = {
  type: 'object',
  required: ['documentId', 'fields'],
  properties: {
    documentId: { type: 'string' },
    pages: { type: 'integer' },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'name', 'value', 'confidence', 'page', 'needsReview', 'reasons'],
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', enum: ['form', 'query'] },
          name: { type: 'string' },
          value: { type: 'string' },
          extractedValue: { type: 'string' },
          confidence: { type: 'number' },
          page: { type: 'integer' },
          box,
          keyBox: box,
          selected: { type: 'boolean' },
          needsReview: { type: 'boolean' },
          reasons: { type: 'array', items: { type: 'string', enum: Object.values(ReviewReason) } },
          threshold: { type: 'number' },
        },
      },
    },
  },
} as const;

export const pageResponse = {
  description: 'The page as PNG (PDF and TIFF pages, rendered), or the JPEG or PNG document itself.',
  content: { 'image/png': { schema: {} }, 'image/jpeg': { schema: {} } },
} as const;
