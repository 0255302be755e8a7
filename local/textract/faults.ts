/**
 * Quotas and injected faults, per account (the access key id that signed the request) with defaults
 * for all accounts, as Textract's quotas are per account. Settable at start (env) and at run time
 * (admin endpoint), so docket's tests can drive every error branch without touching other accounts.
 */
import { z } from 'zod';
import { TextractError, TextractErrorName } from './errors';

export const Operation = {
  StartDocumentTextDetection: 'StartDocumentTextDetection',
  GetDocumentTextDetection: 'GetDocumentTextDetection',
  StartDocumentAnalysis: 'StartDocumentAnalysis',
  GetDocumentAnalysis: 'GetDocumentAnalysis',
  DetectDocumentText: 'DetectDocumentText',
  AnalyzeDocument: 'AnalyzeDocument',
  AnalyzeExpense: 'AnalyzeExpense',
  StartExpenseAnalysis: 'StartExpenseAnalysis',
  GetExpenseAnalysis: 'GetExpenseAnalysis',
} as const;
export type Operation = (typeof Operation)[keyof typeof Operation];

const operationNames = Object.values(Operation) as [Operation, ...Operation[]];

/** How a matching document's job ends, or what it returns, regardless of its content. */
export const documentRuleSchema = z.object({
  /** Glob (`*` = any characters) matched against the object key and against `bucket/key`. */
  match: z.string().min(1),
  status: z.enum(['FAILED', 'PARTIAL_SUCCESS']).optional(),
  statusMessage: z.string().optional(),
  /** Pages reported in Warnings (and left out of the result) for PARTIAL_SUCCESS. @default [1] */
  failedPages: z.array(z.number().int().min(1)).optional(),
  /** Answer with a synthetic result of this size instead of reading the document's content. */
  synthetic: z
    .object({
      pages: z.number().int().min(1).max(3000),
      linesPerPage: z.number().int().min(1).max(1000).optional(),
      wordsPerLine: z.number().int().min(1).max(100).optional(),
      tableRows: z.number().int().min(0).max(1000).optional(),
      keyValue: z.object({ confidence: z.number().min(0).max(100) }).optional(),
    })
    .optional(),
  /** Minimum time this document's job stays IN_PROGRESS, overriding the service default. */
  jobMs: z.number().int().min(0).optional(),
  /** What becomes of this document's SNS completion message: never sent, or sent twice. */
  notification: z.enum(['drop', 'duplicate']).optional(),
});
export type DocumentRule = z.infer<typeof documentRuleSchema>;

export const faultSettingsSchema = z.object({
  /** Transactions per second allowed per operation; over it → ProvisionedThroughputExceededException. */
  tps: z.partialRecord(z.enum(operationNames), z.number().positive()).optional(),
  /** Jobs IN_PROGRESS at once; one more Start* → LimitExceededException. */
  maxConcurrentJobs: z.number().int().min(1).optional(),
  /** Share of requests (0..1) answered with ThrottlingException. */
  throttleRate: z.number().min(0).max(1).optional(),
  /** Share of requests (0..1) answered with InternalServerError. */
  internalErrorRate: z.number().min(0).max(1).optional(),
  /** Share of SNS completion messages (0..1) never sent, as a lost notification. */
  dropNotifications: z.number().min(0).max(1).optional(),
  /** Share of SNS completion messages (0..1) sent twice, as SNS's at-least-once delivery may. */
  duplicateNotifications: z.number().min(0).max(1).optional(),
  documents: z.array(documentRuleSchema).optional(),
});
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** Token bucket: `rate` per second, bursting to one second's worth. */
class Bucket {
  private tokens: number;
  private last = Date.now();

  constructor(private rate: number) {
    this.tokens = rate;
  }

  take(rate: number): boolean {
    if (rate !== this.rate) {
      this.rate = rate;
      this.tokens = Math.min(this.tokens, rate);
    }
    const now = Date.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** The live fault configuration; `random` is injectable so tests of this class are deterministic. */
export class Faults {
  private defaults: FaultSettings;
  private readonly accounts = new Map<string, FaultSettings>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    initial: FaultSettings = {},
    private readonly random: () => number = Math.random,
  ) {
    this.defaults = faultSettingsSchema.parse(initial);
  }

  /** Replaces the settings of one account, or the defaults when account is undefined. */
  set(settings: unknown, account?: string): FaultSettings {
    const parsed = faultSettingsSchema.parse(settings);
    if (account === undefined) this.defaults = parsed;
    else this.accounts.set(account, parsed);
    this.buckets.clear();
    return parsed;
  }

  /** Clears one account's settings, or everything (defaults included) when account is undefined. */
  reset(account?: string): void {
    if (account === undefined) {
      this.defaults = {};
      this.accounts.clear();
    } else {
      this.accounts.delete(account);
    }
    this.buckets.clear();
  }

  snapshot(): { defaults: FaultSettings; accounts: Record<string, FaultSettings> } {
    return { defaults: this.defaults, accounts: Object.fromEntries(this.accounts) };
  }

  private effective(account: string): FaultSettings {
    const own = this.accounts.get(account);
    if (!own) return this.defaults;
    return {
      ...this.defaults,
      ...own,
      documents: [...(own.documents ?? []), ...(this.defaults.documents ?? [])],
    };
  }

  /** Throws the quota or injected error for this request, if any; otherwise lets it through. */
  admit(account: string, operation: Operation): void {
    const settings = this.effective(account);
    if (settings.throttleRate && this.random() < settings.throttleRate) {
      throw new TextractError(TextractErrorName.Throttling, 'Rate exceeded (injected fault)');
    }
    if (settings.internalErrorRate && this.random() < settings.internalErrorRate) {
      throw new TextractError(
        TextractErrorName.InternalServerError,
        'Internal server error (injected fault)',
      );
    }
    const tps = settings.tps?.[operation];
    if (tps !== undefined) {
      const key = `${account}\u0000${operation}`;
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new Bucket(tps)));
      if (!bucket.take(tps)) {
        throw new TextractError(
          TextractErrorName.ProvisionedThroughputExceeded,
          `Provisioned rate exceeded: ${operation} allows ${tps} transactions per second`,
        );
      }
    }
  }

  /** How many copies of a job's completion message to publish: 0 (dropped), 1, or 2 (duplicated). */
  notificationCopies(account: string, rule: DocumentRule | undefined): 0 | 1 | 2 {
    if (rule?.notification === 'drop') return 0;
    if (rule?.notification === 'duplicate') return 2;
    const settings = this.effective(account);
    if (settings.dropNotifications && this.random() < settings.dropNotifications) return 0;
    if (settings.duplicateNotifications && this.random() < settings.duplicateNotifications) return 2;
    return 1;
  }

  maxConcurrentJobs(account: string): number | undefined {
    return this.effective(account).maxConcurrentJobs;
  }

  /** The first rule matching the document, account rules before default rules. */
  documentRule(account: string, bucket: string, key: string): DocumentRule | undefined {
    return this.effective(account).documents?.find((rule) => {
      const re = globToRegExp(rule.match);
      return re.test(key) || re.test(`${bucket}/${key}`);
    });
  }
}
