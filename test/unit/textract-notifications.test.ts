import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  NotificationOutcome,
  parseCompletionMessage,
  TextractNotificationListener,
  type CompletionNotice,
} from '../../workers/textract-notifications';

const textractMessage = {
  JobId: 'a1b2c3',
  Status: 'SUCCEEDED',
  API: 'StartDocumentAnalysis',
  JobTag: 'doc-42',
  Timestamp: 1764640000000,
  DocumentLocation: { S3ObjectName: 'in/scan.pdf', S3Bucket: 'docket-input' },
};

/** What SNS puts in the SQS body (raw message delivery off). */
function snsEnvelope(message: unknown): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'm-1',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:docket-textract-events',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-12-02T03:00:00.000Z',
  });
}

describe('parseCompletionMessage', () => {
  test('reads the job id, status, finish time and document id out of the SNS envelope', () => {
    expect(parseCompletionMessage(snsEnvelope(textractMessage))).toEqual({
      ok: true,
      notice: {
        documentId: 'doc-42',
        signal: { jobId: 'a1b2c3', status: 'SUCCEEDED', finishedAt: 1764640000000 },
      },
    });
  });

  test('reads a raw-delivered message (no envelope) the same way', () => {
    const parsed = parseCompletionMessage(JSON.stringify({ ...textractMessage, Status: 'FAILED' }));
    expect(parsed).toEqual({
      ok: true,
      notice: {
        documentId: 'doc-42',
        signal: { jobId: 'a1b2c3', status: 'FAILED', finishedAt: 1764640000000 },
      },
    });
  });

  test.each([
    ['not JSON', 'hello', /not a JSON object/],
    ['a JSON array', '[1]', /not a JSON object/],
    [
      'an SNS subscription confirmation',
      JSON.stringify({ Type: 'SubscriptionConfirmation' }),
      /not a Notification/,
    ],
    ['an envelope around non-JSON', snsEnvelope('oops'), /Message is not a JSON object/],
    ['no JobId', snsEnvelope({ ...textractMessage, JobId: undefined }), /JobId/],
    ['an unknown Status', snsEnvelope({ ...textractMessage, Status: 'DONE' }), /Status/],
    ['an API that is not Start*', snsEnvelope({ ...textractMessage, API: 'GetDocumentAnalysis' }), /API/],
    ['no JobTag', snsEnvelope({ ...textractMessage, JobTag: undefined }), /JobTag/],
    ['a JobTag Textract would refuse', snsEnvelope({ ...textractMessage, JobTag: 'in/scan.pdf' }), /JobTag/],
    ['a string Timestamp', snsEnvelope({ ...textractMessage, Timestamp: 'yesterday' }), /Timestamp/],
  ])('refuses %s, naming the field and not its value', (_name, body, reason) => {
    const parsed = parseCompletionMessage(body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(reason);
    expect(parsed.reason).not.toContain('scan');
  });

  test('refuses an empty body', () => {
    expect(parseCompletionMessage(undefined)).toEqual({ ok: false, reason: 'body is not a JSON object' });
  });
});

/**
 * An SQS queue in memory: receive hands out what is queued or waits for a push (or the listener's
 * abort); delete records the receipt handle.
 */
function fakeQueue(bodies: string[]) {
  let next = 0;
  const queued: Message[] = [];
  const wake: Array<() => void> = [];
  const waiting: Array<() => void> = [];
  const push = (Body: string) => {
    queued.push({ Body, ReceiptHandle: `r-${next}`, MessageId: `m-${next}` });
    next++;
    wake.splice(0).forEach((resolve) => resolve());
  };
  bodies.forEach(push);
  const deleted: string[] = [];
  const sqs = {
    send: async (command: unknown, options?: { abortSignal?: AbortSignal }) => {
      if (command instanceof ReceiveMessageCommand) {
        for (;;) {
          const batch = queued.splice(0, command.input.MaxNumberOfMessages ?? 1);
          if (batch.length > 0) return { Messages: batch };
          waiting.splice(0).forEach((resolve) => resolve());
          await new Promise<void>((resolve, reject) => {
            wake.push(resolve);
            options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')));
          });
        }
      }
      if (command instanceof DeleteMessageCommand) {
        deleted.push(command.input.ReceiptHandle ?? '');
        return {};
      }
      throw new Error('unexpected command');
    },
  } as unknown as SQSClient;
  /** Resolves once the listener handled everything queued and asks for more. */
  const idle = () => new Promise<void>((resolve) => waiting.push(resolve));
  return { sqs, deleted, idle, push };
}

const quietLog = { info: () => undefined, warn: () => undefined };

async function listen(bodies: string[], signal: (n: CompletionNotice) => Promise<'signalled' | 'not-found'>) {
  const queue = fakeQueue(bodies);
  const outcomes: NotificationOutcome[] = [];
  const listener = new TextractNotificationListener({
    sqs: queue.sqs,
    queueUrl: 'http://sqs.local/123456789012/completions',
    signal,
    log: quietLog,
    onOutcome: (o) => outcomes.push(o),
  });
  const idle = queue.idle();
  listener.start();
  await idle;
  await listener.stop();
  return { outcomes, deleted: queue.deleted };
}

describe('TextractNotificationListener', () => {
  test('signals the document named by the JobTag, then deletes the message', async () => {
    const signalled: CompletionNotice[] = [];
    const { outcomes, deleted } = await listen([snsEnvelope(textractMessage)], async (n) => {
      signalled.push(n);
      return 'signalled';
    });
    expect(signalled).toEqual([
      { documentId: 'doc-42', signal: { jobId: 'a1b2c3', status: 'SUCCEEDED', finishedAt: 1764640000000 } },
    ]);
    expect(outcomes).toEqual([NotificationOutcome.SIGNALLED]);
    expect(deleted).toEqual(['r-0']);
  });

  test('deletes and counts malformed messages and messages for no running document, and keeps going', async () => {
    const other = { ...textractMessage, JobId: 'other-job', JobTag: 'doc-gone' };
    const { outcomes, deleted } = await listen(
      ['garbage', snsEnvelope(other), snsEnvelope(textractMessage)],
      async (n) => (n.documentId === 'doc-gone' ? 'not-found' : 'signalled'),
    );
    expect(outcomes.sort()).toEqual(
      [
        NotificationOutcome.MALFORMED,
        NotificationOutcome.UNKNOWN_WORKFLOW,
        NotificationOutcome.SIGNALLED,
      ].sort(),
    );
    expect(deleted.sort()).toEqual(['r-0', 'r-1', 'r-2']);
  });

  test('a slow signal does not hold up the next message: it is received and signalled meanwhile', async () => {
    const queue = fakeQueue([snsEnvelope(textractMessage)]);
    const signalled: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const listener = new TextractNotificationListener({
      sqs: queue.sqs,
      queueUrl: 'http://sqs.local/q',
      signal: async (n) => {
        // The first document's signal hangs (a slow Temporal frontend) until the second is signalled.
        if (n.signal.jobId === textractMessage.JobId) await new Promise<void>((r) => (releaseFirst = r));
        signalled.push(n.signal.jobId);
        if (n.signal.jobId === 'later-job') releaseFirst();
        return 'signalled';
      },
      log: quietLog,
    });
    const first = queue.idle();
    listener.start();
    await first;
    queue.push(snsEnvelope({ ...textractMessage, JobId: 'later-job', JobTag: 'doc-43' }));
    await listener.stop().then(
      () => undefined,
      () => undefined,
    );
    expect(signalled).toEqual(['later-job', textractMessage.JobId]);
    expect(queue.deleted.sort()).toEqual(['r-0', 'r-1']);
  });

  test('a redelivered message for a job already signalled is deleted without a second signal', async () => {
    let signals = 0;
    const queue = fakeQueue([snsEnvelope(textractMessage)]);
    const outcomes: NotificationOutcome[] = [];
    const listener = new TextractNotificationListener({
      sqs: queue.sqs,
      queueUrl: 'http://sqs.local/q',
      signal: async () => {
        signals++;
        return 'signalled';
      },
      log: quietLog,
      onOutcome: (o) => outcomes.push(o),
    });
    const first = queue.idle();
    listener.start();
    await first;
    // SQS delivers the same message again (at-least-once), in a later batch.
    const second = queue.idle();
    queue.push(snsEnvelope(textractMessage));
    await second;
    await listener.stop();
    expect(signals).toBe(1);
    expect(outcomes).toEqual([NotificationOutcome.SIGNALLED, NotificationOutcome.DUPLICATE]);
    expect(queue.deleted).toEqual(['r-0', 'r-1']);
  });

  test('a failed signal leaves the message in the queue for redelivery, and the listener carries on', async () => {
    const second = { ...textractMessage, JobId: 'job-2', JobTag: 'doc-43' };
    const { outcomes, deleted } = await listen(
      [snsEnvelope(textractMessage), snsEnvelope(second)],
      async (n) => {
        if (n.documentId === 'doc-42')
          throw Object.assign(new Error('unavailable'), { name: 'ServiceError' });
        return 'signalled';
      },
    );
    expect(outcomes.sort()).toEqual(
      [NotificationOutcome.SIGNAL_FAILED, NotificationOutcome.SIGNALLED].sort(),
    );
    expect(deleted).toEqual(['r-1']);
  });
});
