/**
 * What the desk shows of a document: every field of the stored normalized result with its page and
 * box, marked by the workflow's review items, with corrections already sent; read part by part from
 * the results bucket until the next part is missing.
 */
import type { GetObjectCommand } from '@aws-sdk/client-s3';
import { type S3Client } from '@aws-sdk/client-s3';
import { fieldsToReview } from '../../lib/confidence-routing';
import type { ReviewAuditEntry } from '../../lib/contract';
import { partKey, type NormalizedPart } from '../../lib/extraction';
import { deskFields, readNormalizedParts } from '../../clients/desk/fields';
import { corpusBlocks, normalizeInParts } from '../support/textract-corpus';

/** The two-page forms sample, normalized in Get*-sized parts as the collect activity writes them. */
const twoPages = normalizeInParts(corpusBlocks('multi-page-forms-samples-2-page.json'), 200);

test('every form field of every part, in page order, with its box and page', () => {
  expect(twoPages.parts.length).toBeGreaterThan(1);
  const fields = deskFields(twoPages.parts, []);
  const model = twoPages.pages.flatMap((p) => p.fields);
  expect(fields.map((f) => f.id)).toEqual(model.map((f) => f.id));
  expect(new Set(fields.map((f) => f.page))).toEqual(new Set([1, 2]));
  for (const [i, field] of fields.entries()) {
    const source = model[i]!;
    expect(field).toMatchObject({
      kind: 'form',
      name: source.name,
      value: source.value.text,
      page: source.page,
    });
    const area = (b?: { width: number; height: number }) =>
      b && b.width > 0 && b.height > 0 ? b : undefined;
    expect(field.box).toEqual(area(source.value.box) ?? area(source.key.box));
    expect(field.confidence).toBe(Math.min(source.key.confidence, source.value.confidence));
    expect(field.needsReview).toBe(false);
  }
});

test('an empty value (a box without area) is shown by its key', () => {
  // The first part that completed a page (a Get* response may end mid-page).
  const part: NormalizedPart = structuredClone(twoPages.parts.find((p) => p.pages.length > 0)!);
  const field = part.pages[0]!.fields[0]!;
  field.value = { text: '', confidence: 0, box: { left: 0, top: 0, width: 0, height: 0 } };
  const [shown] = deskFields([part], []);
  expect(shown).toMatchObject({ id: field.id, value: '', box: field.key.box });
});

test('the fields routing sent to review are marked with their reasons and thresholds; no others', () => {
  const items = fieldsToReview(twoPages.summary, {
    defaultThreshold: 60,
    requiredFields: ['Not On The Form'],
  });
  const low = items.filter((i) => i.fieldId);
  expect(low.length).toBeGreaterThan(0);
  const fields = deskFields(twoPages.parts, items);
  const marked = fields.filter((f) => f.needsReview);
  expect(marked.map((f) => f.id).sort()).toEqual(low.map((i) => i.fieldId).sort());
  for (const f of marked) {
    expect(f.reasons).toEqual(['LOW_CONFIDENCE']);
    expect(f.threshold).toBe(60);
    expect(f.confidence).toBeLessThan(60);
  }
  // A missing field has no place on the page: it is not one of the fields.
  expect(fields.some((f) => f.name === 'Not On The Form')).toBe(false);
});

test('query answers are fields too, with the alias as the name', () => {
  const queries = normalizeInParts(corpusBlocks('queries_sample.json'), 1000);
  const answers = queries.pages.flatMap((p) => p.queries);
  expect(answers.length).toBeGreaterThan(0);
  const fields = deskFields(queries.parts, []).filter((f) => f.kind === 'query');
  expect(fields.map((f) => [f.id, f.name, f.value])).toEqual(answers.map((a) => [a.id, a.alias, a.text]));
});

test('a correction already sent shows as the value, the extracted one beside it; the last one wins', () => {
  const [first, second] = deskFields(twoPages.parts, []);
  const at = '2026-01-01T00:00:00.000Z';
  const correct = (fieldId: string, newValue: string): ReviewAuditEntry => ({
    action: 'correct',
    reviewer: 'Alice',
    reviewerId: 'alice',
    at,
    field: 'x',
    fieldId,
    oldValue: null,
    newValue,
  });
  const fields = deskFields(twoPages.parts, [], [correct(first!.id, 'one'), correct(first!.id, 'two')]);
  expect(fields[0]).toMatchObject({ id: first!.id, value: 'two', extractedValue: first!.value });
  expect(fields[1]).toEqual(second);
});

describe('reading the parts from the results bucket', () => {
  const prefix = 'documents/doc-1/textract/job-1';

  /** An S3 client holding `parts` under the prefix; other keys answer NoSuchKey. */
  function bucket(parts: NormalizedPart[], failing?: Error) {
    const asked: string[] = [];
    const s3 = {
      send: jest.fn(async (command: GetObjectCommand) => {
        const key = command.input.Key!;
        asked.push(key);
        if (failing && key.endsWith('00002.json')) throw failing;
        const i = parts.findIndex((_, n) => partKey(prefix, 'normalized', n + 1) === key);
        if (i < 0) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
        return { Body: { transformToString: async () => JSON.stringify(parts[i]) } };
      }),
    } as unknown as S3Client;
    return { s3, asked };
  }

  test('in order, until the next part is missing', async () => {
    const { s3, asked } = bucket(twoPages.parts);
    const read = await readNormalizedParts(s3, 'results', prefix);
    expect(read).toEqual(twoPages.parts);
    expect(asked).toEqual(
      [1, 2, 3, 4].slice(0, twoPages.parts.length + 1).map((n) => partKey(prefix, 'normalized', n)),
    );
  });

  test('a failure names the part and the error, never the bucket or key', async () => {
    const denied = Object.assign(new Error(`Access Denied for s3://results/${prefix}`), {
      name: 'AccessDenied',
    });
    const { s3 } = bucket(twoPages.parts, denied);
    const failure = await readNormalizedParts(s3, 'results', prefix).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('reading normalized part 2 failed (AccessDenied)');
  });

  test('a part of the older layout is refused, saying so', async () => {
    const { s3 } = bucket([{ fields: [] } as unknown as NormalizedPart]);
    await expect(readNormalizedParts(s3, 'results', prefix)).rejects.toThrow(/not of output schema 2/);
  });
});
