import { optionsFromEnv } from '@docket/local/textract/config';
import { Faults } from '@docket/local/textract/faults';

const errorName = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as Error).name;
  }
};

test('a TPS quota lets a second of burst through, then ProvisionedThroughputExceededException', () => {
  const faults = new Faults({ tps: { GetDocumentAnalysis: 3 } });
  const results = Array.from({ length: 5 }, () =>
    errorName(() => faults.admit('acct', 'GetDocumentAnalysis')),
  );
  expect(results).toEqual([
    undefined,
    undefined,
    undefined,
    'ProvisionedThroughputExceededException',
    'ProvisionedThroughputExceededException',
  ]);
  // Other operations and other accounts have their own buckets.
  expect(errorName(() => faults.admit('acct', 'StartDocumentAnalysis'))).toBeUndefined();
  expect(errorName(() => faults.admit('other', 'GetDocumentAnalysis'))).toBeUndefined();
});

test('injected error rates draw from the random source', () => {
  let next = 0.05;
  const faults = new Faults({ throttleRate: 0.1, internalErrorRate: 0.5 }, () => next);
  expect(errorName(() => faults.admit('a', 'GetDocumentTextDetection'))).toBe('ThrottlingException');
  next = 0.3;
  expect(errorName(() => faults.admit('a', 'GetDocumentTextDetection'))).toBe('InternalServerError');
  next = 0.9;
  expect(errorName(() => faults.admit('a', 'GetDocumentTextDetection'))).toBeUndefined();
});

test('account settings override the defaults; their document rules come first', () => {
  const faults = new Faults({ maxConcurrentJobs: 100, documents: [{ match: 'in/*', status: 'FAILED' }] });
  faults.set({ maxConcurrentJobs: 2, documents: [{ match: '*.pdf', status: 'PARTIAL_SUCCESS' }] }, 'tests');
  expect(faults.maxConcurrentJobs('tests')).toBe(2);
  expect(faults.maxConcurrentJobs('worker')).toBe(100);
  expect(faults.documentRule('tests', 'docket-input', 'in/a.pdf')?.status).toBe('PARTIAL_SUCCESS');
  expect(faults.documentRule('worker', 'docket-input', 'in/a.pdf')?.status).toBe('FAILED');
  expect(faults.documentRule('worker', 'docket-input', 'out/a.pdf')).toBeUndefined();
  expect(faults.documentRule('worker', 'docket-input', 'in/a.png')?.status).toBe('FAILED');
  faults.reset('tests');
  expect(faults.maxConcurrentJobs('tests')).toBe(100);
});

test('rules match the key or bucket/key, with * for any characters', () => {
  const faults = new Faults({ documents: [{ match: 'docket-input/claims/*.tif', status: 'FAILED' }] });
  expect(faults.documentRule('a', 'docket-input', 'claims/2024/x.tif')).toBeDefined();
  expect(faults.documentRule('a', 'other', 'claims/x.tif')).toBeUndefined();
});

test('invalid settings are refused', () => {
  expect(() => new Faults().set({ throttleRate: 2 })).toThrow();
  expect(() => new Faults().set({ tps: { NoSuchOperation: 1 } })).toThrow();
});

describe('configuration from the environment', () => {
  test('quotas and faults from variables, on top of the JSON settings', () => {
    const options = optionsFromEnv({
      DOCKET_TEXTRACT_PORT: '0',
      DOCKET_TEXTRACT_TPS: 'GetDocumentAnalysis=5,StartDocumentAnalysis=0.5',
      DOCKET_TEXTRACT_MAX_CONCURRENT_JOBS: '3',
      DOCKET_TEXTRACT_THROTTLE_RATE: '0.1',
      DOCKET_TEXTRACT_FAULTS: JSON.stringify({
        internalErrorRate: 0.2,
        documents: [{ match: 'x/*', status: 'FAILED' }],
      }),
      DOCKET_TEXTRACT_MIN_JOB_MS: '250',
      DOCKET_TEXTRACT_FIXTURES: 'off',
      DOCKET_TEXTRACT_CHAR_HEIGHT: '16',
    });
    expect(options).toMatchObject({
      port: 0,
      minJobMs: 250,
      charHeight: 16,
      faults: {
        tps: { GetDocumentAnalysis: 5, StartDocumentAnalysis: 0.5 },
        maxConcurrentJobs: 3,
        throttleRate: 0.1,
        internalErrorRate: 0.2,
        documents: [{ match: 'x/*', status: 'FAILED' }],
      },
    });
    expect(options.fixturesDir).toBeUndefined();
  });

  test.each([
    ['DOCKET_TEXTRACT_PORT', '70000'],
    ['DOCKET_TEXTRACT_TPS', 'GetDocumentAnalysis:5'],
    ['DOCKET_TEXTRACT_THROTTLE_RATE', '1.5'],
    ['DOCKET_TEXTRACT_FAULTS', '{not json'],
    ['DOCKET_TEXTRACT_CHAR_HEIGHT', '3'],
  ])('a bad %s fails naming the variable', (name, value) => {
    expect(() => optionsFromEnv({ [name]: value })).toThrow(name);
  });
});

test('completion notifications: a rule drops or duplicates a document’s, shares draw from the random source', () => {
  let next = 0.05;
  const faults = new Faults({ dropNotifications: 0.1, duplicateNotifications: 0.5 }, () => next);
  expect(faults.notificationCopies('a', undefined)).toBe(0);
  next = 0.3;
  expect(faults.notificationCopies('a', undefined)).toBe(2);
  next = 0.9;
  expect(faults.notificationCopies('a', undefined)).toBe(1);
  const rule = (notification: 'drop' | 'duplicate') => ({ match: '*', notification });
  expect(faults.notificationCopies('a', rule('drop'))).toBe(0);
  expect(faults.notificationCopies('a', rule('duplicate'))).toBe(2);
  expect(new Faults().notificationCopies('a', undefined)).toBe(1);
  expect(() => new Faults({ dropNotifications: 2 })).toThrow();
});
