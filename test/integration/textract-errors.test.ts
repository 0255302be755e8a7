/**
 * Contract: every error the async and sync APIs return reaches the SDK as its own exception class,
 * with a message that says what is wrong.
 */
import {
  AnalyzeDocumentCommand,
  BadDocumentException,
  DetectDocumentTextCommand,
  DocumentTooLargeException,
  GetDocumentAnalysisCommand,
  GetDocumentTextDetectionCommand,
  IdempotentParameterMismatchException,
  InternalServerError,
  InvalidJobIdException,
  InvalidKMSKeyException,
  InvalidParameterException,
  InvalidS3ObjectException,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  StartDocumentAnalysisCommand,
  StartDocumentTextDetectionCommand,
  ThrottlingException,
  UnsupportedDocumentException,
  type StartDocumentAnalysisCommandInput,
} from '@aws-sdk/client-textract';
import { contractBucket, corpusDocument, harness, type Harness } from '../fixtures/textract/harness';
import { writePdf } from '../fixtures/textract/pdf-writer';

let h: Harness;
let pdfKey: string;

beforeAll(async () => {
  h = await harness('errors');
  pdfKey = await h.put('invoice.pdf', corpusDocument('sample-invoice.pdf'));
});
afterEach(() => h.clearFaults());
afterAll(() => h.destroy());

const analysisOf = (name: string, extra: Partial<StartDocumentAnalysisCommandInput> = {}) =>
  new StartDocumentAnalysisCommand({
    DocumentLocation: { S3Object: { Bucket: contractBucket, Name: name } },
    FeatureTypes: ['FORMS'],
    ...extra,
  });

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

describe('InvalidParameterException names the parameter at fault', () => {
  test.each([
    ['ClientRequestToken with a space', { ClientRequestToken: 'not valid' }, /ClientRequestToken/],
    ['JobTag with a slash', { JobTag: 'a/b' }, /JobTag/],
    ['an unknown feature type', { FeatureTypes: ['HANDWRITING' as 'FORMS'] }, /FeatureTypes/],
    ['QUERIES without QueriesConfig', { FeatureTypes: ['QUERIES' as const] }, /QueriesConfig/],
    [
      'a query longer than 200 characters',
      { FeatureTypes: ['QUERIES' as const], QueriesConfig: { Queries: [{ Text: 'x'.repeat(201) }] } },
      /Text/,
    ],
    [
      'an SNS topic that is not an ARN',
      {
        NotificationChannel: {
          SNSTopicArn: 'my-topic-name-here',
          RoleArn: 'arn:aws:iam::123456789012:role/r',
        },
      },
      /SNSTopicArn/,
    ],
  ])('Start with %s', async (_what, extra, message) => {
    const err = await rejection(h.textract.send(analysisOf(pdfKey, extra)));
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toMatch(message);
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test('MaxResults of 0', async () => {
    const err = await rejection(
      h.textract.send(new GetDocumentAnalysisCommand({ JobId: 'a'.repeat(64), MaxResults: 0 })),
    );
    expect(err).toBeInstanceOf(InvalidParameterException);
    expect(err.message).toMatch(/MaxResults/);
  });

  test('AnalyzeDocument without FeatureTypes', async () => {
    const err = await rejection(
      h.textract.send(
        new AnalyzeDocumentCommand({
          Document: { S3Object: { Bucket: contractBucket, Name: pdfKey } },
          FeatureTypes: [],
        }),
      ),
    );
    expect(err).toBeInstanceOf(InvalidParameterException);
  });
});

describe('document errors', () => {
  test('a missing object is InvalidS3ObjectException', async () => {
    const err = await rejection(h.textract.send(analysisOf('errors/never-uploaded.pdf')));
    expect(err).toBeInstanceOf(InvalidS3ObjectException);
  });

  test('a missing object version is InvalidS3ObjectException', async () => {
    const err = await rejection(
      h.textract.send(
        new StartDocumentTextDetectionCommand({
          DocumentLocation: {
            S3Object: { Bucket: contractBucket, Name: pdfKey, Version: 'no-such-version' },
          },
        }),
      ),
    );
    expect(err).toBeInstanceOf(InvalidS3ObjectException);
  });

  test('bytes that are no document are UnsupportedDocumentException, whatever the name says', async () => {
    const key = await h.put('looks-like.pdf', 'name,amount\nalice,10\n');
    const err = await rejection(h.textract.send(analysisOf(key)));
    expect(err).toBeInstanceOf(UnsupportedDocumentException);
  });

  test('a corrupt PDF is BadDocumentException', async () => {
    const key = await h.put('corrupt.pdf', '%PDF-1.7\n1 0 obj <<< this is not a pdf\n');
    const err = await rejection(h.textract.send(analysisOf(key)));
    expect(err).toBeInstanceOf(BadDocumentException);
  });

  test('a password-protected PDF is BadDocumentException, and says so', async () => {
    const lines = [{ text: 'Salary statement for March 2026', x: 72, y: 700, size: 14 }];
    const key = await h.put('locked.pdf', writePdf([{ lines }], { passwordProtected: true }));
    const err = await rejection(h.textract.send(analysisOf(key)));
    expect(err).toBeInstanceOf(BadDocumentException);
    expect(err.message).toBe('Unable to process the document: the PDF is password-protected');
    // The same document without the password is read.
    const open = await h.textract.send(
      new DetectDocumentTextCommand({ Document: { Bytes: writePdf([{ lines }]) } }),
    );
    expect(open.Blocks?.find((b) => b.BlockType === 'LINE')?.Text).toBe(lines[0]?.text);
  });

  test('an image over 10 MB is DocumentTooLargeException', async () => {
    const png = Buffer.alloc(10 * 1024 * 1024 + 1);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    const key = await h.put('huge.png', png);
    const err = await rejection(h.textract.send(analysisOf(key)));
    expect(err).toBeInstanceOf(DocumentTooLargeException);
  });

  test('a multi-page PDF sent to a synchronous operation is UnsupportedDocumentException', async () => {
    const key = await h.put('two-pages.pdf', corpusDocument('textractor-multipage-doc.pdf'));
    const err = await rejection(
      h.textract.send(
        new DetectDocumentTextCommand({ Document: { S3Object: { Bucket: contractBucket, Name: key } } }),
      ),
    );
    expect(err).toBeInstanceOf(UnsupportedDocumentException);
  });
});

describe('job errors', () => {
  test('an unknown JobId is InvalidJobIdException', async () => {
    const err = await rejection(
      h.textract.send(new GetDocumentTextDetectionCommand({ JobId: 'f'.repeat(64) })),
    );
    expect(err).toBeInstanceOf(InvalidJobIdException);
  });

  test('a text-detection JobId is unknown to GetDocumentAnalysis', async () => {
    const { JobId } = await h.textract.send(
      new StartDocumentTextDetectionCommand({
        DocumentLocation: { S3Object: { Bucket: contractBucket, Name: pdfKey } },
      }),
    );
    const err = await rejection(h.textract.send(new GetDocumentAnalysisCommand({ JobId })));
    expect(err).toBeInstanceOf(InvalidJobIdException);
  });

  test('the same ClientRequestToken with other parameters is IdempotentParameterMismatchException', async () => {
    await h.textract.send(analysisOf(pdfKey, { ClientRequestToken: 'errors-mismatch-1' }));
    const err = await rejection(
      h.textract.send(
        analysisOf(pdfKey, { ClientRequestToken: 'errors-mismatch-1', FeatureTypes: ['TABLES'] }),
      ),
    );
    expect(err).toBeInstanceOf(IdempotentParameterMismatchException);
  });

  test('a KMS key KMS does not know is InvalidKMSKeyException', async () => {
    const err = await rejection(
      h.textract.send(
        analysisOf(pdfKey, {
          KMSKeyId: 'alias/docket-no-such-key',
          OutputConfig: { S3Bucket: contractBucket, S3Prefix: 'errors-out' },
        }),
      ),
    );
    expect(err).toBeInstanceOf(InvalidKMSKeyException);
  });
});

describe('quotas and injected faults', () => {
  test('going over an operation TPS quota is ProvisionedThroughputExceededException', async () => {
    await h.setFaults({ tps: { GetDocumentTextDetection: 2 } });
    const calls = Array.from({ length: 5 }, () =>
      rejection(h.textract.send(new GetDocumentTextDetectionCommand({ JobId: 'f'.repeat(64) }))),
    );
    const errors = await Promise.all(calls);
    expect(
      errors.filter((e) => e instanceof ProvisionedThroughputExceededException).length,
    ).toBeGreaterThanOrEqual(3);
    // Within quota the request goes through to the ordinary answer.
    expect(errors.filter((e) => e instanceof InvalidJobIdException).length).toBeGreaterThanOrEqual(1);
  });

  test('one job over the concurrent-job quota is LimitExceededException', async () => {
    // An account of its own, so jobs other tests left running do not count against the quota.
    const own = await harness('errors-limit');
    try {
      await own.setFaults({ maxConcurrentJobs: 1, documents: [{ match: '*/slow.pdf', jobMs: 5000 }] });
      const key = await own.put('slow.pdf', corpusDocument('sample-invoice.pdf'));
      await own.textract.send(analysisOf(key));
      const err = await rejection(own.textract.send(analysisOf(key)));
      expect(err).toBeInstanceOf(LimitExceededException);
      expect(err.message).toMatch(/concurrent/);
    } finally {
      await own.clearFaults();
      own.destroy();
    }
  });

  test('a throttle rate of 1 answers ThrottlingException (a 500, so SDKs retry it)', async () => {
    await h.setFaults({ throttleRate: 1 });
    const err = await rejection(h.textract.send(analysisOf(pdfKey)));
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.$metadata?.httpStatusCode).toBe(500);
  });

  test('an internal-error rate of 1 answers InternalServerError', async () => {
    await h.setFaults({ internalErrorRate: 1 });
    const err = await rejection(h.textract.send(new GetDocumentAnalysisCommand({ JobId: 'a'.repeat(64) })));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.$metadata?.httpStatusCode).toBe(500);
  });

  test('faults set for one account leave other accounts alone', async () => {
    await h.setFaults({ throttleRate: 1 });
    const other = await harness('errors-bystander');
    try {
      const err = await rejection(
        other.textract.send(new GetDocumentAnalysisCommand({ JobId: 'a'.repeat(64) })),
      );
      expect(err).toBeInstanceOf(InvalidJobIdException);
    } finally {
      other.destroy();
    }
  });
});
