/**
 * Async jobs: Start* validation and idempotency, the background run (result, forced outcome, minimum
 * duration, OutputConfig, SNS), and Get* paging. Jobs belong to the account that started them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Block, ExpenseDocument, Warning } from '@aws-sdk/client-textract';
import { withoutPages } from './analysis';
import { ArrayBlocks, type BlockSource } from './block-source';
import type { ServiceContext } from './context';
import { checkDocument, readS3Document } from './documents';
import { TextractError, TextractErrorName } from './errors';
import { Operation, type DocumentRule } from './faults';
import { checkKmsKey, defaultOutputPrefix, publishCompletion, putOutput, type OutputTarget } from './output';
import { decodeNextToken, encodeNextToken } from './pagination';
import { countPages } from './recognise';
import { findRecorded, recogniseResult, recordedResult, type DocumentResult } from './results';
import { findRecordedExpense, recogniseExpense, recordedExpenseResult } from './expense/results';
import { SyntheticBlocks } from './synthetic';
import type { GetRequest, StartRequest } from './validation';

export type StartApi =
  | typeof Operation.StartDocumentTextDetection
  | typeof Operation.StartDocumentAnalysis
  | typeof Operation.StartExpenseAnalysis;
export type JobStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'PARTIAL_SUCCESS';

interface Job {
  id: string;
  account: string;
  api: StartApi;
  request: StartRequest;
  status: JobStatus;
  statusMessage?: string;
  warnings?: Warning[];
  pages: number;
  blocks?: BlockSource;
  /** StartExpenseAnalysis jobs: the expense documents, served whole by GetExpenseAnalysis. */
  expense?: ExpenseDocument[];
  expiresAt: number;
}

interface IdempotencyEntry {
  hash: string;
  jobId: Promise<string>;
  expiresAt: number;
}

const maxPageSize = 1000;

/** The model-version field each API answers with. */
function modelVersion(api: StartApi): Record<string, string> {
  if (api === Operation.StartExpenseAnalysis) return { AnalyzeExpenseModelVersion: '1.0' };
  return api === Operation.StartDocumentAnalysis
    ? { AnalyzeDocumentModelVersion: '1.0' }
    : { DetectDocumentTextModelVersion: '1.0' };
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly tokens = new Map<string, IdempotencyEntry>();
  private readonly running = new Set<Promise<void>>();
  private starting = new Map<string, number>();
  /** SNS completion messages sent and dropped by fault rules, for the admin endpoint. */
  private readonly notifications = { published: 0, dropped: 0 };

  constructor(private readonly ctx: ServiceContext) {}

  /** Starts a job, or returns the job an earlier call with the same ClientRequestToken started. */
  async start(account: string, api: StartApi, request: StartRequest): Promise<string> {
    this.sweep();
    const token = request.clientRequestToken;
    if (token === undefined) return this.create(account, api, request);
    const key = `${account}\u0000${api}\u0000${token}`;
    const hash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const existing = this.tokens.get(key);
    if (existing && existing.expiresAt > Date.now()) {
      if (existing.hash !== hash) {
        throw new TextractError(
          TextractErrorName.IdempotentParameterMismatch,
          `ClientRequestToken ${token} was already used with different parameters`,
        );
      }
      return existing.jobId;
    }
    const jobId = this.create(account, api, request);
    const entry = { hash, jobId, expiresAt: Date.now() + this.ctx.settings.resultTtlMs };
    this.tokens.set(key, entry);
    // A start that failed did not start a job: the token stays free for a corrected retry.
    jobId.catch(() => this.tokens.get(key) === entry && this.tokens.delete(key));
    return jobId;
  }

  /** One page of a job's result, or its status while it runs or after it failed. */
  get(account: string, api: StartApi, request: GetRequest): Record<string, unknown> {
    this.sweep();
    const job = this.jobs.get(request.jobId);
    if (!job || job.account !== account || job.api !== api) {
      throw new TextractError(
        TextractErrorName.InvalidJobId,
        `JobId ${request.jobId} does not exist or has expired`,
      );
    }
    const base = { JobStatus: job.status, ...modelVersion(api) };
    if (job.status === 'IN_PROGRESS') return base;
    if (job.status === 'FAILED' || !job.blocks) {
      return {
        ...base,
        StatusMessage: job.statusMessage ?? 'The job failed',
        DocumentMetadata: { Pages: job.pages },
      };
    }
    if (api === Operation.StartExpenseAnalysis) {
      return { ...base, DocumentMetadata: { Pages: job.pages }, ExpenseDocuments: job.expense ?? [] };
    }
    const offset = request.nextToken === undefined ? 0 : decodeNextToken(job.id, request.nextToken);
    const end = Math.min(job.blocks.count, offset + request.maxResults);
    return {
      ...base,
      DocumentMetadata: { Pages: job.pages },
      Blocks: job.blocks.slice(offset, end),
      ...(end < job.blocks.count ? { NextToken: encodeNextToken(job.id, end) } : {}),
      ...(job.warnings ? { Warnings: job.warnings } : {}),
      ...(job.statusMessage ? { StatusMessage: job.statusMessage } : {}),
    };
  }

  /** Jobs of this account that are starting or IN_PROGRESS. */
  active(account: string): number {
    let n = this.starting.get(account) ?? 0;
    for (const job of this.jobs.values()) if (job.account === account && job.status === 'IN_PROGRESS') n++;
    return n;
  }

  /** Counts for the admin endpoint. */
  stats(): { jobs: number; inProgress: number; notifications: { published: number; dropped: number } } {
    let inProgress = 0;
    for (const job of this.jobs.values()) if (job.status === 'IN_PROGRESS') inProgress++;
    return { jobs: this.jobs.size, inProgress, notifications: { ...this.notifications } };
  }

  /** Resolves once no job is running (jobs started meanwhile included). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async create(account: string, api: StartApi, request: StartRequest): Promise<string> {
    const limit = this.ctx.faults.maxConcurrentJobs(account);
    if (limit !== undefined && this.active(account) >= limit) {
      throw new TextractError(
        TextractErrorName.LimitExceeded,
        `Open jobs exceed the maximum of ${limit} concurrent jobs for this account`,
      );
    }
    this.starting.set(account, (this.starting.get(account) ?? 0) + 1);
    try {
      return await this.prepare(account, api, request);
    } finally {
      const n = (this.starting.get(account) ?? 1) - 1;
      if (n === 0) this.starting.delete(account);
      else this.starting.set(account, n);
    }
  }

  /** Everything Textract checks before it answers Start*: key, document, output bucket. */
  private async prepare(account: string, api: StartApi, request: StartRequest): Promise<string> {
    const { ctx } = this;
    const analysis = api === Operation.StartDocumentAnalysis;
    if (request.kmsKeyId) await checkKmsKey(ctx.kms, request.kmsKeyId);
    const rule = ctx.faults.documentRule(account, request.document.bucket, request.document.name);
    const id = randomBytes(32).toString('hex');
    let produce: () => Promise<DocumentResult>;
    let pages: number;
    if (rule?.synthetic) {
      const blocks = new SyntheticBlocks(rule.synthetic, id);
      pages = blocks.pages;
      produce = () => Promise.resolve({ pages, blocks, source: 'synthetic' });
    } else {
      const bytes = await readS3Document(ctx.s3, request.document);
      const format = checkDocument(bytes, 'async');
      const recordedExpense =
        api === Operation.StartExpenseAnalysis ? await findRecordedExpense(ctx, request.document) : undefined;
      const recorded =
        api === Operation.StartExpenseAnalysis
          ? undefined
          : await findRecorded(ctx, request.document, analysis);
      if (recordedExpense) {
        pages = recordedExpense.pages;
        produce = () => Promise.resolve(recordedExpenseResult(recordedExpense));
      } else if (api === Operation.StartExpenseAnalysis) {
        pages = await countPages(bytes, format);
        produce = () => recogniseExpense(ctx, bytes, format, true);
      } else if (recorded) {
        pages = recorded.pages;
        produce = () => Promise.resolve(recordedResult(recorded, true));
      } else {
        pages = await countPages(bytes, format);
        produce = () => recogniseResult(ctx, bytes, format, request, true);
      }
    }
    const target = this.outputTarget(id, request);
    if (target) await putOutput(ctx.s3, target, '.s3_access_check', '');
    const job: Job = { id, account, api, request, status: 'IN_PROGRESS', pages, expiresAt: Infinity };
    this.jobs.set(id, job);
    const run = this.run(job, produce, rule, target).finally(() => this.running.delete(run));
    this.running.add(run);
    ctx.log.info({ jobId: id, api, pages, jobTag: request.jobTag }, 'textract job started');
    return id;
  }

  private outputTarget(jobId: string, request: StartRequest): OutputTarget | undefined {
    const out = request.outputConfig;
    if (!out) return undefined;
    return {
      bucket: out.bucket,
      prefix: out.prefix ?? defaultOutputPrefix,
      jobId,
      ...(request.kmsKeyId ? { kmsKeyId: request.kmsKeyId } : {}),
    };
  }

  private async run(
    job: Job,
    produce: () => Promise<DocumentResult>,
    rule: DocumentRule | undefined,
    target: OutputTarget | undefined,
  ): Promise<void> {
    const { ctx } = this;
    const started = Date.now();
    let status: JobStatus = 'SUCCEEDED';
    try {
      const result = await produce();
      let blocks = result.blocks;
      if (rule?.status === 'FAILED') {
        status = 'FAILED';
        job.statusMessage =
          rule.statusMessage ?? 'Request has unsupported document format (forced by a fault rule)';
      } else if (rule?.status === 'PARTIAL_SUCCESS') {
        status = 'PARTIAL_SUCCESS';
        const failed = rule.failedPages ?? [1];
        job.warnings = [{ ErrorCode: 'UNABLE_TO_PROCESS_PAGE', Pages: failed }];
        if (rule.statusMessage) job.statusMessage = rule.statusMessage;
        if (result.source !== 'synthetic') {
          blocks = new ArrayBlocks(withoutPages(blocks.slice(0, blocks.count), new Set(failed)));
        }
      }
      const wait = started + (rule?.jobMs ?? ctx.settings.minJobMs) - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (status !== 'FAILED') {
        job.pages = result.pages;
        if (target && result.expense) await this.writeExpenseOutput(job, status, result.expense, target);
        else if (target) await this.writeOutput(job, status, blocks, target);
        job.blocks = blocks;
        if (result.expense) job.expense = result.expense;
      }
      ctx.log.info(
        { jobId: job.id, status, source: result.source, blocks: blocks.count },
        'textract job finished',
      );
    } catch (err) {
      status = 'FAILED';
      job.statusMessage =
        err instanceof TextractError ? err.message : 'Internal error while processing the document';
      ctx.log.warn({ jobId: job.id, error: (err as Error).name }, 'textract job failed');
    }
    job.status = status;
    job.expiresAt = Date.now() + ctx.settings.resultTtlMs;
    await this.notify(job, rule);
  }

  /** Writes `1`: the GetExpenseAnalysis-shaped result, expense documents whole. */
  private async writeExpenseOutput(
    job: Job,
    status: JobStatus,
    documents: ExpenseDocument[],
    target: OutputTarget,
  ): Promise<void> {
    const body = {
      DocumentMetadata: { Pages: job.pages },
      JobStatus: status,
      ExpenseDocuments: documents,
      ...(job.warnings ? { Warnings: job.warnings } : {}),
      ...modelVersion(job.api),
    };
    await putOutput(this.ctx.s3, target, '1', JSON.stringify(body));
  }

  /** Writes `1..N`, each a Get*-shaped page of up to 1000 blocks, one page in memory at a time. */
  private async writeOutput(
    job: Job,
    status: JobStatus,
    blocks: BlockSource,
    target: OutputTarget,
  ): Promise<void> {
    const total = Math.max(1, Math.ceil(blocks.count / maxPageSize));
    for (let part = 0; part < total; part++) {
      const slice: Block[] = blocks.slice(part * maxPageSize, (part + 1) * maxPageSize);
      const body = {
        DocumentMetadata: { Pages: job.pages },
        JobStatus: status,
        ...(part + 1 < total ? { NextToken: encodeNextToken(job.id, (part + 1) * maxPageSize) } : {}),
        Blocks: slice,
        ...(job.warnings ? { Warnings: job.warnings } : {}),
        ...modelVersion(job.api),
      };
      await putOutput(this.ctx.s3, target, String(part + 1), JSON.stringify(body));
    }
  }

  private async notify(job: Job, rule: DocumentRule | undefined): Promise<void> {
    const channel = job.request.notificationChannel;
    if (!channel) return;
    // Fault rules may lose the message or deliver it twice, as SNS can.
    const copies = this.ctx.faults.notificationCopies(job.account, rule);
    this.notifications[copies === 0 ? 'dropped' : 'published'] += Math.max(copies, 1);
    if (copies === 0)
      this.ctx.log.info({ jobId: job.id }, 'textract completion notification dropped (fault)');
    try {
      const message = {
        JobId: job.id,
        Status: job.status,
        API: job.api,
        ...(job.request.jobTag !== undefined ? { JobTag: job.request.jobTag } : {}),
        Timestamp: Date.now(),
        DocumentLocation: { S3ObjectName: job.request.document.name, S3Bucket: job.request.document.bucket },
      };
      for (let i = 0; i < copies; i++) await publishCompletion(this.ctx.sns, channel.snsTopicArn, message);
    } catch (err) {
      // Textract does not fail a job whose notification cannot be delivered; neither do we.
      this.ctx.log.warn(
        { jobId: job.id, error: (err as Error).name },
        'textract completion notification failed',
      );
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.expiresAt <= now) this.jobs.delete(id);
    for (const [key, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(key);
  }
}
