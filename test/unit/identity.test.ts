import { documentIdentities, extractionIdentity, outputIdentity } from '../../lib/identity';
import { TextractApi, TextractFeature, type DocumentProfile, type ProfileTextract } from '../../lib/profile';

const checksum = 'c'.repeat(64);
const analysis = (over: Partial<Extract<ProfileTextract, { api: 'ANALYSIS' }>> = {}): ProfileTextract => ({
  api: TextractApi.ANALYSIS,
  features: [TextractFeature.FORMS, TextractFeature.TABLES, TextractFeature.QUERIES],
  queries: [
    { text: 'What is the invoice number?', alias: 'invoice_number' },
    { text: 'What is the total?', alias: 'total', pages: ['1', '2'] },
  ],
  ...over,
});
const profile = (over: Partial<DocumentProfile> = {}): DocumentProfile => ({
  name: 'invoice',
  textract: analysis(),
  defaultThreshold: 80,
  output: { bucket: 'out', kmsKeyId: 'alias/a' },
  ...over,
});

describe('extraction identity', () => {
  const id = (t: ProfileTextract, sum = checksum) => extractionIdentity(sum, t);

  test('is a stable hex SHA-256, different for other bytes', () => {
    expect(id(analysis())).toMatch(/^[0-9a-f]{64}$/);
    expect(id(analysis())).toBe(id(analysis()));
    expect(id(analysis(), 'd'.repeat(64))).not.toBe(id(analysis()));
  });

  test('ignores the order of features, queries, query pages and adapters, as Textract does', () => {
    const base = analysis({
      adapters: [
        { adapterId: 'a1', version: '1' },
        { adapterId: 'a2', version: '3', pages: ['1', '3'] },
      ],
    });
    const reordered = analysis({
      features: [TextractFeature.QUERIES, TextractFeature.TABLES, TextractFeature.FORMS],
      queries: [
        { text: 'What is the total?', alias: 'total', pages: ['2', '1'] },
        { text: 'What is the invoice number?', alias: 'invoice_number' },
      ],
      adapters: [
        { adapterId: 'a2', version: '3', pages: ['3', '1'] },
        { adapterId: 'a1', version: '1' },
      ],
    });
    expect(id(reordered)).toBe(id(base));
    // A query without pages asks for every page, as "*" does.
    const star = analysis({
      queries: [
        { text: 'What is the invoice number?', alias: 'invoice_number', pages: ['*'] },
        { text: 'What is the total?', alias: 'total', pages: ['1', '2'] },
      ],
    });
    expect(id(star)).toBe(id(analysis()));
  });

  test('changes with the API, a feature, a query text, alias or pages, and an adapter or its version', () => {
    const ids = [
      id(analysis()),
      id({ api: TextractApi.TEXT_DETECTION }),
      id(analysis({ features: [TextractFeature.FORMS, TextractFeature.QUERIES] })),
      id(analysis({ queries: [{ text: 'What is the invoice number?', alias: 'invoice_number' }] })),
      id(
        analysis({
          queries: [
            { text: 'What is the invoice no?', alias: 'invoice_number' },
            { text: 'What is the total?', alias: 'total', pages: ['1', '2'] },
          ],
        }),
      ),
      id(
        analysis({
          queries: [
            { text: 'What is the invoice number?', alias: 'number' },
            { text: 'What is the total?', alias: 'total', pages: ['1', '2'] },
          ],
        }),
      ),
      id(
        analysis({
          queries: [
            { text: 'What is the invoice number?', alias: 'invoice_number' },
            { text: 'What is the total?', alias: 'total', pages: ['1'] },
          ],
        }),
      ),
      id(analysis({ adapters: [{ adapterId: 'a1', version: '1' }] })),
      id(analysis({ adapters: [{ adapterId: 'a1', version: '2' }] })),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('output identity', () => {
  const ids = (p: DocumentProfile) => documentIdentities(checksum, p);

  test('same extraction for profiles that differ only in routing, key or destination; other output identities', () => {
    const variants = [
      profile(),
      profile({ defaultThreshold: 90 }),
      profile({ fieldThresholds: { total: 95 } }),
      profile({ requiredFields: ['total'] }),
      profile({ criticalFields: ['total'] }),
      profile({ sampleRate: 0.1 }),
      profile({ reviewDeadline: '1 day' }),
      profile({ output: { bucket: 'out', kmsKeyId: 'alias/b' } }),
      profile({ output: { bucket: 'other', kmsKeyId: 'alias/a' } }),
      profile({ output: { bucket: 'out', prefix: 'elsewhere', kmsKeyId: 'alias/a' } }),
    ].map(ids);
    expect(new Set(variants.map((v) => v.extractionId)).size).toBe(1);
    expect(new Set(variants.map((v) => v.outputId)).size).toBe(variants.length);
  });

  test('ignores the profile name, the order of listed fields and the default output prefix spelled out', () => {
    const a = ids(profile({ requiredFields: ['a', 'b'], fieldThresholds: { x: 90, y: 80 } }));
    const b = ids(
      profile({
        name: 'renamed',
        requiredFields: ['b', 'a'],
        fieldThresholds: { y: 80, x: 90 },
        output: { bucket: 'out', prefix: 'documents', kmsKeyId: 'alias/a' },
      }),
    );
    expect(b).toEqual(a);
  });

  test('builds on the extraction identity: other features, other output identity', () => {
    const p = profile();
    const other = profile({ textract: analysis({ features: [TextractFeature.FORMS] }) });
    expect(ids(other).outputId).not.toBe(ids(p).outputId);
    expect(outputIdentity(ids(p).extractionId, p)).toBe(ids(p).outputId);
  });
});
