/**
 * The S3-event starter's loop: long-poll the queue the input bucket notifies, start one document
 * workflow per created object, delete a message only once every start it asked for is acknowledged
 * by Temporal, and move messages that can never start to the dead-letter queue with the reason.
 * A failure that may pass (Temporal or S3 unavailable) leaves the message on the queue: SQS shows
 * it again after its visibility timeout, and the queue's redrive policy bounds the attempts.
 */
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type pino from 'pino';
import { NotFoundError, RequestError, type DocketClient, type StartResult } from '../documents';
import { eventDocumentId, keyDigest, parseS3EventMessage, profileForKey, type S3ObjectEvent } from './events';
import type { StarterConfig } from './config';

/** What became of one message. */
export type MessageOutcome =
  | { outcome: 'started'; documents: Pick<StartResult, 'documentId' | 'started'>[] }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'dead-lettered'; reason: string }
  /** Left on the queue for redelivery. */
  | { outcome: 'retry'; error: string };

/** A start that can never succeed: the message goes to the dead-letter queue. */
class PoisonError extends Error {}

export type S3EventStarterOptions = Pick<
  StarterConfig,
  | 'queueUrl'
  | 'deadLetterQueueUrl'
  | 'defaultProfile'
  | 'prefixProfiles'
  | 'buckets'
  | 'waitSeconds'
  | 'batchSize'
  | 'visibilityTimeout'
>;

export class S3EventStarter {
  private stopping = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly docket: DocketClient,
    private readonly options: S3EventStarterOptions,
    private readonly log: pino.Logger,
  ) {}

  /** Polls until {@link stop}; the batch in flight when stop is called is finished first. */
  async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.pollOnce();
      } catch (err) {
        if (this.stopping) break;
        // SQS itself failed: wait a little rather than spin, then poll again.
        this.log.error({ err: describe(err) }, 'receiving from the events queue failed');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /**
   * Stops polling once the receive in flight (at most the long-poll wait) and its batch are done.
   * The receive is not aborted: messages SQS hands to an abandoned long poll stay invisible for
   * the whole visibility timeout, delaying documents for nothing.
   */
  stop(): void {
    this.stopping = true;
  }

  /** One receive and the handling of every message it returned. */
  async pollOnce(): Promise<MessageOutcome[]> {
    const res = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: this.options.batchSize,
        WaitTimeSeconds: this.options.waitSeconds,
        VisibilityTimeout: this.options.visibilityTimeout,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return Promise.all((res.Messages ?? []).map((m) => this.handle(m)));
  }

  /** Handles one message; never throws, so one bad message cannot hold up its batch. */
  async handle(message: Message): Promise<MessageOutcome> {
    const messageId = message.MessageId;
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    const parsed = parseS3EventMessage(message.Body);
    let outcome: MessageOutcome;
    if (parsed.kind === 'poison') {
      outcome = { outcome: 'dead-lettered', reason: parsed.reason };
    } else if (parsed.kind === 'test-event') {
      outcome = { outcome: 'ignored', reason: 's3:TestEvent' };
    } else if (parsed.objects.length === 0) {
      outcome = { outcome: 'ignored', reason: `${parsed.ignored} event(s) other than ObjectCreated` };
    } else {
      outcome = await this.startAll(parsed.objects);
    }
    try {
      if (outcome.outcome === 'dead-lettered') await this.deadLetter(message, outcome.reason);
      if (outcome.outcome !== 'retry') await this.delete(message);
    } catch (err) {
      // Not deleted: it comes back and, its starts being idempotent, is handled again.
      outcome = { outcome: 'retry', error: `settling the message failed: ${describe(err)}` };
    }
    const meta = { messageId, receiveCount, ...outcome };
    if (outcome.outcome === 'retry') this.log.warn(meta, 'message left for redelivery');
    else if (outcome.outcome === 'dead-lettered')
      this.log.warn(meta, 'message moved to the dead-letter queue');
    else this.log.info(meta, 'message handled');
    return outcome;
  }

  private async startAll(objects: S3ObjectEvent[]): Promise<MessageOutcome> {
    // Every record starts (idempotently) before the message is settled: a redelivery after a partial
    // failure re-starts the ones that did start, which Temporal answers with "already started".
    const settled = await Promise.allSettled(objects.map((o) => this.start(o)));
    const poison = settled.find((s) => s.status === 'rejected' && s.reason instanceof PoisonError);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed?.status === 'rejected' && !poison) return { outcome: 'retry', error: describe(failed.reason) };
    if (poison?.status === 'rejected') {
      return { outcome: 'dead-lettered', reason: (poison.reason as Error).message };
    }
    return {
      outcome: 'started',
      documents: settled.flatMap((s) =>
        s.status === 'fulfilled' ? [{ documentId: s.value.documentId, started: s.value.started }] : [],
      ),
    };
  }

  private async start(object: S3ObjectEvent): Promise<StartResult> {
    const keyHash = keyDigest(object.bucket, object.key);
    if (!this.options.buckets.includes(object.bucket)) {
      throw new PoisonError(`bucket '${object.bucket}' is not one this starter serves`);
    }
    const documentId = eventDocumentId(object);
    const profile = profileForKey(object.key, this.options.prefixProfiles, this.options.defaultProfile);
    try {
      const result = await this.docket.start({
        source: `s3://${object.bucket}/${object.key}`,
        versionId: object.versionId,
        profile,
        documentId,
        // The task queue is the docket client's (DOCKET_TASK_QUEUE), as for every other client.
        // A redelivered event must not re-run a document that already finished.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // A file docket uploaded (docket start <file>) was started under its own id already.
        preferUploaderDocumentId: true,
      });
      this.log.info(
        { bucket: object.bucket, keyHash, documentId: result.documentId, profile, started: result.started },
        result.started ? 'document started' : 'document already started',
      );
      return result;
    } catch (err) {
      if (err instanceof NotFoundError) throw new PoisonError(`object gone (key sha256 ${keyHash})`);
      if (err instanceof RequestError) throw new PoisonError(err.message);
      throw err;
    }
  }

  private async deadLetter(message: Message, reason: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.deadLetterQueueUrl,
        // SQS refuses an empty body; the reason attribute says what was wrong with it.
        MessageBody: message.Body || '(empty body)',
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason },
          sourceQueue: { DataType: 'String', StringValue: this.options.queueUrl },
          ...(message.MessageId
            ? { sourceMessageId: { DataType: 'String', StringValue: message.MessageId } }
            : {}),
        },
      }),
    );
  }

  private async delete(message: Message): Promise<void> {
    await this.sqs.send(
      new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
    );
  }
}

/** Error name and message only: SDK errors can carry request bodies. */
function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
