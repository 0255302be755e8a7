// One workflow per document: RECEIVED → PROCESSING → AWAITING_REVIEW → SUCCEEDED | FAILED, or DUPLICATE.
// It decides; the activities do all I/O.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  setHandler,
} from '@temporalio/workflow';
import { fieldsToReview, sampledForAudit, sampledItem } from '../lib/confidence-routing';
import {
  approveSignal,
  claimUpdate,
  correctSignal,
  type DocumentResult,
  DocumentStatus,
  type DocumentWorkflowInput,
  type FailureInfo,
  FailurePhase,
  FailureType,
  rejectSignal,
  releaseUpdate,
  type ReviewableField,
  reviewUpdate,
  statusQuery,
  textractCompletedSignal,
} from '../lib/contract';
import { validateDocumentInput } from '../lib/validation';
import {
  defaultClaimIdle,
  defaultHeartbeatTimeout,
  defaultReviewDeadline,
  profileFieldNames,
} from '../lib/profile';
import { ActionCounter, ActionKind } from './actions';
import * as acts from './activities';
import type { WriteOutputInput } from '../activities/output';
import { leaseGrantedSignal } from '../lib/quota';
import { ReviewDesk } from './review';
import { TextractCompletions } from './textract-completion';
import { TextractLease } from './textract-lease';
import { runTextract } from './textract-run';
import { documentRecord, type Extracted, rebuildFrom, reprocessChecksum } from './reuse';
import { DocumentTracker, now } from './tracker';

/** A business failure of one step, carrying what `status` shows. */
class StepFailure extends Error {
  constructor(readonly info: FailureInfo) {
    super(info.message);
  }
}

/** Runs one step and turns its classified failure into a StepFailure for that phase. */
async function runStep<T>(phase: FailurePhase, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    // A cancelled workflow cancels its activity: that is the operator's cancellation, not a failure.
    if (isCancellation(err)) throw err;
    if (err instanceof ActivityFailure) {
      const cause = err.cause;
      if (cause instanceof ApplicationFailure) {
        throw new StepFailure({ type: cause.type ?? 'Error', message: cause.message, phase });
      }
      throw new StepFailure({
        type: FailureType.ACTIVITY_GAVE_UP,
        message: `${err.activityType} gave up: ${cause?.message ?? err.message}`,
        phase,
      });
    }
    throw err;
  }
}

/** Processes one document; see DESIGN.md for the lifecycle. */
export async function documentWorkflow(input: DocumentWorkflowInput): Promise<DocumentResult> {
  const doc = new DocumentTracker(input);
  const desk = new ReviewDesk(doc);
  const completions = new TextractCompletions();
  const actions = new ActionCounter();
  const signal = (name: 'approve' | 'reject' | 'correct', raw: unknown) => {
    actions.add(ActionKind.SIGNAL);
    desk.onSignal(name, raw);
  };
  const update = <T>(run: () => T): T => {
    actions.add(ActionKind.UPDATE);
    return run();
  };
  const lease = new TextractLease();

  // Message handlers: everything the workflow answers to. State logic lives in the two classes.
  setHandler(statusQuery, () => doc.state);
  setHandler(textractCompletedSignal, (raw: unknown) => {
    actions.add(ActionKind.SIGNAL);
    completions.onSignal(raw);
  });
  setHandler(approveSignal, (raw: unknown) => signal('approve', raw));
  setHandler(rejectSignal, (raw: unknown) => signal('reject', raw));
  setHandler(correctSignal, (raw: unknown) => signal('correct', raw));
  setHandler(reviewUpdate, (review) => update(() => desk.apply(review)), {
    validator: (raw: unknown) => desk.validate(raw),
  });
  setHandler(claimUpdate, (raw: unknown) => update(() => desk.claim(raw)), {
    validator: (raw: unknown) => desk.validateClaim(raw),
  });
  setHandler(releaseUpdate, (raw: unknown) => update(() => desk.release(raw)), {
    validator: (raw: unknown) => desk.validateRelease(raw),
  });
  setHandler(leaseGrantedSignal, (grant) => {
    actions.add(ActionKind.SIGNAL);
    lease.onGrant(grant);
  });
  let claimed = false;
  /** The claim's output identity, once known (releasing must use the key claimed). */
  let claimOutputId: string | undefined;
  let phase: FailurePhase = FailurePhase.VALIDATION;
  /** One step: its failure phase, its billed activities (one unless told), its failures classified. */
  const step = <T>(p: FailurePhase, run: () => Promise<T>, activities = 1): Promise<T> => {
    phase = p;
    actions.add(ActionKind.ACTIVITY, activities);
    return runStep(p, run);
  };
  try {
    doc.transition(DocumentStatus.RECEIVED, 'checksumming the source object');
    const problems = validateDocumentInput(input);
    if (problems.length > 0) {
      throw new StepFailure({
        type: FailureType.INVALID_INPUT,
        message: problems.join('; '),
        phase: FailurePhase.VALIDATION,
      });
    }
    const { documentId, source, profile } = input;

    // Claims per output identity and finds a stored extraction to reuse. No patch needed: what follows
    // depends on the recorded result, and results recorded before identities carry no outputId or
    // reuse, so older histories take the checksum-keyed path they took. A reprocess run has no
    // checksum step or claim: it rebuilds from the stored raw parts.
    const reprocess = input.reprocess;
    const sum = reprocess
      ? reprocessChecksum(reprocess)
      : await step(FailurePhase.CHECKSUM, () =>
          acts.checksumAndClaim({ documentId, source, profile, maxPages: profile.maxPages }),
        );
    doc.checksum(sum.checksum, sum.size, sum.contentType);
    claimOutputId = sum.outputId;
    // Runs from here on ask for the lease by signal, let collection confirm the job's end and write the
    // output, the claim and the record in one activity: fewer billed actions per document.
    const lean = doc.patched('fewer-actions');
    // Cost, for the output activity: what the profile's Textract API costs, and what was counted.
    let kmsRequests = 0;
    // `ahead`: the actions still to come once the output is written (its own step is counted already).
    const usage = (pages: number, ahead: number) => ({
      textract: profile.textract,
      pages,
      temporalActions: actions.total + doc.upserts + ahead,
      kmsRequests,
    });
    const claimInput = {
      documentId,
      checksum: sum.checksum,
      ...(sum.outputId ? { outputId: sum.outputId } : {}),
    };
    let claim = sum.claim;
    if (claim.outcome === 'HELD') {
      doc.details(`waiting for document ${claim.original.documentId}, which has the same bytes`);
      claim = await step(FailurePhase.CLAIM, () => acts.awaitOriginal(claimInput));
    }
    const common = {
      documentId,
      checksum: sum.checksum,
      source,
      profile: profile.name,
      output: profile.output,
      completedAt: '',
    };
    if (claim.outcome === 'COMPLETED') {
      const duplicateOf = claim.original;
      const output = await step(FailurePhase.OUTPUT, () =>
        acts.writeDocumentOutput({
          ...common,
          completedAt: now(),
          kind: 'DUPLICATE',
          duplicateOf,
          usage: usage(0, 1), // the final upsert (DUPLICATE)
        }),
      );
      Object.assign(doc.state, { output: doc.costed(output), duplicateOf });
      doc.transition(DocumentStatus.DUPLICATE, `same bytes as document ${duplicateOf.documentId}`);
      await condition(allHandlersFinished);
      return doc.result();
    }
    claimed = !reprocess;
    const version = reprocess?.version ?? 1;
    const heartbeatTimeout = profile.heartbeatTimeout ?? defaultHeartbeatTimeout;

    let extracted: Extracted;
    if (sum.reuse) {
      const from = sum.reuse;
      doc.transition(
        DocumentStatus.PROCESSING,
        `reusing the stored result of Textract job ${from.textract.jobId}`,
      );
      doc.state.textractJobId = from.textract.jobId;
      doc.state.warnings = from.textract.warnings;
      doc.pages(from.textract.pages);
      extracted = await step(FailurePhase.COLLECT, () =>
        rebuildFrom(from, documentId, profile, heartbeatTimeout, version),
      );
    } else {
      const run = { documentId, source, profile, sum, heartbeatTimeout, doc, lease, completions };
      extracted = await runTextract({ ...run, actions, step, lean });
      kmsRequests += extracted.summary.kmsRequests ?? 0;
    }
    const { job, done, summary } = extracted;
    const items = fieldsToReview(summary, profile);
    // A clean document may still go to a person as an audit sample (never at the default rate 0).
    if (items.length === 0 && sampledForAudit(sum.checksum, profile.sampleRate)) {
      items.push(sampledItem(profile));
      doc.sampled();
    }
    doc.routed(items, summary.minConfidence);
    if (items.length > 0) {
      doc.transition(DocumentStatus.AWAITING_REVIEW, `${items.length} field(s) need review`);
      // Reviewers correct a field by id, or by a name that is one field (or one the profile names).
      const reviewable: ReviewableField[] = summary.fields.map((f) => ({
        id: f.id,
        name: f.name,
        value: f.value,
      }));
      for (const name of profileFieldNames(profile)) {
        if (!reviewable.some((f) => f.name === name)) reviewable.push({ name, value: '' });
      }
      phase = FailurePhase.REVIEW;
      const critical = new Set(profile.criticalFields ?? []);
      const deadline = profile.reviewDeadline ?? defaultReviewDeadline;
      actions.add(ActionKind.TIMER, profile.reviewSla ? 2 : 1);
      const decision = await desk.awaitDecision(reviewable, {
        profile,
        deadline,
        sla: profile.reviewSla,
        claimIdle: profile.claimIdle ?? defaultClaimIdle,
        approvalsNeeded: items.some((i) => critical.has(i.field)) ? 2 : 1,
        // Histories whose review opened before claims existed applied every message as it came.
        claims: doc.patched('review-claims'),
        onOverdue: () => {
          doc.overdue();
          const notice = {
            documentId,
            profile: profile.name,
            status: doc.state.status,
            overdueSince: doc.state.reviewSlaAt ?? now(),
            reviewDueAt: doc.state.reviewDueAt ?? now(),
          };
          actions.add(ActionKind.ACTIVITY);
          // Not awaited: a slow or failing notice must not hold up (or fail) the review.
          void acts.escalateReview(notice).catch((err: unknown) => {
            log.warn('escalation notice gave up', { documentId, error: String(err) });
          });
        },
      });
      if (decision.action === 'timeout') {
        throw new StepFailure({
          type: FailureType.REVIEW_TIMEOUT,
          message: `nobody approved or rejected the document within ${String(deadline)}`,
          phase: FailurePhase.REVIEW,
        });
      }
      if (decision.action === 'reject') {
        throw new StepFailure({
          type: FailureType.REVIEW_REJECTED,
          message: 'a reviewer rejected the document (see status for who and why)',
          phase: FailurePhase.REVIEW,
        });
      }
      // Approved: no longer awaiting review while the output is written (lists, `status`, a second
      // approval's 409 all say so). Guarded: histories approved before this change have no upsert here.
      if (doc.patched('processing-after-approval')) {
        doc.transition(DocumentStatus.PROCESSING, 'approved; writing output');
      }
    }

    // Record the route and the stored extraction it used (reprocess and reroute read it). Checksum
    // results recorded before identities carry no extractionId, so older histories never record.
    const record = sum.extractionId
      ? { record: documentRecord({ documentId, source, profile, sum, extracted, review: items, version }) }
      : undefined;
    const closing = lean ? 0 : 1; // the local activities after an older run's output (one task: one action)
    // Built inside the output step, so the cost counts the step's own activity.
    const written = (): WriteOutputInput => ({
      ...common,
      ...(version > 1 ? { outputVersion: version } : {}),
      completedAt: now(),
      kind: 'EXTRACTED',
      textract: {
        jobId: job.jobId,
        api: job.api,
        status: done.status,
        pages: summary.pages,
        warnings: done.warnings,
      },
      results: {
        bucket: summary.resultsBucket,
        prefix: summary.resultsPrefix,
        partsWritten: summary.partsWritten,
      },
      corrections: desk.corrections,
      review: { items, audit: doc.state.reviewActions },
      // Still to come: the final upsert (SUCCEEDED), after an older run's closing local activities. A
      // reused extraction paid no Textract pages.
      usage: usage(sum.reuse ? 0 : summary.pages, 1 + closing),
    });
    const kmsKeyId = profile.output.kmsKeyId;
    // The output, then the claim completed (later documents with the same bytes end as duplicates of
    // this one) and the record: one activity. Older runs did the last two as local activities (and
    // before that completed the claim inside writeDocumentOutput: replaying them must not add a step).
    const output = await step(FailurePhase.OUTPUT, () =>
      lean
        ? acts.writeOutputAndRecord({
            output: written(),
            ...(reprocess ? {} : { claim: claimInput }),
            ...(record ? { record: { ...record, kmsKeyId } } : {}),
          })
        : acts.writeDocumentOutput(written()),
    );
    const location = doc.costed(output);
    doc.state.output = location;
    if (!lean && !reprocess && doc.patched('complete-claim-after-output')) {
      await step(FailurePhase.OUTPUT, () => acts.completeClaim({ ...claimInput, output: location }), 0);
    }
    if (!lean && record) {
      await step(FailurePhase.OUTPUT, () => acts.recordExtraction({ ...record, kmsKeyId }), 0);
    }
    doc.transition(DocumentStatus.SUCCEEDED, 'encrypted output written');
    await condition(allHandlersFinished);
    return doc.result();
  } catch (err) {
    const releaseClaim = async () => {
      if (!claimed || !doc.state.checksum) return;
      const checksum = doc.state.checksum;
      // Let the next document with these bytes process them; a failed release only delays it.
      const outputId = claimOutputId;
      await acts
        .releaseClaim({ documentId: input.documentId, checksum, ...(outputId ? { outputId } : {}) })
        .catch((releaseErr: unknown) => {
          log.warn('claim release failed', { error: String(releaseErr) });
        });
    };
    if (isCancellation(err)) {
      // Cancelled by an operator: record it and free the bytes, then end as cancelled in Temporal.
      await CancellationScope.nonCancellable(async () => {
        await lease.release();
        await releaseClaim();
        doc.fail({
          type: FailureType.CANCELLED,
          message:
            'the workflow was cancelled (temporal workflow cancel); start the document again to re-drive it',
          phase,
        });
        await condition(allHandlersFinished);
      });
      throw err;
    }
    if (!(err instanceof StepFailure)) throw err;
    await lease.release();
    await releaseClaim();
    doc.fail(err.info);
    await condition(allHandlersFinished);
    throw ApplicationFailure.create({
      type: err.info.type,
      message: `${err.info.phase}: ${err.info.message}`,
      nonRetryable: true,
      details: [doc.result()],
    });
  }
}
