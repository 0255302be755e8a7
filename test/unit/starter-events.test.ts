import { deriveDocumentId } from '../../clients/document-id';
import {
  decodeS3Key,
  eventDocumentId,
  parsePrefixProfiles,
  parseS3EventMessage,
  profileForKey,
} from '../../clients/s3-event-starter/events';

function s3Event(object: Record<string, unknown>, eventName = 'ObjectCreated:Put', bucket = 'docket-input') {
  return JSON.stringify({
    Records: [{ eventSource: 'aws:s3', eventName, s3: { bucket: { name: bucket }, object } }],
  });
}

describe('decodeS3Key', () => {
  test('turns + into spaces and %XX into the bytes S3 encoded', () => {
    expect(decodeS3Key('in%2Fmy+scan+%281%29.pdf')).toBe('in/my scan (1).pdf');
    expect(decodeS3Key('a%2Bb.pdf')).toBe('a+b.pdf');
    expect(decodeS3Key('r%C3%A9sum%C3%A9.pdf')).toBe('résumé.pdf');
  });

  test('refuses a malformed escape', () => {
    expect(() => decodeS3Key('bad%ZZ.pdf')).toThrow(URIError);
  });
});

describe('parseS3EventMessage', () => {
  test('reads a created object with its decoded key and unquoted ETag', () => {
    expect(parseS3EventMessage(s3Event({ key: 'in/a+b.pdf', eTag: '"abc"', size: 3 }))).toEqual({
      kind: 'objects',
      ignored: 0,
      objects: [{ bucket: 'docket-input', key: 'in/a b.pdf', eTag: 'abc', eventName: 'ObjectCreated:Put' }],
    });
  });

  test('unwraps an SNS notification around the S3 event', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      Message: s3Event({ key: 'k.pdf', versionId: 'v1' }),
    });
    const parsed = parseS3EventMessage(body);
    expect(parsed).toMatchObject({ kind: 'objects', objects: [{ key: 'k.pdf', versionId: 'v1' }] });
  });

  test('recognises the test event S3 sends when notifications are configured', () => {
    expect(parseS3EventMessage(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual({
      kind: 'test-event',
    });
  });

  test('counts events other than ObjectCreated as ignored, not poison', () => {
    expect(parseS3EventMessage(s3Event({ key: 'k.pdf' }, 'ObjectRemoved:Delete'))).toEqual({
      kind: 'objects',
      objects: [],
      ignored: 1,
    });
  });

  test.each([
    ['not JSON', '{nope', 'not JSON'],
    ['empty', undefined, 'not JSON'],
    ['a JSON array', '[]', 'not an S3 event'],
    ['no Records', '{"hello":1}', 'no Records'],
    ['another service', JSON.stringify({ Records: [{ eventSource: 'aws:sqs' }] }), 'not an S3 event record'],
    ['a malformed key', s3Event({ key: '%E0%A4%A', eTag: 'x' }), 'not validly form-encoded'],
    ['no version or ETag', s3Event({ key: 'k.pdf' }), 'neither'],
  ])('a body that is %s is poison with a reason', (_what, body, reason) => {
    const parsed = parseS3EventMessage(body);
    expect(parsed.kind).toBe('poison');
    expect(parsed.kind === 'poison' && parsed.reason).toContain(reason);
  });
});

describe('eventDocumentId', () => {
  const object = { bucket: 'docket-input', key: 'in/Invoice 7.pdf', eTag: 'e1' };

  test('is the same for the same bucket, key and ETag, and a valid document id without the file name', () => {
    expect(eventDocumentId(object)).toBe(eventDocumentId({ ...object }));
    expect(eventDocumentId(object)).toMatch(/^doc-[0-9a-f]{24}$/);
    expect(eventDocumentId(object)).not.toMatch(/Invoice/i);
  });

  test('is the id docket start and the API derive for the same object version', () => {
    expect(eventDocumentId(object)).toBe(deriveDocumentId({ ...object, eTag: '"e1"' }));
  });

  test('changes with the bytes (ETag or version), the key and the bucket', () => {
    const ids = new Set([
      eventDocumentId(object),
      eventDocumentId({ ...object, eTag: 'e2' }),
      eventDocumentId({ ...object, versionId: 'v1' }),
      eventDocumentId({ ...object, key: 'in/Invoice 8.pdf' }),
      eventDocumentId({ ...object, bucket: 'other' }),
    ]);
    expect(ids.size).toBe(5);
  });
});

describe('prefix profiles', () => {
  test('the longest matching prefix wins, else the default profile', () => {
    const map = parsePrefixProfiles('invoices/=invoice, invoices/scans/=text');
    expect(profileForKey('invoices/scans/a.pdf', map, 'forms')).toBe('text');
    expect(profileForKey('invoices/a.pdf', map, 'forms')).toBe('invoice');
    expect(profileForKey('other/a.pdf', map, 'forms')).toBe('forms');
  });

  test('a malformed pair is named', () => {
    expect(() => parsePrefixProfiles('invoices/=invoice,oops')).toThrow("'oops' is not prefix=profile");
  });
});
