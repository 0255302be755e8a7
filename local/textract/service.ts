/**
 * The Textract operations (text detection, document analysis, expense analysis): quotas and faults first, then validation, then the work. Sync
 * operations answer for single-page documents within Textract's 10 MB limit.
 */
import type { ServiceContext } from './context';
import { Counters } from './counters';
import { checkDocument, readS3Document, type DocumentFormat } from './documents';
import { TextractError, TextractErrorName } from './errors';
import { Operation } from './faults';
import { JobManager } from './jobs';
import { countPages } from './recognise';
import { findRecorded, recogniseResult, recordedResult, type DocumentResult } from './results';
import { findRecordedExpense, recogniseExpense, recordedExpenseResult } from './expense/results';
import { SyntheticBlocks } from './synthetic';
import { parseGetRequest, parseStartRequest, parseSyncRequest } from './validation';

type Json = Record<string, unknown>;

/** The operations, as the HTTP layer calls them: account, operation name and parsed body in, JSON out. */
export class TextractService {
  readonly jobs: JobManager;
  readonly counters = new Counters();

  constructor(private readonly ctx: ServiceContext) {
    this.jobs = new JobManager(ctx);
  }

  /** Handles one request; throws TextractError for every answer that is an error. */
  async handle(account: string, operation: string, body: Json): Promise<Json> {
    try {
      const answer = await this.answer(account, operation, body);
      this.counters.call(account, operation);
      return answer;
    } catch (err) {
      this.counters.call(account, operation, err);
      throw err;
    }
  }

  private async answer(account: string, operation: string, body: Json): Promise<Json> {
    if (!isOperation(operation)) {
      throw new TextractError(TextractErrorName.InvalidParameter, `Unknown operation ${operation}`);
    }
    this.ctx.faults.admit(account, operation);
    switch (operation) {
      case Operation.StartDocumentTextDetection:
      case Operation.StartDocumentAnalysis: {
        const analysis = operation === Operation.StartDocumentAnalysis;
        const jobId = await this.jobs.start(account, operation, parseStartRequest(body, analysis));
        this.counters.concurrentJobs(account, this.jobs.active(account));
        return { JobId: jobId };
      }
      case Operation.GetDocumentTextDetection:
        return this.jobs.get(account, Operation.StartDocumentTextDetection, parseGetRequest(body));
      case Operation.GetDocumentAnalysis:
        return this.jobs.get(account, Operation.StartDocumentAnalysis, parseGetRequest(body));
      case Operation.DetectDocumentText:
      case Operation.AnalyzeDocument:
        return this.sync(account, operation === Operation.AnalyzeDocument, body);
      case Operation.AnalyzeExpense:
        return this.expense(account, body);
      case Operation.StartExpenseAnalysis:
        return { JobId: await this.jobs.start(account, operation, parseStartRequest(body, false)) };
      case Operation.GetExpenseAnalysis:
        return this.jobs.get(account, Operation.StartExpenseAnalysis, parseGetRequest(body));
    }
  }

  /** AnalyzeExpense: a recorded expense response, else the single-page document read as an expense. */
  private async expense(account: string, body: Json): Promise<Json> {
    const request = parseSyncRequest(body, false);
    const ref = request.s3Object;
    const rule = ref ? this.ctx.faults.documentRule(account, ref.bucket, ref.name) : undefined;
    const bytes = request.bytes ?? (ref ? await readS3Document(this.ctx.s3, ref) : Buffer.alloc(0));
    const format = checkDocument(bytes, 'sync');
    const recorded = await findRecordedExpense(this.ctx, ref);
    if (!recorded) await singlePage(bytes, format);
    if (rule?.status === 'FAILED') {
      throw new TextractError(
        TextractErrorName.BadDocument,
        rule.statusMessage ?? 'Unable to process the document (forced by a fault rule)',
      );
    }
    const result = recorded
      ? recordedExpenseResult(recorded)
      : await recogniseExpense(this.ctx, bytes, format, false);
    return { DocumentMetadata: { Pages: result.pages }, ExpenseDocuments: result.expense ?? [] };
  }

  private async sync(account: string, analysis: boolean, body: Json): Promise<Json> {
    const request = parseSyncRequest(body, analysis);
    const ref = request.s3Object;
    const rule = ref ? this.ctx.faults.documentRule(account, ref.bucket, ref.name) : undefined;
    let result: DocumentResult;
    if (rule?.synthetic) {
      const blocks = new SyntheticBlocks({ ...rule.synthetic, pages: 1 }, 'sync');
      result = { pages: 1, blocks, source: 'synthetic' };
    } else {
      const bytes = request.bytes ?? (ref ? await readS3Document(this.ctx.s3, ref) : Buffer.alloc(0));
      const format = checkDocument(bytes, 'sync');
      const recorded = await findRecorded(this.ctx, ref, analysis);
      if (recorded) {
        result = recordedResult(recorded, false);
      } else {
        await singlePage(bytes, format);
        result = await recogniseResult(this.ctx, bytes, format, request, false);
      }
    }
    if (rule?.status === 'FAILED') {
      throw new TextractError(
        TextractErrorName.BadDocument,
        rule.statusMessage ?? 'Unable to process the document (forced by a fault rule)',
      );
    }
    return {
      DocumentMetadata: { Pages: result.pages },
      Blocks: result.blocks.slice(0, result.blocks.count),
      ...(analysis ? { AnalyzeDocumentModelVersion: '1.0' } : { DetectDocumentTextModelVersion: '1.0' }),
    };
  }
}

/** Synchronous operations read single-page documents only. */
async function singlePage(bytes: Uint8Array, format: DocumentFormat): Promise<void> {
  if ((await countPages(bytes, format)) > 1) {
    throw new TextractError(
      TextractErrorName.UnsupportedDocument,
      'Synchronous operations accept single-page documents only: use the asynchronous API for multi-page documents',
    );
  }
}

function isOperation(name: string): name is Operation {
  return (Object.values(Operation) as string[]).includes(name);
}
