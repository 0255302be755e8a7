import { TextractError } from '@docket/local/textract/errors';
import { parseGetRequest, parseStartRequest, parseSyncRequest } from '@docket/local/textract/validation';

const doc = { DocumentLocation: { S3Object: { Bucket: 'docket-input', Name: 'in/a.pdf' } } };

function errorOf(fn: () => unknown): TextractError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TextractError) return err;
    throw err;
  }
  throw new Error('expected a TextractError');
}

describe('Start* requests', () => {
  test('a full analysis request is read into typed fields', () => {
    const req = parseStartRequest(
      {
        ...doc,
        FeatureTypes: ['FORMS', 'QUERIES', 'FORMS'],
        QueriesConfig: { Queries: [{ Text: 'What is the total?', Alias: 'TOTAL', Pages: ['1-*'] }] },
        ClientRequestToken: 'sha-abc_123',
        JobTag: 'doc:42',
        OutputConfig: { S3Bucket: 'docket-output' },
        KMSKeyId: 'alias/docket',
      },
      true,
    );
    expect(req).toEqual({
      document: { bucket: 'docket-input', name: 'in/a.pdf' },
      clientRequestToken: 'sha-abc_123',
      jobTag: 'doc:42',
      outputConfig: { bucket: 'docket-output' },
      kmsKeyId: 'alias/docket',
      featureTypes: ['FORMS', 'QUERIES'],
      queries: [{ text: 'What is the total?', alias: 'TOTAL', pages: ['1-*'] }],
    });
  });

  test.each([
    [{ ...doc, ClientRequestToken: 'x'.repeat(65) }, 'ClientRequestToken must be 1 to 64'],
    [{ ...doc, ClientRequestToken: 'has space' }, 'ClientRequestToken must match'],
    [{ ...doc, JobTag: 'a b' }, 'JobTag must match'],
    [{ DocumentLocation: {} }, 'DocumentLocation.S3Object is required'],
    [
      { DocumentLocation: { S3Object: { Bucket: 'ab', Name: 'k' } } },
      'DocumentLocation.S3Object.Bucket must be 3 to 255',
    ],
    [{ ...doc, OutputConfig: { S3Prefix: 'p' } }, 'OutputConfig.S3Bucket is required'],
    [
      { ...doc, OutputConfig: { S3Bucket: 'docket-output', S3Prefix: '   ' } },
      'OutputConfig.S3Prefix must match',
    ],
  ])('text detection rejects %j', (body, message) => {
    const err = errorOf(() => parseStartRequest(body, false));
    expect(err.errorName).toBe('InvalidParameterException');
    expect(err.message).toContain(message);
  });

  test.each([
    [{ ...doc }, 'FeatureTypes is required'],
    [{ ...doc, FeatureTypes: ['FORMS', 'CHECKBOXES'] }, "FeatureTypes contains 'CHECKBOXES'"],
    [{ ...doc, FeatureTypes: ['QUERIES'] }, 'QueriesConfig is required'],
    [
      { ...doc, FeatureTypes: ['FORMS'], QueriesConfig: { Queries: [{ Text: 'q' }] } },
      'QueriesConfig is only allowed',
    ],
    [
      { ...doc, FeatureTypes: ['QUERIES'], QueriesConfig: { Queries: [] } },
      'QueriesConfig.Queries must be a non-empty list',
    ],
    [
      { ...doc, FeatureTypes: ['QUERIES'], QueriesConfig: { Queries: [{ Text: 'q', Pages: ['one'] }] } },
      'Pages[0] must match',
    ],
  ])('analysis rejects %j', (body, message) => {
    expect(errorOf(() => parseStartRequest(body, true)).message).toContain(message);
  });
});

describe('Get* requests', () => {
  test('MaxResults defaults to 1000 and larger values are capped at 1000, as Textract does', () => {
    expect(parseGetRequest({ JobId: 'abc' }).maxResults).toBe(1000);
    expect(parseGetRequest({ JobId: 'abc', MaxResults: 5000 }).maxResults).toBe(1000);
    expect(parseGetRequest({ JobId: 'abc', MaxResults: 1 }).maxResults).toBe(1);
  });

  test.each([0, -1, 2.5, '10'])('MaxResults %j is rejected', (value) => {
    expect(errorOf(() => parseGetRequest({ JobId: 'abc', MaxResults: value })).message).toContain(
      'MaxResults',
    );
  });

  test('JobId is required', () => {
    expect(errorOf(() => parseGetRequest({})).message).toBe('JobId is required');
  });
});

describe('sync requests', () => {
  test('Bytes are decoded from base64', () => {
    const req = parseSyncRequest({ Document: { Bytes: Buffer.from('%PDF-1.7').toString('base64') } }, false);
    expect(req.bytes?.toString()).toBe('%PDF-1.7');
  });

  test('a Document with both Bytes and S3Object is rejected', () => {
    const body = { Document: { Bytes: 'AAAA', S3Object: { Bucket: 'docket-input', Name: 'a' } } };
    expect(errorOf(() => parseSyncRequest(body, false)).message).toContain(
      'exactly one of Bytes and S3Object',
    );
  });
});
