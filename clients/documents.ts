/**
 * What upstream systems, operators and reviewers do with documents, shared by the CLI and (later)
 * the HTTP API: start, read status, list, review, read the decrypted output. Errors are typed so
 * each front end can map them to its own exit codes or HTTP statuses.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
import { isNotFoundError } from '../lib/aws/errors';
import { readStoredOutput, type StoredOutput } from '../lib/output-document';
import { encryptedDataConverter } from '../lib/payload-codec';
import type { DocumentProfile } from '../lib/profile';
import type { documentWorkflow } from '../workflows';
import type { ClientConfig } from './config';
import { deriveDocumentId } from './document-id';
import { loadProfiles } from './profiles';
import { type CostReport, type CostRequest, readCosts } from './cost-report';
import { preflight } from './preflight';
import { readReviewStats, type ReviewStats, type ReviewStatsRequest } from './review-stats';

export type { ReviewStatsRequest } from './review-stats';

export { deriveDocumentId } from './document-id';
export { DocumentTooLargeError } from './preflight';

/** The document, workflow or object does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
/** The request itself is wrong (bad URI, unknown profile, invalid review). */
export class RequestError extends Error {
  override name = 'RequestError';
}
/** The document exists but has no output yet: it is still being processed or waits for a reviewer. */
export class NotReadyError extends NotFoundError {
  override name = 'NotReadyError';
}
/**
 * The document exists but is in a state that does not allow the action (approving a document that
 * is PROCESSING, SUCCEEDED or FAILED). `status` is the document's real status.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly status: DocumentStatus,
  ) {
    super(message);
  }
}
/** A part docket needs is not answering (no worker answers the status query); retrying later may work. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}

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

/** Object metadata (x-amz-meta-docket-document-id) naming the document docket uploaded the bytes for. */
export const uploaderDocumentIdKey = 'docket-document-id';

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
    const kms = new KMSClient({});
    const s3 = new S3Client({ forcePathStyle: config.s3ForcePathStyle });
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
      ? await this.existingObject(request.source, request.versionId)
      : await this.upload(request.source, request.documentId);
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

  private async existingObject(
    uri: string,
    versionId?: string,
  ): Promise<{
    source: DocumentSource;
    uploaderDocumentId?: string;
    identity: { versionId?: string; eTag?: string };
  }> {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    // Neither message quotes the key: it reaches API answers and logs, and keys name people.
    if (!match?.[1] || !match[2])
      throw new RequestError('the source is not an S3 URI of the form s3://bucket/key');
    const [, bucket, key] = match;
    let uploaderDocumentId: string | undefined;
    let identity: { versionId?: string; eTag?: string };
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
      );
      uploaderDocumentId = head.Metadata?.[uploaderDocumentIdKey] || undefined;
      // The version (else the bytes' ETag) the default document id stands for, as the S3 event says it.
      const version = versionId ?? (head.VersionId && head.VersionId !== 'null' ? head.VersionId : undefined);
      identity = version ? { versionId: version } : { eTag: head.ETag };
    } catch (err) {
      if (isNotFoundError(err)) {
        throw new NotFoundError(`the source object does not exist in bucket ${bucket}`);
      }
      throw err;
    }
    return {
      source: versionId ? { bucket, key, versionId } : { bucket, key },
      uploaderDocumentId,
      identity,
    };
  }

  private async upload(
    file: string,
    documentId: string | undefined,
  ): Promise<{ source: DocumentSource; uploaderDocumentId: string; identity: Record<string, never> }> {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      throw new NotFoundError(`${file} is not a file (give a local file or an s3://bucket/key URI)`);
    }
    preflight(file);
    const bucket = this.config.inputBucket;
    if (!bucket) throw new RequestError('DOCKET_INPUT_BUCKET is required to upload local files');
    const hash = createHash('sha256');
    await new Promise<void>((resolve, reject) =>
      fs
        .createReadStream(file)
        .on('data', (c) => hash.update(c))
        .on('end', resolve)
        .on('error', reject),
    );
    // Content-addressed key: uploading the same bytes again lands on the same object and document.
    const key = `uploads/${hash.digest('hex').slice(0, 16)}/${path.basename(file)}`;
    const uploaderDocumentId = documentId ?? deriveDocumentId({ bucket, key });
    await this.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: fs.createReadStream(file),
        ContentLength: fs.statSync(file).size,
        // The S3 event of this upload starts the same document, not a second one (see the starter).
        Metadata: { [uploaderDocumentIdKey]: uploaderDocumentId },
      }),
    );
    // The key is content-addressed: bucket and key alone identify the bytes.
    return { source: { bucket, key }, uploaderDocumentId, identity: {} };
  }
}

function notFound(err: unknown, documentId: string): unknown {
  if (err instanceof WorkflowNotFoundError) return new NotFoundError(`no document ${documentId}`);
  return err;
}
