/**
 * What upstream systems, operators and reviewers do with documents, shared by the CLI and (later)
 * the HTTP API: start, read status, list, review, read the decrypted output. Errors are typed so
 * each front end can map them to its own exit codes or HTTP statuses.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { WorkflowIdReusePolicy } from '@temporalio/common';
import {
  claimUpdate,
  type ClaimResult,
  type DocumentResult,
  type DocumentSource,
  documentStartOptions,
  type DocumentState,
  DocumentStatus,
  DocumentStatusKey,
  documentWorkflowId,
  type DocumentWorkflowInput,
  releaseUpdate,
  type ReviewerIdentity,
  type ReviewInput,
  type ReviewResult,
  reviewUpdate,
  statusQuery,
} from '../lib/contract';
import { validateDocumentInput } from '../lib/validation';
import { readStoredOutput, type StoredOutput } from '../lib/output-document';
import { encryptedDataConverter } from '../lib/payload-codec';
import { unlogged } from '../lib/aws/unlogged';
import type { DocumentProfile } from '../lib/profile';
import type { documentWorkflow } from '../workflows';
import type { ClientConfig } from './config';
import { deriveDocumentId } from './document-id';
import { loadProfiles } from './profiles';
import { type CostReport, type CostRequest, readCosts } from './cost-report';
import { existingObject, uploadFile } from './document-source';
import { ConflictError, NotFoundError, NotReadyError, RequestError, UnavailableError } from './errors';
import { readReviewStats, type ReviewStats, type ReviewStatsRequest } from './review-stats';

export type { ReviewStatsRequest } from './review-stats';

export { deriveDocumentId } from './document-id';
export { DocumentTooLargeError } from './preflight';
export { ConflictError, NotFoundError, NotReadyError, RequestError, UnavailableError } from './errors';
export { uploaderDocumentIdKey } from './document-source';

export interface StartRequest {
  /** `s3://bucket/key` or a local file path (uploaded to the input bucket first). */
  source: string;
  profile: string;
  /** @default derived from the bytes' location, so the same source maps to the same document */
  documentId?: string;
  /** Pins this object version of an `s3://` source, so a later upload under the same key is not read. */
  versionId?: string;
  /**
   * What to do when a run of this document already closed. Event starters pass 'REJECT_DUPLICATE' so a
   * redelivered message never re-runs a finished document.
   * @default 'ALLOW_DUPLICATE' (Temporal's default: a closed document can be started again)
   */
  workflowIdReusePolicy?: WorkflowIdReusePolicy;
  /**
   * Prefer the document id docket stored in the object's metadata when it uploaded the file (CLI,
   * `start <file>`): the upload's own start and the start its S3 event causes are then one document.
   * The S3-event starter sets this.
   */
  preferUploaderDocumentId?: boolean;
}

export interface StartResult {
  documentId: string;
  workflowId: string;
  /** false when a workflow for this document already existed: nothing new was started. */
  started: boolean;
  source: DocumentSource;
}

export type { LegacyOutputDocument, StoredOutput } from '../lib/output-document';

/** Statuses in which a document may still get an output: asking again later can succeed. */
const unfinished: readonly string[] = [
  DocumentStatus.RECEIVED,
  DocumentStatus.PROCESSING,
  DocumentStatus.AWAITING_REVIEW,
];

export interface DocumentSummary {
  documentId: string;
  workflowId: string;
  status: string | undefined;
  startTime: Date;
  closeTime: Date | undefined;
  /** The task queue the document's workflow runs on: the workers polling it answer its queries. */
  taskQueue: string;
}

export class DocketClient {
  private constructor(
    readonly temporal: Client,
    private readonly connection: Connection,
    readonly s3: S3Client,
    readonly kms: KMSClient,
    readonly config: ClientConfig,
    readonly profiles: Record<string, DocumentProfile>,
  ) {}

  static async connect(config: ClientConfig): Promise<DocketClient> {
    const profiles = loadProfiles(
      { outputBucket: config.outputBucket, kmsKeyId: config.kmsKeyId },
      config.profilesFile,
    );
    const kms = unlogged(new KMSClient({}));
    const s3 = unlogged(new S3Client({ forcePathStyle: config.s3ForcePathStyle }));
    const { address, tls, apiKey, metadata } = config.temporal.connection;
    const connection = await Connection.connect({ address, tls, apiKey, metadata });
    const temporal = new Client({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: encryptedDataConverter({ kms, kmsKeyId: config.kmsKeyId }),
    });
    return new DocketClient(temporal, connection, s3, kms, config, profiles);
  }

  async close(): Promise<void> {
    await this.connection.close();
    this.s3.destroy();
    this.kms.destroy();
  }

  async start(request: StartRequest): Promise<StartResult> {
    const profile = this.profiles[request.profile];
    if (!profile) {
      throw new RequestError(
        `unknown profile '${request.profile}'; known: ${Object.keys(this.profiles).join(', ')}`,
      );
    }
    const { source, uploaderDocumentId, identity } = request.source.startsWith('s3://')
      ? await existingObject(this.s3, request.source, request.versionId)
      : await uploadFile(this.s3, this.config.inputBucket, request.source, request.documentId);
    const documentId =
      (request.preferUploaderDocumentId ? uploaderDocumentId : undefined) ??
      request.documentId ??
      deriveDocumentId({ ...source, ...identity });
    const input: DocumentWorkflowInput = { documentId, source, profile };
    const problems = validateDocumentInput(input);
    if (problems.length > 0) throw new RequestError(`invalid document: ${problems.join('; ')}`);
    const workflowId = documentWorkflowId(documentId);
    try {
      await this.temporal.workflow.start<typeof documentWorkflow>('documentWorkflow', {
        // The configured queue (DOCKET_TASK_QUEUE), the one the workers poll: every client starts here.
        ...documentStartOptions(input, this.config.taskQueue),
        ...(request.workflowIdReusePolicy ? { workflowIdReusePolicy: request.workflowIdReusePolicy } : {}),
      });
      return { documentId, workflowId, started: true, source };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError)
        return { documentId, workflowId, started: false, source };
      throw err;
    }
  }

  /** Waits for the document's workflow to close; a failed document rejects with its failure. */
  async result(documentId: string): Promise<DocumentResult> {
    return this.handle(documentId).result();
  }

  /**
   * The document's state, as its workflow answers the status query. A worker answers it, even for a
   * closed workflow: with none polling the document's task queue Temporal holds the query until the
   * deadline, so `timeoutMs` bounds the wait (then UnavailableError).
   */
  async status(documentId: string, options: { timeoutMs?: number } = {}): Promise<DocumentState> {
    const query = () => this.handle(documentId).query(statusQuery);
    try {
      return await (options.timeoutMs === undefined
        ? query()
        : this.temporal.withDeadline(Date.now() + options.timeoutMs, query));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(err, documentId);
      throw new UnavailableError(
        `the status query for ${documentId} failed (${(err as Error).message}); ` +
          'is a docket worker running for this namespace and task queue (npm run worker)?',
      );
    }
  }

  async list(status?: string, limit = 100): Promise<DocumentSummary[]> {
    if (status !== undefined && !(Object.values(DocumentStatus) as string[]).includes(status)) {
      throw new RequestError(
        `unknown status '${status}'; one of ${Object.values(DocumentStatus).join(', ')}`,
      );
    }
    const query = `WorkflowType = 'documentWorkflow'${status ? ` AND DocumentStatus = '${status}'` : ''}`;
    const out: DocumentSummary[] = [];
    for await (const wf of this.temporal.workflow.list({ query, pageSize: limit })) {
      out.push({
        documentId: wf.workflowId.replace(/^document-/, ''),
        workflowId: wf.workflowId,
        status: wf.typedSearchAttributes.get(DocumentStatusKey),
        startTime: wf.startTime,
        closeTime: wf.closeTime,
        taskQueue: wf.taskQueue,
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Approve, reject or correct through the validated update: a bad request never reaches history.
   * A document that is not awaiting review (still processing, writing its output after approval, or
   * finished) rejects with {@link ConflictError} naming its real status.
   */
  async review(documentId: string, input: ReviewInput): Promise<ReviewResult> {
    try {
      return await this.handle(documentId).executeUpdate(reviewUpdate, { args: [input] });
    } catch (err) {
      const refused = err instanceof WorkflowUpdateFailedError;
      // A finished workflow answers an update as "not found"; a running one refuses it in the validator.
      if (refused || err instanceof WorkflowNotFoundError) {
        const status = await this.status(documentId).then(
          (s) => s.status,
          () => undefined,
        );
        if (status !== undefined && status !== DocumentStatus.AWAITING_REVIEW) {
          throw new ConflictError(`document ${documentId} is ${status}, not awaiting review`, status);
        }
      }
      if (refused) throw new RequestError(`review refused: ${err.cause?.message ?? err.message}`);
      throw notFound(err, documentId);
    }
  }

  /**
   * Claims the document for `who` (or extends their lease) through the validated claim update: refused
   * while another reviewer holds it, naming the holder and the expiry. `who` comes from a verified
   * token; `reviewerId` is required.
   */
  async claim(documentId: string, who: ReviewerIdentity): Promise<ClaimResult> {
    return this.claimUpdate(documentId, 'claim', () =>
      this.handle(documentId).executeUpdate(claimUpdate, {
        args: [{ reviewer: who.reviewer, reviewerId: who.reviewerId ?? '' }],
      }),
    );
  }

  /**
   * Ends a claim: its holder, or with `force` anyone (the API and CLI let only operators force; the
   * workflow records who did).
   */
  async release(
    documentId: string,
    who: ReviewerIdentity,
    options: { force?: boolean } = {},
  ): Promise<ClaimResult> {
    return this.claimUpdate(documentId, 'release', () =>
      this.handle(documentId).executeUpdate(releaseUpdate, {
        args: [
          {
            reviewer: who.reviewer,
            reviewerId: who.reviewerId ?? '',
            ...(options.force ? { force: true } : {}),
          },
        ],
      }),
    );
  }

  private async claimUpdate(
    documentId: string,
    name: 'claim' | 'release',
    run: () => Promise<ClaimResult>,
  ): Promise<ClaimResult> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        throw new RequestError(`${name} refused: ${err.cause?.message ?? err.message}`);
      }
      throw notFound(err, documentId);
    }
  }

  /**
   * Review statistics of closed documents that went to review (visibility: ReviewRequired and
   * CloseTime), from their results' review summaries, fetched a few at a time.
   */
  async reviewStats(request: ReviewStatsRequest = {}): Promise<ReviewStats> {
    return readReviewStats(this.temporal, request);
  }

  /** What closed documents cost, per profile (their results' `cost`, read through visibility). */
  async costs(request: CostRequest = {}): Promise<CostReport> {
    return readCosts(this.temporal, request);
  }

  /**
   * Requests cancellation: the workflow stops its current step, releases the claim on its bytes and
   * ends FAILED (Cancelled). A closed document cannot be cancelled.
   */
  async cancel(documentId: string): Promise<void> {
    const handle = this.handle(documentId);
    let closed: boolean;
    try {
      closed = (await handle.describe()).status.name !== 'RUNNING';
    } catch (err) {
      throw notFound(err, documentId);
    }
    if (closed) throw new RequestError(`document ${documentId} has already finished; nothing to cancel`);
    await handle.cancel();
  }

  /**
   * The decrypted output document (for a duplicate, the original's), as stored. A document still in
   * progress or awaiting review rejects with {@link NotReadyError}; one that ended without an output
   * (FAILED) with {@link NotFoundError}.
   */
  async output(documentId: string): Promise<StoredOutput> {
    const state = await this.status(documentId);
    const location = state.output ?? state.duplicateOf?.output;
    if (!location) {
      if (unfinished.includes(state.status)) {
        throw new NotReadyError(`document ${documentId} has no output yet: it is ${state.status}`);
      }
      throw new NotFoundError(`document ${documentId} has no output (status ${state.status})`);
    }
    // Outputs written before schema 2 are still in the bucket: they come back as they are.
    return readStoredOutput({
      s3: this.s3,
      kms: this.kms,
      location,
      kmsKeyId: this.config.kmsKeyId,
      documentId: state.duplicateOf?.documentId ?? documentId,
    });
  }

  private handle(documentId: string) {
    return this.temporal.workflow.getHandle<typeof documentWorkflow>(documentWorkflowId(documentId));
  }
}

function notFound(err: unknown, documentId: string): unknown {
  if (err instanceof WorkflowNotFoundError) return new NotFoundError(`no document ${documentId}`);
  return err;
}
