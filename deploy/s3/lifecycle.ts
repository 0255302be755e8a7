/*
 * Retention of what docket stores, as S3 lifecycle rules (docs/operations.md, "Retention"):
 *
 * results bucket
 *   textract-output/  Textract's own OutputConfig copies; docket never reads them      textractOutputDays (7)
 *   documents/        raw Get* parts and normalized parts, per document and job         rawDays (90)
 *   extractions/      which stored result an extraction identity reuses                 rawDays (90)
 *   records/          what each document was routed with (reprocess, reroute)           recordDays (400)
 *   claims/           dedup claims (a completed one points at an output)                outputDays, if set
 * output bucket
 *   <prefixes>        encrypted output documents, every version                         outputDays (kept)
 *
 * Records outlive the raw parts on purpose: reprocess then says the raw parts are gone (and since
 * when they expire) instead of not knowing the document. Print the JSON for `aws s3api
 * put-bucket-lifecycle-configuration`:
 *
 *   npx tsx deploy/s3/lifecycle.ts results|output [--raw-days N] [--record-days N] [--textract-output-days N] [--output-days N] [--output-prefix P ...]
 */
export interface RetentionOptions {
  /** Raw and normalized Textract parts, and the extraction records pointing at them. @default 90 */
  rawDays?: number;
  /** Document records (must be at least rawDays). @default 400 */
  recordDays?: number;
  /** Textract's OutputConfig objects. @default 7 */
  textractOutputDays?: number;
  /** Output documents and claims. @default undefined (kept until deleted) */
  outputDays?: number;
  /** Output prefixes the profiles write under. @default ['documents'] */
  outputPrefixes?: string[];
}

export interface LifecycleRule {
  ID: string;
  Status: 'Enabled';
  Filter: { Prefix: string };
  Expiration: { Days: number };
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
}

export interface LifecycleConfiguration {
  Rules: LifecycleRule[];
}

export const retentionDefaults = { rawDays: 90, recordDays: 400, textractOutputDays: 7 } as const;

function days(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a whole number of days from 1, got ${value}`);
  return value;
}

function rule(id: string, prefix: string, expireDays: number): LifecycleRule {
  return {
    ID: id,
    Status: 'Enabled',
    Filter: { Prefix: prefix },
    Expiration: { Days: expireDays },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
  };
}

/** The results bucket's rules. */
export function resultsBucketLifecycle(options: RetentionOptions = {}): LifecycleConfiguration {
  const raw = days('rawDays', options.rawDays ?? retentionDefaults.rawDays);
  const record = days('recordDays', options.recordDays ?? retentionDefaults.recordDays);
  if (record < raw) throw new RangeError(`recordDays (${record}) must be at least rawDays (${raw})`);
  const rules = [
    rule(
      'docket-textract-output',
      'textract-output/',
      days('textractOutputDays', options.textractOutputDays ?? retentionDefaults.textractOutputDays),
    ),
    rule('docket-raw-parts', 'documents/', raw),
    rule('docket-extractions', 'extractions/', raw),
    rule('docket-records', 'records/', record),
  ];
  if (options.outputDays !== undefined)
    rules.push(rule('docket-claims', 'claims/', days('outputDays', options.outputDays)));
  return { Rules: rules };
}

/** The output bucket's rules: none unless outputDays is set (outputs are kept until deleted). */
export function outputBucketLifecycle(options: RetentionOptions = {}): LifecycleConfiguration {
  if (options.outputDays === undefined) return { Rules: [] };
  const expire = days('outputDays', options.outputDays);
  return {
    Rules: (options.outputPrefixes ?? ['documents']).map((p, i) =>
      rule(`docket-outputs-${i + 1}`, `${p.replace(/\/+$/, '')}/`, expire),
    ),
  };
}

/** Parses the command line of this script. */
export function parseRetentionArgs(args: string[]): {
  bucket: 'results' | 'output';
  options: RetentionOptions;
} {
  const [bucket, ...rest] = args;
  if (bucket !== 'results' && bucket !== 'output')
    throw new Error('usage: lifecycle.ts results|output [flags]');
  const options: RetentionOptions = {};
  const flags: Record<string, keyof RetentionOptions> = {
    '--raw-days': 'rawDays',
    '--record-days': 'recordDays',
    '--textract-output-days': 'textractOutputDays',
    '--output-days': 'outputDays',
  };
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i] ?? '';
    const value = rest[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--output-prefix') (options.outputPrefixes ??= []).push(value);
    else if (flags[flag]) (options as Record<string, number>)[flags[flag]] = Number(value);
    else throw new Error(`unknown flag ${flag}`);
  }
  return { bucket, options };
}

if (require.main === module) {
  try {
    const { bucket, options } = parseRetentionArgs(process.argv.slice(2));
    const config = bucket === 'results' ? resultsBucketLifecycle(options) : outputBucketLifecycle(options);
    console.log(JSON.stringify(config, null, 2));
  } catch (err) {
    console.error(`lifecycle: ${(err as Error).message}`);
    process.exit(2);
  }
}
