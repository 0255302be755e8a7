import {
  outputBucketLifecycle,
  parseRetentionArgs,
  resultsBucketLifecycle,
  retentionDefaults,
} from '../../deploy/s3/lifecycle';
import { partKey, resultsPrefix } from '../../lib/extraction';
import { documentRecordKey, extractionRecordKey } from '../../lib/extraction-record';

/** The rule whose prefix the key falls under (S3 applies every match; docket's prefixes do not overlap). */
function expiryOf(
  rules: ReturnType<typeof resultsBucketLifecycle>['Rules'],
  key: string,
): number | undefined {
  const matching = rules.filter((r) => key.startsWith(r.Filter.Prefix));
  expect(matching.length).toBeLessThanOrEqual(1);
  return matching[0]?.Expiration.Days;
}

describe('results bucket retention', () => {
  const raw = partKey(resultsPrefix('doc-1', 'job-1'), 'raw', 1);
  const normalized = partKey(resultsPrefix('doc-1', 'job-1'), 'normalized', 1);

  test('by default raw parts live 90 days, records 400, Textract output copies 7, claims and outputs are kept', () => {
    const { Rules } = resultsBucketLifecycle();
    expect(expiryOf(Rules, raw)).toBe(retentionDefaults.rawDays);
    expect(expiryOf(Rules, normalized)).toBe(retentionDefaults.rawDays);
    expect(expiryOf(Rules, extractionRecordKey('e'.repeat(64)))).toBe(retentionDefaults.rawDays);
    expect(expiryOf(Rules, documentRecordKey('doc-1'))).toBe(retentionDefaults.recordDays);
    expect(expiryOf(Rules, 'textract-output/abc/job-1/1')).toBe(retentionDefaults.textractOutputDays);
    expect(expiryOf(Rules, 'claims/abc/def.json')).toBeUndefined();
    expect(outputBucketLifecycle().Rules).toEqual([]);
  });

  test('lifetimes are configurable; records never expire before the raw parts they explain', () => {
    const { Rules } = resultsBucketLifecycle({ rawDays: 30, recordDays: 60, outputDays: 365 });
    expect(expiryOf(Rules, raw)).toBe(30);
    expect(expiryOf(Rules, documentRecordKey('doc-1'))).toBe(60);
    expect(expiryOf(Rules, 'claims/abc/def.json')).toBe(365);
    expect(() => resultsBucketLifecycle({ rawDays: 100, recordDays: 50 })).toThrow(
      /recordDays \(50\) must be at least rawDays \(100\)/,
    );
    expect(() => resultsBucketLifecycle({ rawDays: 0 })).toThrow(
      /rawDays must be a whole number of days from 1/,
    );
    expect(
      outputBucketLifecycle({ outputDays: 365, outputPrefixes: ['documents', 'documents-b/'] }).Rules.map(
        (r) => [r.Filter.Prefix, r.Expiration.Days],
      ),
    ).toEqual([
      ['documents/', 365],
      ['documents-b/', 365],
    ]);
  });

  test('the script reads its flags and refuses unknown ones', () => {
    expect(parseRetentionArgs(['results', '--raw-days', '14'])).toEqual({
      bucket: 'results',
      options: { rawDays: 14 },
    });
    expect(() => parseRetentionArgs(['results', '--raw-dayz', '14'])).toThrow(/unknown flag --raw-dayz/);
    expect(() => parseRetentionArgs(['inputs'])).toThrow(/usage/);
  });
});
