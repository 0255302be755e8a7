/*
 * The Textract completion listener: long-polls the SQS queue subscribed to the Textract SNS topic,
 * turns each completion message into the document workflow's textractCompleted signal (the JobTag is
 * the document id), then deletes the message. Malformed messages, messages for unknown or closed
 * workflows and duplicates are deleted and counted; a failed signal leaves the message for SQS to
 * deliver again. Logs carry job and document ids only, never the document's S3 location.
 */
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { documentWorkflowId, textractCompletedSignal, type TextractCompletedInput } from '../lib/contract';
import { jobEndedSignal, textractQuotaWorkflowId } from '../lib/quota';

/** What became of one message (the label of docket_textract_notifications). */
export const NotificationOutcome = {
  SIGNALLED: 'signalled',
  MALFORMED: 'malformed',
  UNKNOWN_WORKFLOW: 'unknown_workflow',
  DUPLICATE: 'duplicate',
  SIGNAL_FAILED: 'signal_failed',
} as const;
export type NotificationOutcome = (typeof NotificationOutcome)[keyof typeof NotificationOutcome];

/** A completion message the workflow can be told about. */
export interface CompletionNotice {
  /** The JobTag: the document id (activities/textract.ts jobTag()). */
  documentId: string;
  signal: TextractCompletedInput;
}

export type ParsedNotification = { ok: true; notice: CompletionNotice } | { ok: false; reason: string };

const jobTagPattern = /^[a-zA-Z0-9_.:-]{1,64}$/;
const statuses = new Set(['SUCCEEDED', 'FAILED', 'ERROR', 'PARTIAL_SUCCESS']);

/**
 * Reads an SQS body: the SNS envelope (`{"Type":"Notification","Message":"<json>"}`) or, with raw
 * message delivery, Textract's message itself: `{JobId, Status, API, JobTag, Timestamp,
 * DocumentLocation}`. Reasons name the field at fault, never its value.
 */
export function parseCompletionMessage(body: string | undefined): ParsedNotification {
  const outer = parseObject(body);
  if (!outer) return { ok: false, reason: 'body is not a JSON object' };
  let message = outer;
  if (outer.Type !== undefined || outer.TopicArn !== undefined) {
    if (outer.Type !== 'Notification') return { ok: false, reason: 'SNS envelope is not a Notification' };
    const inner = parseObject(typeof outer.Message === 'string' ? outer.Message : undefined);
    if (!inner) return { ok: false, reason: 'SNS Message is not a JSON object' };
    message = inner;
  }
  const { JobId, Status, API, JobTag, Timestamp } = message;
  if (typeof JobId !== 'string' || JobId === '') return { ok: false, reason: 'JobId missing' };
  if (typeof Status !== 'string' || !statuses.has(Status)) return { ok: false, reason: 'Status not known' };
  if (typeof API !== 'string' || !API.startsWith('Start')) return { ok: false, reason: 'API not a Start*' };
  if (typeof JobTag !== 'string' || !jobTagPattern.test(JobTag)) {
    return { ok: false, reason: 'JobTag missing or not a document id' };
  }
  if (Timestamp !== undefined && typeof Timestamp !== 'number') {
    return { ok: false, reason: 'Timestamp not a number' };
  }
  const signal: TextractCompletedInput = {
    jobId: JobId,
    status: Status,
    ...(Timestamp !== undefined ? { finishedAt: Timestamp } : {}),
  };
  return { ok: true, notice: { documentId: JobTag, signal } };
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** How a notice reaches its workflow: 'signalled', or 'not-found' for an unknown or closed workflow. */
export type SignalCompletion = (notice: CompletionNotice) => Promise<'signalled' | 'not-found'>;

/**
 * Signals the document's workflow through Temporal; an unknown or closed workflow is 'not-found'.
 * `governed` (this deployment caps concurrent jobs): the document's lease is given back first, to the
 * quota workflow of the document's own task queue (read from Temporal: listeners of one SQS queue may
 * serve several), as the job no longer counts against the account's cap, and the signal says so. No
 * quota workflow there: the document's collection releases as without a listener.
 */
export function signalDocumentWorkflow(client: Client, governed = false): SignalCompletion {
  return async ({ documentId, signal }) => {
    const handle = client.workflow.getHandle(documentWorkflowId(documentId));
    try {
      let leaseReleasedBy: string | undefined;
      if (governed) {
        const quotaWorkflowId = textractQuotaWorkflowId((await handle.describe()).taskQueue);
        leaseReleasedBy = await client.workflow
          .getHandle(quotaWorkflowId)
          .signal(jobEndedSignal, { workflowId: handle.workflowId, jobId: signal.jobId })
          .then(
            () => quotaWorkflowId,
            (err: unknown) => {
              if (err instanceof WorkflowNotFoundError) return undefined;
              throw err;
            },
          );
      }
      await handle.signal(textractCompletedSignal, leaseReleasedBy ? { ...signal, leaseReleasedBy } : signal);
      return 'signalled';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'not-found';
      throw err;
    }
  };
}

export interface ListenerLogger {
  info(meta: object, message: string): void;
  warn(meta: object, message: string): void;
}

export interface NotificationListenerOptions {
  sqs: SQSClient;
  queueUrl: string;
  signal: SignalCompletion;
  log: ListenerLogger;
  /** Called once per message with what became of it (metrics, tests). */
  onOutcome?: (outcome: NotificationOutcome) => void;
  /** SQS long-poll wait. @default 20 */
  waitTimeSeconds?: number;
  /** Job ids remembered as already signalled, so a redelivered message is not signalled again. @default 10000 */
  rememberJobs?: number;
}

/** Runs until stop(): receive, handle each message, repeat. */
export class TextractNotificationListener {
  private readonly abort = new AbortController();
  private readonly signalled = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(private readonly options: NotificationListenerOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops polling; resolves once the message in hand is handled. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { sqs, queueUrl, log } = this.options;
    const inFlight = new Set<Promise<void>>();
    const maxInFlight = 50;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      let messages: Message[];
      try {
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: this.options.waitTimeSeconds ?? 20,
          }),
          { abortSignal: this.abort.signal },
        );
        messages = res.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        failures++;
        log.warn({ error: (err as Error).name, failures }, 'textract notification receive failed');
        await pause(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), this.abort.signal);
        continue;
      }
      // Handled while the next receive waits: a message arriving meanwhile is not held up behind
      // this batch's signals. Bounded, so a flood cannot open unbounded signal calls.
      for (const m of messages) {
        const handled: Promise<void> = this.handle(m).finally(() => inFlight.delete(handled));
        inFlight.add(handled);
      }
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  /** Handles one message; never throws. Exposed for tests through the public API only (start/stop). */
  private async handle(message: Message): Promise<void> {
    const { log } = this.options;
    const parsed = parseCompletionMessage(message.Body);
    let outcome: NotificationOutcome;
    if (!parsed.ok) {
      outcome = NotificationOutcome.MALFORMED;
      log.warn({ reason: parsed.reason }, 'malformed textract notification dropped');
    } else if (this.signalled.has(parsed.notice.signal.jobId)) {
      outcome = NotificationOutcome.DUPLICATE;
    } else {
      const { documentId, signal } = parsed.notice;
      try {
        const result = await this.options.signal(parsed.notice);
        if (result === 'signalled') {
          outcome = NotificationOutcome.SIGNALLED;
          this.remember(signal.jobId);
          log.info(
            { documentId, jobId: signal.jobId, status: signal.status },
            'textract completion signalled',
          );
        } else {
          outcome = NotificationOutcome.UNKNOWN_WORKFLOW;
          log.info({ documentId, jobId: signal.jobId }, 'textract notification for no running document');
        }
      } catch (err) {
        // Left in the queue: SQS delivers it again after its visibility timeout.
        this.options.onOutcome?.(NotificationOutcome.SIGNAL_FAILED);
        log.warn({ documentId, jobId: signal.jobId, error: (err as Error).name }, 'textract signal failed');
        return;
      }
    }
    this.options.onOutcome?.(outcome);
    try {
      await this.options.sqs.send(
        new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    } catch (err) {
      // Delivered again later, then handled as a duplicate (or signalled again: harmless).
      log.warn({ error: (err as Error).name }, 'textract notification delete failed');
    }
  }

  private remember(jobId: string): void {
    this.signalled.add(jobId);
    const limit = this.options.rememberJobs ?? 10_000;
    if (this.signalled.size > limit) {
      const oldest = this.signalled.values().next().value;
      if (oldest !== undefined) this.signalled.delete(oldest);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
