/*
 * Reprocess: a new run of a finished document that rebuilds its result from the stored raw Textract
 * parts (no Textract call), routes it with the profile as configured now and writes the next output
 * version beside the earlier ones. The run keeps the document's workflow id (`document-<id>`, a new
 * run id): status, review, output and the desk keep addressing the document by its one id, Temporal
 * refuses a second run while one is open, and the earlier runs stay in the id's run history.
 */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  documentStartOptions,
  DocumentStatus,
  documentWorkflowId,
  FailureType,
  type DocumentWorkflowInput,
  type S3Location,
} from '../lib/contract';
import { partKey } from '../lib/extraction';
import { documentRecordKey, type DocumentRecord } from '../lib/extraction-record';
import { outputLocation } from '../lib/output-document';
import { defaultOutputPrefix, type DocumentProfile, type ProfileOutput } from '../lib/profile';
import { classifyAwsError, isNotFoundError } from '../lib/aws/errors';
import { getJsonIfPresent } from '../lib/aws/s3';
import type { documentWorkflow } from '../workflows';
import { ConflictError, type DocketClient, NotFoundError, RequestError } from './documents';

/** What reprocessing needs: clients for S3 and Temporal, where records are, the queue workers poll. */
export interface ReprocessContext {
  s3: S3Client;
  temporal: Client;
  resultsBucket: string;
  taskQueue: string;
}

/** The stored record is missing: nothing to rebuild from. */
export class NoStoredResultError extends Error {
  override name = 'NoStoredResultError';
}

/** The raw parts the record points at were expired by retention. */
export class RawResultsGoneError extends Error {
  override name = FailureType.RAW_RESULTS_GONE;
}

/** A run of the document is still open: reprocess it once it has finished. */
export class StillRunningError extends Error {
  override name = 'StillRunningError';
}

/** One output version of a document. */
export interface OutputVersion {
  version: number;
  location: S3Location;
  lastModified?: Date;
}

/** The output versions of a document under a profile's destination, oldest first. */
export async function listOutputVersions(
  s3: S3Client,
  output: ProfileOutput,
  documentId: string,
): Promise<OutputVersion[]> {
  const dir = `${output.prefix ?? defaultOutputPrefix}/${documentId}/`;
  const versions: OutputVersion[] = [];
  let token: string | undefined;
  do {
    const res = await s3
      .send(new ListObjectsV2Command({ Bucket: output.bucket, Prefix: dir, ContinuationToken: token }))
      .catch((err: unknown) => {
        throw classifyAwsError(err, `listing output versions in bucket ${output.bucket}`);
      });
    for (const o of res.Contents ?? []) {
      const rest = o.Key?.slice(dir.length) ?? '';
      const version =
        rest === 'document.json.encrypted'
          ? 1
          : Number(/^v(\d+)\/document\.json\.encrypted$/.exec(rest)?.[1]);
      if (!Number.isInteger(version) || version < 1) continue;
      versions.push({
        version,
        location: outputLocation(output, documentId, version),
        lastModified: o.LastModified,
      });
    }
    token = res.NextContinuationToken;
  } while (token);
  return versions.sort((a, b) => a.version - b.version);
}

/** The document's stored record, with every raw part it points at checked to be there. */
export async function storedRecord(ctx: ReprocessContext, documentId: string): Promise<DocumentRecord> {
  const record = await getJsonIfPresent<DocumentRecord>(
    ctx.s3,
    ctx.resultsBucket,
    documentRecordKey(documentId),
  );
  if (!record) {
    throw new NoStoredResultError(
      `document ${documentId} has no stored extraction record in bucket ${ctx.resultsBucket}: it never ` +
        'finished extraction, ran before docket recorded extractions, or its record expired',
    );
  }
  const { raw, textract } = record.extraction;
  for (const part of new Set([1, raw.partsWritten])) {
    try {
      await ctx.s3.send(new HeadObjectCommand({ Bucket: raw.bucket, Key: partKey(raw.prefix, 'raw', part) }));
    } catch (err) {
      if (!isNotFoundError(err))
        throw classifyAwsError(err, `checking the raw parts in bucket ${raw.bucket}`);
      throw new RawResultsGoneError(
        `cannot reprocess document ${documentId}: raw part ${part} of ${raw.partsWritten} of Textract job ` +
          `${textract.jobId} is gone from bucket ${raw.bucket} (raw parts expire after the results ` +
          'lifecycle rule, see docs/operations.md "Retention"); start the document again to extract it anew',
      );
    }
  }
  return record;
}

/** Starts the reprocess run; returns the output version it writes. */
export async function reprocessDocument(
  ctx: ReprocessContext,
  documentId: string,
  profile: DocumentProfile,
): Promise<{ documentId: string; workflowId: string; version: number; profile: string }> {
  const record = await storedRecord(ctx, documentId);
  const versions = await listOutputVersions(ctx.s3, profile.output, documentId);
  const version = Math.max(record.outputVersion, ...versions.map((v) => v.version)) + 1;
  const input: DocumentWorkflowInput = {
    documentId,
    source: record.source,
    profile,
    reprocess: { version, from: record.extraction },
  };
  try {
    await ctx.temporal.workflow.start<typeof documentWorkflow>('documentWorkflow', {
      ...documentStartOptions(input, ctx.taskQueue),
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new StillRunningError(
        `document ${documentId} is still running: reprocess it once it has finished`,
      );
    }
    throw err;
  }
  return { documentId, workflowId: documentWorkflowId(documentId), version, profile: profile.name };
}

/** Reprocess through a connected docket client: its profiles, results bucket and task queue. */
export async function reprocessWith(
  docket: DocketClient,
  documentId: string,
  profileName?: string,
): Promise<{ documentId: string; workflowId: string; version: number; profile: string }> {
  const ctx = reprocessContextOf(docket);
  const record = await storedRecord(ctx, documentId).catch((err: unknown) => {
    throw err instanceof NoStoredResultError ? new NotFoundError(err.message) : err;
  });
  const name = profileName ?? record.profile;
  const profile = docket.profiles[name];
  if (!profile) {
    throw new RequestError(`unknown profile '${name}'; known: ${Object.keys(docket.profiles).join(', ')}`);
  }
  try {
    return await reprocessDocument(ctx, documentId, profile);
  } catch (err) {
    if (err instanceof StillRunningError) throw new ConflictError(err.message, DocumentStatus.PROCESSING);
    throw err;
  }
}

/** What reprocess needs from a connected docket client; DOCKET_RESULTS_BUCKET must be set. */
export function reprocessContextOf(docket: DocketClient): ReprocessContext {
  const resultsBucket = docket.config.resultsBucket;
  if (!resultsBucket) {
    throw new RequestError('DOCKET_RESULTS_BUCKET is required to reprocess: the stored results are there');
  }
  return { s3: docket.s3, temporal: docket.temporal, resultsBucket, taskQueue: docket.config.taskQueue };
}

/** The output versions of a document, found next to its latest output. */
export async function outputVersionsOf(docket: DocketClient, documentId: string): Promise<OutputVersion[]> {
  const state = await docket.status(documentId);
  const location = state.output;
  const at = location?.key.lastIndexOf(`/${documentId}/`) ?? -1;
  if (!location || at < 0)
    throw new NotFoundError(`document ${documentId} has no output (status ${state.status})`);
  const output = { bucket: location.bucket, prefix: location.key.slice(0, at), kmsKeyId: '' };
  return listOutputVersions(docket.s3, output, documentId);
}
