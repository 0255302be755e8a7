// The routing summary: repeated names stay distinct, the top answer per query alias is routed, named
// fields come first, and the size bounds hold with what was left out still visible to routing.
import type { OutputPage } from '../../lib/document-model';
import { maxSummaryBytes, maxSummaryFields, type ExtractedField } from '../../lib/extraction';
import { SummaryBuilder } from '../../activities/extraction-summary';

const base = { jobId: 'job-1', partsWritten: 1, resultsBucket: 'b', resultsPrefix: 'p' };
const emptyPage = (page: number): OutputPage => ({
  page,
  lines: [],
  fields: [],
  queries: [],
  signatures: [],
  layout: [],
});
let n = 0;
const form = (name: string, confidence: number, value = 'v', page = 1): ExtractedField => ({
  id: `p${page}-f${++n}`,
  name,
  value,
  confidence,
  page,
  source: 'FORM',
});
const answer = (name: string, confidence: number, value = 'a'): ExtractedField => ({
  ...form(name, confidence, value),
  id: `p1-q${n}`,
  source: 'QUERY',
});

test('a repeated name is one entry per field, told apart by id', () => {
  const builder = new SummaryBuilder(['Phone']);
  builder.addPage(emptyPage(1), [form('Phone', 90, '111'), form('Phone', 70, '222'), form('City', 95)]);
  const summary = builder.summary(base);
  expect(summary.fields.map((f) => [f.name, f.value])).toEqual([
    ['Phone', '111'],
    ['Phone', '222'],
    ['City', 'v'],
  ]);
  expect(new Set(summary.fields.map((f) => f.id)).size).toBe(3);
  expect(summary).toMatchObject({ fieldCount: 3, fieldsOmitted: 0, minConfidence: 70 });
});

test('of a query’s answers only the most confident per alias is routed, wherever it is', () => {
  const builder = new SummaryBuilder(['total']);
  builder.addPage(emptyPage(1), [answer('total', 60, '12.00'), answer('total', 85, '12.50')]);
  builder.addPage(emptyPage(2), [answer('total', 70, '13.00'), answer('note', 30)]);
  const summary = builder.summary({ ...base, pages: 2 });
  expect(summary.fields.map((f) => [f.name, f.value, f.confidence])).toEqual([
    ['total', '12.50', 85],
    ['note', 'a', 30],
  ]);
  expect(summary.minConfidence).toBe(30);
});

test('named fields first, then the least confident others, at most maxSummaryFields', () => {
  const builder = new SummaryBuilder(['invoice_number']);
  const others = Array.from({ length: 100 }, (_, i) => form(`field ${i}`, 50 + (i % 50)));
  builder.addPage(emptyPage(1), [...others.slice(0, 50), form('invoice_number', 99)]);
  builder.addPage(emptyPage(2), others.slice(50));
  const summary = builder.summary(base);
  expect(summary.fields).toHaveLength(maxSummaryFields);
  expect(summary.fields[0]!.name).toBe('invoice_number');
  const listed = summary.fields.slice(1).map((f) => f.confidence);
  expect(listed).toEqual([...listed].sort((a, b) => a - b));
  expect(Math.max(...listed)).toBeLessThanOrEqual(70);
  expect(summary).toMatchObject({ fieldCount: 101, fieldsOmitted: 101 - maxSummaryFields });
  expect(summary.omittedMinConfidence).toBeGreaterThanOrEqual(Math.max(...listed));
});

test('long values are cut, and the JSON stays under the byte bound, dropped fields still counted', () => {
  const builder = new SummaryBuilder(Array.from({ length: 80 }, (_, i) => `named ${i}`));
  builder.addPage(
    emptyPage(1),
    Array.from({ length: 80 }, (_, i) => form(`named ${i}`, 10 + i, 'x'.repeat(5000))),
  );
  const summary = builder.summary(base);
  expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(maxSummaryBytes);
  expect(summary.fields.every((f) => f.value.length === 200)).toBe(true);
  expect(summary.fields.length + summary.fieldsOmitted).toBe(80);
  expect(summary.omittedMinConfidence).toBe(10 + summary.fields.length);
});

test('a checkbox keeps its state; lines give the minimum when there are no fields', () => {
  const builder = new SummaryBuilder([]);
  builder.addPage(
    {
      ...emptyPage(1),
      lines: [{ text: 't', confidence: 42, box: { left: 0, top: 0, width: 1, height: 1 } }],
    },
    [],
  );
  expect(builder.summary(base)).toMatchObject({ minConfidence: 42, lineCount: 1, fields: [] });
  builder.addPage(emptyPage(2), [{ ...form('Yes', 88, ''), selected: true }]);
  expect(builder.summary(base).fields).toEqual([
    expect.objectContaining({ name: 'Yes', value: '', selected: true }),
  ]);
});
