// Textract activities: start the job idempotently, wait for it with a heartbeating poll, and collect
// its pages to S3 with resumable pagination.
import type { S3Client } from '@aws-sdk/client-s3';
import {
  GetDocumentAnalysisCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentAnalysisCommand,
  StartDocumentTextDetectionCommand,
  type GetDocumentAnalysisCommandOutput,
  type TextractClient,
} from '@aws-sdk/client-textract';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { type DocumentSource, FailureType } from '../lib/contract';
import {
  partKey,
  resultsPrefix,
  type ExtractionSummary,
  type NormalizedPart,
  type TextractWarning,
} from '../lib/extraction';
import { TextractApi, type DocumentProfile } from '../lib/profile';
import { clientRequestToken, jobTag, type NotificationChannelOptions } from './textract-job-ids';
import { classified, classifyAwsError, isThrottlingError } from '../lib/aws/errors';
import { getJson, putJson } from '../lib/aws/s3';
import { defaultPrices, estimatedTextractCost, type PriceTable } from '../lib/pricing';
import { ResultNormalizer } from './normalize';
import { finishedJob, toWarnings } from './textract-status';
import type { TextractRates } from './rate-governor';
import { type LeaseHolder, releaseLeaseSignal } from '../lib/quota';

export interface StartJobInput {
  documentId: string;
  checksum: string;
  source: DocumentSource;
  profile: Pick<DocumentProfile, 'textract' | 'output' | 'maxCostPerDocument'>;
  /** Pages counted by the checksum pass, when known: with the profile's cost cap, checked before Start. */
  pages?: number;
}

export interface StartJobResult {
  jobId: string;
  api: TextractApi;
  /**
   * Set when the job was started with a NotificationChannel: the workflow waits for the completion
   * signal, checking the job itself only on this schedule. Absent: the heartbeating poll.
   */
  notified?: CompletionChecks;
}

/** When the workflow looks at a notified job itself (a lost notification). */
export interface CompletionChecks {
  /** The first check: the job's expected duration. */
  firstCheckMs: number;
  /** Later checks, this far apart. */
  checkIntervalMs: number;
}

export { clientRequestToken, jobTag, type NotificationChannelOptions } from './textract-job-ids';

export interface JobRef {
  jobId: string;
  api: TextractApi;
}

export interface WaitResult {
  status: 'SUCCEEDED' | 'PARTIAL_SUCCESS';
  pages: number;
  warnings: TextractWarning[];
  polls: number;
}

/** What the poll heartbeats; a retry resumes from it (poll count and interval survive a worker crash). */
export interface PollProgress {
  jobId: string;
  polls: number;
  lastStatus: string;
  /** How long the poll waits before its next Get* call. */
  nextPollInMs: number;
}

export interface CollectInput extends JobRef {
  documentId: string;
  /** Field names the profile cares about (always kept in the summary). */
  namedFields: string[];
  /** KMS key for SSE-KMS on the parts written (they hold document content). */
  kmsKeyId: string;
  /** The document's concurrent-job lease, released here as collection starts (the job is over). */
  releaseLease?: LeaseHolder & { quotaWorkflowId: string };
}

/**
 * What collection of a job not yet known to be over returns: the summary with the job's outcome
 * (status, pages, warnings from the first result page), or that it still runs.
 */
export type CollectResult = (ExtractionSummary & { job: Omit<WaitResult, 'polls'> }) | { inProgress: true };

/** What collection heartbeats: the next Get* page to fetch and how many were written to S3. */
export interface CollectProgress {
  jobId: string;
  nextToken: string | null;
  partsWritten: number;
}

export interface TextractActivitiesOptions {
  s3: S3Client;
  textract: TextractClient;
  resultsBucket: string;
  /** First wait between polls. @default 1000 */
  pollInitialIntervalMs?: number;
  /** Longest wait between polls, also while throttled. @default 30000 */
  pollMaxIntervalMs?: number;
  /** Start jobs with this NotificationChannel; absent: completion by polling only. */
  notificationChannel?: NotificationChannelOptions;
  /** The fallback checks of notified jobs. @default first after 2 minutes, then every 5 minutes */
  completionChecks?: CompletionChecks;
  /** Prices for the profile's cost cap (maxCostPerDocument). @default defaultPrices */
  prices?: PriceTable;
  /** Adaptive client-side rates per operation family (the governor's activity-side half). @default none */
  rates?: TextractRates;
  /**
   * How often a start heartbeats while it waits its turn (its heartbeat timeout, 30 s, is in
   * workflows/activities.ts). @default 5000
   */
  startHeartbeatMs?: number;
}
const defaultCompletionChecks: CompletionChecks = { firstCheckMs: 120_000, checkIntervalMs: 300_000 };

export function createTextractActivities(options: TextractActivitiesOptions) {
  const { s3, textract, resultsBucket, prices = defaultPrices } = options;
  const initialInterval = options.pollInitialIntervalMs ?? 1000;
  const maxInterval = options.pollMaxIntervalMs ?? 30_000;
  const channel = options.notificationChannel;
  const rates = options.rates ?? {};
  const inTurn = <T>(family: keyof TextractRates, run: () => Promise<T>): Promise<T> => {
    const rate = rates[family];
    return rate ? rate.call(run, Context.current().cancellationSignal) : run();
  };

  function getPage(
    ref: JobRef,
    maxResults: number,
    nextToken?: string,
  ): Promise<GetDocumentAnalysisCommandOutput> {
    const params = { JobId: ref.jobId, MaxResults: maxResults, NextToken: nextToken };
    const abortSignal = Context.current().cancellationSignal;
    return inTurn('get', () =>
      ref.api === TextractApi.ANALYSIS
        ? textract.send(new GetDocumentAnalysisCommand(params), { abortSignal })
        : // Same shape minus analysis-only members, which docket does not read from text detection.
          textract.send(new GetDocumentTextDetectionCommand(params), {
            abortSignal,
          }),
    );
  }

  async function collect(input: CollectInput, confirm: boolean): Promise<CollectResult | ExtractionSummary> {
    const ctx = Context.current();
    // Sent while the first page is read, awaited before returning: a failed release fails the attempt,
    // and the retry resumes collection from its heartbeat. Idempotent: releasing again changes nothing.
    const lease = input.releaseLease;
    let released: Promise<void> | undefined;
    const release = () => {
      if (!lease || released) return;
      released = ctx.client.workflow
        .getHandle(lease.quotaWorkflowId)
        .signal(releaseLeaseSignal, { workflowId: lease.workflowId, runId: lease.runId });
      released.catch(() => undefined); // seen below; not an unhandled rejection if collection fails first
    };
    // Without `confirm` the job is known to be over: release as the first page is read.
    if (!confirm) release();
    let job: Omit<WaitResult, 'polls'> | undefined;
    const prefix = resultsPrefix(input.documentId, input.jobId);
    const previous = ctx.info.heartbeatDetails as CollectProgress | undefined;
    const resumed = previous?.jobId === input.jobId ? previous : undefined;
    const normalizer = new ResultNormalizer(input.namedFields);
    let partsWritten = 0;
    let nextToken: string | undefined;
    let pages: number | undefined;
    let kmsRequests = 0;

    const writeNormalized = async (part: number, normalized: NormalizedPart) => {
      kmsRequests += 1;
      await putJson(s3, resultsBucket, partKey(prefix, 'normalized', part), normalized, input.kmsKeyId);
    };

    if (resumed && resumed.partsWritten > 0) {
      log.info('textract collection resumed', { jobId: input.jobId, partsWritten: resumed.partsWritten });
      for (let part = 1; part <= resumed.partsWritten; part++) {
        const raw = await getJson<GetDocumentAnalysisCommandOutput>(
          s3,
          resultsBucket,
          partKey(prefix, 'raw', part),
        );
        kmsRequests += 1;
        pages ??= raw.DocumentMetadata?.Pages;
        if (part === 1 && confirm) job = finishedJob(input.jobId, raw);
        const final = part === resumed.partsWritten && resumed.nextToken === null;
        await writeNormalized(part, normalizer.add(raw.Blocks ?? [], final));
        // Re-reading thousands of parts takes longer than a short heartbeat timeout.
        ctx.heartbeat(resumed);
      }
      partsWritten = resumed.partsWritten;
      if (job) release(); // the job was over when part 1 was read
      nextToken = resumed.nextToken ?? undefined;
    }

    const finished = resumed !== undefined && resumed.partsWritten > 0 && resumed.nextToken === null;
    while (!finished) {
      const res = await getPage(input, 1000, nextToken).catch((err: unknown) => {
        throw classifyAwsError(err, `reading results of Textract job ${input.jobId}`);
      });
      if (partsWritten === 0 && confirm) {
        if (res.JobStatus === 'IN_PROGRESS') {
          log.info('textract job still running', { jobId: input.jobId });
          return { inProgress: true };
        }
        job = finishedJob(input.jobId, res);
        release();
      }
      partsWritten++;
      pages ??= res.DocumentMetadata?.Pages;
      const { $metadata: _m, ...page } = res;
      await putJson(s3, resultsBucket, partKey(prefix, 'raw', partsWritten), page, input.kmsKeyId);
      kmsRequests += 1;
      await writeNormalized(partsWritten, normalizer.add(res.Blocks ?? [], !res.NextToken));
      nextToken = res.NextToken;
      ctx.heartbeat({
        jobId: input.jobId,
        nextToken: nextToken ?? null,
        partsWritten,
      } satisfies CollectProgress);
      if (!nextToken) break;
    }
    const summary = normalizer.summary({
      jobId: input.jobId,
      partsWritten,
      resultsBucket,
      resultsPrefix: prefix,
      pages,
    });
    log.info('textract results collected', {
      jobId: input.jobId,
      partsWritten,
      pages: summary.pages,
      tables: summary.tableCount,
      parserWarnings: normalizer.parserWarnings,
    });
    await released;
    return { ...summary, kmsRequests, ...(confirm && job ? { job } : {}) };
  }

  return {
    /** Starts (or finds again, through the ClientRequestToken) the document's Textract job. */
    startTextractJob: async ({
      documentId,
      checksum,
      source,
      profile,
      pages,
    }: StartJobInput): Promise<StartJobResult> => {
      // The cost cap, before Textract is paid: pages × what this profile's API and features cost.
      const cap = profile.maxCostPerDocument;
      if (cap !== undefined && pages !== undefined) {
        const estimate = estimatedTextractCost(profile.textract, pages, prices);
        if (estimate > cap) {
          throw ApplicationFailure.create({
            type: FailureType.COST_LIMIT_EXCEEDED,
            nonRetryable: true,
            message: `${pages} page(s) would cost an estimated ${estimate} USD in Textract, over the profile's maxCostPerDocument (${cap} USD)`,
          });
        }
      }
      const common = {
        DocumentLocation: {
          S3Object: { Bucket: source.bucket, Name: source.key, Version: source.versionId },
        },
        ClientRequestToken: clientRequestToken(
          checksum,
          profile.textract,
          profile.output.kmsKeyId,
          // Always set for activities of a workflow; a standalone activity has no run to tell apart.
          Context.current().info.workflowExecution?.runId ?? '',
          channel,
        ),
        JobTag: jobTag(documentId),
        OutputConfig: { S3Bucket: resultsBucket, S3Prefix: `textract-output/${checksum.slice(0, 16)}` },
        KMSKeyId: profile.output.kmsKeyId,
        ...(channel
          ? { NotificationChannel: { SNSTopicArn: channel.snsTopicArn, RoleArn: channel.roleArn } }
          : {}),
      };
      const spec = profile.textract;
      // The call may wait its turn behind the client-side rate: heartbeats say the worker is alive, so a
      // crashed worker's start is retried after the heartbeat timeout, not startToClose.
      const ctx = Context.current();
      const alive = setInterval(() => ctx.heartbeat(), options.startHeartbeatMs ?? 5_000);
      const res = await classified(`starting Textract for document ${documentId}`, () =>
        inTurn('start', () =>
          spec.api === TextractApi.ANALYSIS
            ? textract.send(
                new StartDocumentAnalysisCommand({
                  ...common,
                  FeatureTypes: spec.features,
                  QueriesConfig: spec.queries?.length
                    ? { Queries: spec.queries.map((q) => ({ Text: q.text, Alias: q.alias, Pages: q.pages })) }
                    : undefined,
                  AdaptersConfig: spec.adapters?.length
                    ? {
                        Adapters: spec.adapters.map((a) => ({
                          AdapterId: a.adapterId,
                          Version: a.version,
                          Pages: a.pages,
                        })),
                      }
                    : undefined,
                }),
              )
            : textract.send(new StartDocumentTextDetectionCommand(common)),
        ),
      ).finally(() => clearInterval(alive));
      if (!res.JobId) throw new Error('Textract returned no JobId');
      log.info('textract job started', { jobId: res.JobId, api: spec.api, notified: !!channel });
      if (!channel) return { jobId: res.JobId, api: spec.api };
      const notified = options.completionChecks ?? defaultCompletionChecks;
      return { jobId: res.JobId, api: spec.api, notified };
    },

    /**
     * Polls the job with MaxResults 1 until it finishes, backing off from the initial to the maximum
     * interval; throttling lengthens the interval instead of failing. Heartbeats every poll and
     * resumes from the last heartbeat after a worker crash. FAILED fails without retry.
     */
    waitForTextractJob: async (ref: JobRef): Promise<WaitResult> => {
      const ctx = Context.current();
      const previous = ctx.info.heartbeatDetails as PollProgress | undefined;
      const resumed = previous?.jobId === ref.jobId ? previous : undefined;
      let polls = resumed?.polls ?? 0;
      let interval = resumed ? Math.min(resumed.nextPollInMs, maxInterval) : initialInterval;
      let lastStatus = resumed?.lastStatus ?? 'UNKNOWN';
      if (resumed) log.info('textract poll resumed', { jobId: ref.jobId, polls });
      for (;;) {
        let res: GetDocumentAnalysisCommandOutput | undefined;
        try {
          res = await getPage(ref, 1);
        } catch (err) {
          if (ctx.cancellationSignal.aborted) throw new CancelledFailure('textract poll cancelled');
          if (!isThrottlingError(err)) throw classifyAwsError(err, `polling Textract job ${ref.jobId}`);
          // Throttled: the account's Get* TPS is shared, so slow down rather than fail.
          interval = Math.min(Math.max(interval * 2, initialInterval * 4), maxInterval);
          lastStatus = 'THROTTLED';
        }
        polls++;
        if (res) lastStatus = res.JobStatus ?? 'UNKNOWN';
        if (res?.JobStatus === 'SUCCEEDED' || res?.JobStatus === 'PARTIAL_SUCCESS') {
          ctx.heartbeat({ jobId: ref.jobId, polls, lastStatus, nextPollInMs: 0 } satisfies PollProgress);
          const warnings = toWarnings(res.Warnings);
          log.info('textract job finished', { jobId: ref.jobId, status: res.JobStatus, polls });
          return { status: res.JobStatus, pages: res.DocumentMetadata?.Pages ?? 0, warnings, polls };
        }
        if (res?.JobStatus === 'FAILED') {
          throw ApplicationFailure.create({
            type: FailureType.TEXTRACT_JOB_FAILED,
            nonRetryable: true,
            message: `Textract job ${ref.jobId} failed: ${res.StatusMessage ?? 'no status message'}`,
          });
        }
        ctx.heartbeat({ jobId: ref.jobId, polls, lastStatus, nextPollInMs: interval } satisfies PollProgress);
        await ctx.sleep(interval); // rejects with CancelledFailure when the workflow cancels us
        if (res) interval = Math.min(interval * 2, maxInterval);
      }
    },

    /**
     * Reads every result page (MaxResults 1000, NextToken), writes each to S3 as it arrives and folds it
     * into the normalized result. A retry re-reads the parts already written instead of asking
     * Textract again, then continues at the next page: no page lost, none fetched twice.
     */
    collectTextractResults: async (input: CollectInput): Promise<ExtractionSummary> =>
      (await collect(input, false)) as ExtractionSummary,

    /**
     * Collection that is also the completion check of a notified job: the first page's JobStatus
     * decides. Still running → `{ inProgress: true }` (nothing written, the lease kept); FAILED fails
     * without retry; finished → the lease is released and the summary carries the job's outcome.
     */
    collectFinishedTextractResults: async (input: CollectInput): Promise<CollectResult> =>
      (await collect(input, true)) as CollectResult,
  };
}
