// A document's Textract job from lease to collected result: the lease (when the worker caps concurrent
// jobs), the Start, the wait (completion signal with fallback checks, or the heartbeating poll of runs
// without notifications), and collection, which releases the lease.
import { log, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { ChecksumAndClaimResult } from '../activities/s3';
import type { ExtractionSummary } from '../lib/extraction';
import { DocumentStatus, FailurePhase, type DocumentSource } from '../lib/contract';
import { profileFieldNames, type DocumentProfile } from '../lib/profile';
import { ActionKind, type ActionCounter } from './actions';
import * as acts from './activities';
import type { Extracted } from './reuse';
import {
  awaitTextractCompletion,
  collectWhenFinished,
  type TextractCompletions,
} from './textract-completion';
import type { TextractLease } from './textract-lease';
import type { DocumentTracker } from './tracker';

export interface TextractRun {
  documentId: string;
  source: DocumentSource;
  profile: DocumentProfile;
  sum: ChecksumAndClaimResult;
  heartbeatTimeout: Duration;
  doc: DocumentTracker;
  lease: TextractLease;
  completions: TextractCompletions;
  actions: ActionCounter;
  /** The document workflow's step: sets the failure phase, counts one activity, classifies failures. */
  step: <T>(phase: FailurePhase, run: () => Promise<T>, actions?: number) => Promise<T>;
  /**
   * Runs recorded with patch 'fewer-actions': the lease asked by signal, and collection confirming the
   * job's end instead of a local-activity check before it.
   */
  lean: boolean;
}

/** Runs the document's Textract job; returns it, its outcome and the collected summary. */
export async function runTextract(run: TextractRun): Promise<Extracted> {
  const { documentId, source, profile, sum, doc, lease, completions, actions, step, lean } = run;
  // Histories from before the quota governor ran every Textract call on the document's queue, unleased.
  const governed = doc.patched('textract-governor');
  const textract = governed
    ? acts.governedTextractActivities(workflowInfo().taskQueue, run.heartbeatTimeout)
    : { startTextractJob: acts.startTextractJob, ...acts.textractActivities(run.heartbeatTimeout) };
  if (governed) {
    doc.transition(DocumentStatus.PROCESSING, 'waiting for a Textract job slot');
    if (lean) {
      const asked = await step(FailurePhase.TEXTRACT_START, () => lease.acquire(sum.governor), 0);
      actions.add(ActionKind.SIGNAL, asked.signals);
      actions.add(ActionKind.ACTIVITY, asked.localActivities);
    } else {
      // The step counts the local activity; its signalWithStart (when a quota workflow ran) is a signal.
      const asked = await step(FailurePhase.TEXTRACT_START, () => lease.acquire());
      actions.add(ActionKind.SIGNAL, asked.signals);
    }
    doc.details('starting the Textract job');
  } else {
    doc.transition(DocumentStatus.PROCESSING, 'starting the Textract job');
  }
  const job = await step(FailurePhase.TEXTRACT_START, () =>
    textract.startTextractJob({ documentId, checksum: sum.checksum, source, profile, pages: sum.pages }),
  );
  doc.state.textractJobId = job.jobId;
  doc.details(`Textract job ${job.jobId} running`);
  const collectInput = {
    ...job,
    documentId,
    namedFields: profileFieldNames(profile),
    kmsKeyId: profile.output.kmsKeyId,
  };

  // A notified job: the completion signal or a slow fallback check. Runs started before notifications
  // existed wait in the heartbeating poll, as runs without a NotificationChannel still do.
  const notified = job.notified !== undefined && doc.patched('textract-completion-notification');
  const checks = notified ? job.notified : undefined;
  if (checks && lean) {
    // Collection confirms the end: each look is one collect attempt after a timer (or the signal).
    // Collection gives the lease back, unless the notification's listener already did.
    const release = lease.holding();
    const owed = () =>
      release && completions.leaseReleasedBy(job.jobId) !== release.quotaWorkflowId ? release : undefined;
    const { collected, polls, timers } = await step(FailurePhase.TEXTRACT_WAIT, () =>
      collectWhenFinished(job.jobId, checks, completions, () => {
        const releaseLease = owed();
        return textract.collectFinishedTextractResults({
          ...collectInput,
          ...(releaseLease ? { releaseLease } : {}),
        });
      }),
    );
    lease.handOff();
    // The step counted one collect; each further look is another, each look the signal did not
    // precede waited on a timer.
    actions.add(ActionKind.ACTIVITY, polls - 1);
    actions.add(ActionKind.TIMER, timers);
    if (release) actions.add(ActionKind.SIGNAL); // the release, by collection or by the listener
    const { job: done, ...summary } = collected;
    finished(doc, job.jobId, done);
    return { job, done, summary };
  }

  let timers = 0;
  const done = await step(FailurePhase.TEXTRACT_WAIT, async () => {
    if (!checks) return textract.waitForTextractJob(job);
    const awaited = await awaitTextractCompletion(job, checks, completions);
    timers = awaited.timers;
    return awaited;
  });
  if (notified) {
    // Each check is a local activity (the step counted one), after a timer unless the signal came first.
    actions.add(ActionKind.ACTIVITY, done.polls - 1);
    actions.add(ActionKind.TIMER, timers);
  } else {
    actions.add(ActionKind.HEARTBEAT, done.polls);
  }
  // The job no longer counts against the account's concurrent-job cap: collection releases the lease.
  const release = lease.handOff();
  finished(doc, job.jobId, done);
  doc.details(`collecting ${done.pages} page(s) of Textract job ${job.jobId}`);
  const summary: ExtractionSummary = await step(FailurePhase.COLLECT, () =>
    textract.collectTextractResults({ ...collectInput, ...(release ? { releaseLease: release } : {}) }),
  );
  if (release) actions.add(ActionKind.SIGNAL); // collection's release signal
  return { job, done, summary };
}

function finished(doc: DocumentTracker, jobId: string, done: Extracted['done']): void {
  doc.state.warnings = done.warnings;
  doc.pages(done.pages);
  if (done.status === 'PARTIAL_SUCCESS')
    log.warn('textract partial success', { jobId, warnings: done.warnings.length });
}
