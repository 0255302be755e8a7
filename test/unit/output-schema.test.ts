// lib/output-schema.json against lib/document-model.ts: the compiler checks the lists below against
// the TypeScript types (every property, required or optional, every enum value), and the tests check
// the schema against the lists, so neither can change without the other. A real validator (Ajv,
// draft 2020-12) checks documents against the schema.
import type {
  ReviewAuditEntry,
  ReviewCorrection,
  DocumentSource,
  DuplicateOf,
  S3Location,
} from '../../lib/contract';
import type { ReviewItem } from '../../lib/confidence-routing';
import { ReviewReason } from '../../lib/confidence-routing';
import type {
  BoundingBox,
  FieldPart,
  LayoutKind,
  OutputCell,
  OutputCorrection,
  OutputDocument,
  OutputField,
  OutputLayoutElement,
  OutputLine,
  OutputPage,
  OutputQueryAnswer,
  OutputSignature,
  OutputTable,
  OutputTableCaption,
  OutputTablePart,
  OutputTextract,
  TextType,
} from '../../lib/document-model';
import type { TextractWarning } from '../../lib/extraction';
import type { DocumentCost } from '../../lib/pricing';
import { TextractApi } from '../../lib/profile';
import { fullDocument } from '../support/output-fixtures';
import { outputSchema, outputSchemaErrors } from '../support/output-schema';

/** Each property of T, and whether T requires it: the compiler refuses a missing, extra or wrong one. */
type Presence<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? 'optional' : 'required' };
/** Each value of a string union, listed once: the compiler refuses a missing or extra one. */
type Values<U extends string> = Record<U, true>;

type Audit<A extends ReviewAuditEntry['action']> = Extract<ReviewAuditEntry, { action: A }>;
const auditCommon = {
  action: 'required',
  reviewer: 'required',
  reviewerId: 'optional',
  at: 'required',
} as const;

/** Schema objects by where they are in lib/output-schema.json, with the type they document. */
const objects: Record<string, Record<string, 'required' | 'optional'>> = {
  '#': {
    schemaVersion: 'required',
    documentId: 'required',
    status: 'required',
    profile: 'required',
    source: 'required',
    checksum: 'required',
    completedAt: 'required',
    textract: 'optional',
    review: 'required',
    corrections: 'required',
    duplicateOf: 'optional',
    pages: 'required',
    tables: 'required',
    cost: 'optional',
  } satisfies Presence<OutputDocument>,
  '#/$defs/DocumentCost': {
    currency: 'required',
    total: 'required',
    textract: 'required',
    temporal: 'required',
    kms: 'required',
  } satisfies Presence<DocumentCost>,
  '#/$defs/DocumentCost/properties/textract': {
    pages: 'required',
    pricePerPage: 'required',
    usd: 'required',
  } satisfies Presence<DocumentCost['textract']>,
  '#/$defs/DocumentCost/properties/temporal': { actions: 'required', usd: 'required' } satisfies Presence<
    DocumentCost['temporal']
  >,
  '#/$defs/DocumentCost/properties/kms': { requests: 'required', usd: 'required' } satisfies Presence<
    DocumentCost['kms']
  >,
  '#/properties/review': { items: 'required', audit: 'required' } satisfies Presence<
    OutputDocument['review']
  >,
  '#/$defs/BoundingBox': {
    left: 'required',
    top: 'required',
    width: 'required',
    height: 'required',
  } satisfies Presence<BoundingBox>,
  '#/$defs/DocumentSource': {
    bucket: 'required',
    key: 'required',
    versionId: 'optional',
  } satisfies Presence<DocumentSource>,
  '#/$defs/S3Location': { bucket: 'required', key: 'required' } satisfies Presence<S3Location>,
  '#/$defs/DuplicateOf': { documentId: 'required', output: 'required' } satisfies Presence<DuplicateOf>,
  '#/$defs/TextractWarning': { errorCode: 'required', pages: 'required' } satisfies Presence<TextractWarning>,
  '#/$defs/OutputTextract': {
    jobId: 'required',
    api: 'required',
    status: 'required',
    pages: 'required',
    warnings: 'required',
  } satisfies Presence<OutputTextract>,
  '#/$defs/ReviewItem': {
    field: 'required',
    fieldId: 'optional',
    page: 'optional',
    reason: 'required',
    confidence: 'optional',
    threshold: 'required',
  } satisfies Presence<ReviewItem>,
  '#/$defs/ReviewAuditEntry/oneOf/0': { ...auditCommon, comment: 'optional' } satisfies Presence<
    Audit<'approve'>
  >,
  '#/$defs/ReviewAuditEntry/oneOf/1': { ...auditCommon, reason: 'required' } satisfies Presence<
    Audit<'reject'>
  >,
  '#/$defs/ReviewAuditEntry/oneOf/2': {
    ...auditCommon,
    field: 'required',
    fieldId: 'optional',
    oldValue: 'required',
    newValue: 'required',
  } satisfies Presence<Audit<'correct'>>,
  '#/$defs/OutputCorrection': {
    fieldId: 'optional',
    name: 'required',
    extractedText: 'required',
    text: 'required',
    reviewer: 'required',
    reviewerId: 'optional',
    at: 'required',
  } satisfies Presence<OutputCorrection>,
  '#/$defs/OutputLine': {
    text: 'required',
    confidence: 'required',
    textType: 'optional',
    box: 'required',
  } satisfies Presence<OutputLine>,
  '#/$defs/FieldPart': {
    text: 'required',
    confidence: 'required',
    box: 'optional',
  } satisfies Presence<FieldPart>,
  '#/$defs/FieldCorrection': {
    extractedText: 'required',
    reviewer: 'required',
    reviewerId: 'optional',
    at: 'required',
  } satisfies Presence<NonNullable<OutputField['correction']>>,
  '#/$defs/OutputField': {
    id: 'required',
    name: 'required',
    page: 'required',
    key: 'required',
    value: 'required',
    selected: 'optional',
    correction: 'optional',
  } satisfies Presence<OutputField>,
  '#/$defs/OutputQueryAnswer': {
    id: 'required',
    alias: 'required',
    question: 'required',
    text: 'required',
    confidence: 'required',
    page: 'required',
    box: 'optional',
  } satisfies Presence<OutputQueryAnswer>,
  '#/$defs/OutputSignature': {
    page: 'required',
    confidence: 'required',
    box: 'required',
  } satisfies Presence<OutputSignature>,
  '#/$defs/OutputLayoutElement': {
    kind: 'required',
    text: 'required',
    confidence: 'required',
    page: 'required',
    box: 'required',
  } satisfies Presence<OutputLayoutElement>,
  '#/$defs/OutputPage': {
    page: 'required',
    lines: 'required',
    fields: 'required',
    queries: 'required',
    signatures: 'required',
    layout: 'required',
  } satisfies Presence<OutputPage>,
  '#/$defs/OutputCell': {
    row: 'required',
    column: 'required',
    rowSpan: 'required',
    columnSpan: 'required',
    text: 'required',
    confidence: 'required',
    entityTypes: 'required',
    page: 'required',
    box: 'required',
    selected: 'optional',
  } satisfies Presence<OutputCell>,
  '#/$defs/OutputTableCaption': {
    text: 'required',
    page: 'required',
    box: 'optional',
  } satisfies Presence<OutputTableCaption>,
  '#/$defs/OutputTablePart': {
    page: 'required',
    box: 'required',
    firstRow: 'required',
    rowCount: 'required',
  } satisfies Presence<OutputTablePart>,
  '#/$defs/OutputTable': {
    id: 'required',
    type: 'optional',
    title: 'optional',
    footer: 'optional',
    rowCount: 'required',
    columnCount: 'required',
    headerRows: 'required',
    confidence: 'required',
    parts: 'required',
    cells: 'required',
  } satisfies Presence<OutputTable>,
};

/** Enumerations: where the schema lists them, and the values of the TypeScript union. */
const enums: Record<string, string[]> = {
  '#/properties/status': Object.keys({ SUCCEEDED: true, DUPLICATE: true } satisfies Values<
    OutputDocument['status']
  >),
  '#/$defs/OutputTextract/properties/api': Object.values(TextractApi),
  '#/$defs/OutputTextract/properties/status': Object.keys({
    SUCCEEDED: true,
    PARTIAL_SUCCESS: true,
  } satisfies Values<OutputTextract['status']>),
  '#/$defs/ReviewItem/properties/reason': Object.values(ReviewReason),
  '#/$defs/TextType': Object.keys({ PRINTED: true, HANDWRITING: true } satisfies Values<TextType>),
  '#/$defs/LayoutKind': Object.keys({
    TITLE: true,
    SECTION_HEADER: true,
    HEADER: true,
    FOOTER: true,
    PAGE_NUMBER: true,
    LIST: true,
    FIGURE: true,
    KEY_VALUE: true,
    TABLE: true,
    TEXT: true,
  } satisfies Values<LayoutKind>),
  '#/$defs/OutputTable/properties/type': Object.keys({
    STRUCTURED: true,
    SEMI_STRUCTURED: true,
  } satisfies Values<NonNullable<OutputTable['type']>>),
};

type Node = Record<string, unknown>;

/** The schema node at a JSON pointer ('#' is the whole schema). */
function at(pointer: string): Node {
  let node: unknown = outputSchema;
  for (const step of pointer.split('/').slice(1)) node = (node as Node)[step];
  if (typeof node !== 'object' || node === null) throw new Error(`no schema node at ${pointer}`);
  return node as Node;
}

/** Every object schema (a node with `properties`), by pointer. */
function objectSchemas(node: unknown, pointer = '#'): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const found = 'properties' in node && !('if' in (node as Node)) ? [pointer] : [];
  return found.concat(
    ...Object.entries(node).map(([key, child]) =>
      key === 'if' ? [] : objectSchemas(child, `${pointer}/${key}`),
    ),
  );
}

const sorted = (values: Iterable<string>) => [...values].sort();

describe('lib/output-schema.json and lib/document-model.ts', () => {
  test.each(Object.entries(objects))(
    '%s: the same properties, the same ones required',
    (pointer, presence) => {
      const node = at(pointer);
      expect(sorted(Object.keys(node.properties as Node))).toEqual(sorted(Object.keys(presence)));
      expect(sorted((node.required as string[] | undefined) ?? [])).toEqual(
        sorted(Object.keys(presence).filter((k) => presence[k] === 'required')),
      );
    },
  );

  test('every object the schema describes is listed above and refuses unknown properties', () => {
    const all = objectSchemas(outputSchema);
    expect(sorted(all)).toEqual(sorted(Object.keys(objects)));
    for (const pointer of all) expect([pointer, at(pointer).additionalProperties]).toEqual([pointer, false]);
  });

  test.each(Object.entries(enums))('%s: the same values', (pointer, values) => {
    expect(sorted(at(pointer).enum as string[])).toEqual(sorted(values));
  });

  test('schemaVersion is the model’s', () => {
    expect(at('#/properties/schemaVersion').const).toBe(fullDocument().schemaVersion);
  });

  test('every definition says what it is', () => {
    for (const [name, def] of Object.entries(outputSchema.$defs as Record<string, Node>)) {
      expect([name, typeof def.description]).toEqual([name, 'string']);
    }
  });
});

describe('validation with Ajv (draft 2020-12)', () => {
  test('a document with every property set is valid', () => {
    expect(outputSchemaErrors(fullDocument())).toEqual([]);
  });

  test('a minimal DUPLICATE is valid; without duplicateOf it is not', () => {
    const { textract: _t, corrections: _c, duplicateOf, ...rest } = fullDocument();
    const duplicate = { ...rest, status: 'DUPLICATE', corrections: [], pages: [], tables: [] };
    expect(outputSchemaErrors({ ...duplicate, duplicateOf })).toEqual([]);
    expect(outputSchemaErrors(duplicate).join('\n')).toContain("must have required property 'duplicateOf'");
  });

  test('a SUCCEEDED document must say which Textract job it came from', () => {
    const { textract: _t, ...rest } = fullDocument();
    expect(outputSchemaErrors(rest).join('\n')).toContain("must have required property 'textract'");
  });

  test('a misspelt property fails, at any depth', () => {
    const doc = fullDocument();
    const page = doc.pages[0] as OutputPage & Record<string, unknown>;
    page.feilds = page.fields;
    const field = page.fields[0] as OutputField & Record<string, unknown>;
    field.corection = field.correction;
    const errors = outputSchemaErrors(doc).join('\n');
    expect(errors).toContain('/pages/0 must NOT have additional properties {"additionalProperty":"feilds"}');
    expect(errors).toContain('/pages/0/fields/0 must NOT have additional properties');
  });

  test('wrong values fail: ids, confidences, dates, enums, the schema version', () => {
    const doc = fullDocument() as OutputDocument & Record<string, unknown>;
    const page = doc.pages[0]!;
    page.fields[0]!.id = 'f1';
    page.lines[0]!.confidence = 101;
    doc.completedAt = 'yesterday';
    page.layout[0]!.kind = 'BANNER' as LayoutKind;
    doc.schemaVersion = 1 as 2;
    const errors = outputSchemaErrors(doc).join('\n');
    for (const where of [
      '/pages/0/fields/0/id',
      '/pages/0/lines/0/confidence',
      '/completedAt',
      '/pages/0/layout/0/kind',
      '/schemaVersion',
    ]) {
      expect(errors).toContain(where);
    }
  });
});

// The workflow's corrections are the output's, less what Textract had (checked by the type-check).
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const _correctionShape: SameKeys<ReviewCorrection, Omit<OutputCorrection, 'extractedText'>> = true;
