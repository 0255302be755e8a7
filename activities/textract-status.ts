// One look at a Textract job's status: what the workflow asks after a completion notification (to
// confirm it) or at a fallback check when none came. Throttling and transient errors are rethrown for
// Temporal's retry policy; a FAILED job fails without retry.
import {
  GetDocumentAnalysisCommand,
  GetDocumentTextDetectionCommand,
  type GetDocumentAnalysisCommandOutput,
  type TextractClient,
  type Warning,
} from '@aws-sdk/client-textract';
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../lib/contract';
import type { TextractWarning } from '../lib/extraction';
import { TextractApi } from '../lib/profile';
import { classifyAwsError } from '../lib/aws/errors';
import type { JobRef, WaitResult } from './textract';

/** A job still running, or finished as {@link WaitResult} (polls = 1: this check). */
export type JobCheck = { status: 'IN_PROGRESS' } | WaitResult;

export interface TextractStatusOptions {
  textract: TextractClient;
}

export function createTextractStatusActivities({ textract }: TextractStatusOptions) {
  return {
    /** One Get* with MaxResults 1: the job's status, pages and warnings. */
    checkTextractJob: async (ref: JobRef): Promise<JobCheck> => {
      const params = { JobId: ref.jobId, MaxResults: 1 };
      const abortSignal = Context.current().cancellationSignal;
      let res: GetDocumentAnalysisCommandOutput;
      try {
        res =
          ref.api === TextractApi.ANALYSIS
            ? await textract.send(new GetDocumentAnalysisCommand(params), { abortSignal })
            : await textract.send(new GetDocumentTextDetectionCommand(params), { abortSignal });
      } catch (err) {
        throw classifyAwsError(err, `checking Textract job ${ref.jobId}`);
      }
      if (res.JobStatus === 'IN_PROGRESS') return { status: 'IN_PROGRESS' };
      const job = finishedJob(ref.jobId, res);
      log.info('textract job finished', { jobId: ref.jobId, status: job.status });
      return { ...job, polls: 1 };
    },
  };
}

/**
 * The outcome a finished job's Get* answer shows (its first result page, or a status check); a FAILED
 * job fails without retry, as does a status Textract does not document.
 */
export function finishedJob(
  jobId: string,
  res: Pick<
    GetDocumentAnalysisCommandOutput,
    'JobStatus' | 'StatusMessage' | 'Warnings' | 'DocumentMetadata'
  >,
): Omit<WaitResult, 'polls'> {
  const status = res.JobStatus;
  if (status === 'SUCCEEDED' || status === 'PARTIAL_SUCCESS') {
    return { status, pages: res.DocumentMetadata?.Pages ?? 0, warnings: toWarnings(res.Warnings) };
  }
  throw ApplicationFailure.create({
    type: FailureType.TEXTRACT_JOB_FAILED,
    nonRetryable: true,
    message:
      status === 'FAILED'
        ? `Textract job ${jobId} failed: ${res.StatusMessage ?? 'no status message'}`
        : `Textract job ${jobId} answered an unknown status ${String(status)}`,
  });
}

export function toWarnings(warnings: Warning[] | undefined): TextractWarning[] {
  return (warnings ?? []).map((w) => ({
    errorCode: w.ErrorCode ?? 'UNKNOWN',
    pages: (w.Pages ?? []).slice(0, 100),
  }));
}
