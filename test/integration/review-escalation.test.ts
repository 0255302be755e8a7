// Escalation through the real stack: the compiled worker, configured with an SNS topic, publishes an
// overdue document's notice to moto's SNS; an SQS queue subscribed to the topic reads it back. The
// same worker's Prometheus endpoint counts the reviewer's corrections by profile and named field.
import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { freePort } from '@docket/local/stack/ports';
import { localAwsConfig } from '@docket/local/stack/resources';
import {
  approveSignal,
  correctSignal,
  DocumentStatus,
  ReviewOverdueKey,
  statusQuery,
} from '../../lib/contract';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { eventually, LifecycleSuite } from '../support/lifecycle';
import { topicWithQueue as subscribedQueue } from '../support/topic-queue';

const suite = new LifecycleSuite('escalation');
const sns = new SNSClient(localAwsConfig(suite.stack.awsEndpoint));
let queueUrl: string | undefined;

beforeAll(() => suite.setUp(), 120_000);
afterAll(async () => {
  if (queueUrl)
    await suite.aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  sns.destroy();
  await suite.tearDown();
});

/** A topic with an SQS queue subscribed (raw delivery: the queue gets the notice's own JSON). */
const topicWithQueue = () =>
  subscribedQueue(sns, suite.aws.sqs, `docket-escalations-${randomUUID().slice(0, 8)}`);

/** Every docket_review_corrections series of a Prometheus exposition: labels and value. */
function corrections(text: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .map((line) => /^docket_review_corrections(?:_total)?\{(.*)\} (\S+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      labels: Object.fromEntries(
        [...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l): [string, string] => [l[1] ?? '', l[2] ?? '']),
      ),
      value: Number(m[2]),
    }));
}

test('an overdue document is marked ReviewOverdue, its notice reaches the SNS topic, corrections are counted', async () => {
  const target = await topicWithQueue();
  queueUrl = target.queueUrl;
  const key = `e2e/${randomUUID()}/Northwind-invoice.pdf`;
  const source = await suite.upload(key, uniqueCorpusDocument('sample-invoice.pdf'));
  const documentId = `e2e-overdue-${randomUUID()}`;
  // Every field goes to review: 'Invoice Number' by a threshold the profile names, the rest by default.
  const profile = suite.profile({
    defaultThreshold: 99.99,
    fieldThresholds: { 'Invoice Number': 99.99 },
    reviewSla: '2 seconds',
    reviewDeadline: '10 minutes',
  });
  const taskQueue = `e2e-${randomUUID()}`;
  const port = await freePort('127.0.0.1');
  const worker = await suite.spawnWorker(taskQueue, {
    DOCKET_ESCALATION_TOPIC_ARN: target.topicArn,
    DOCKET_METRICS_ADDRESS: `127.0.0.1:${port}`,
  });
  try {
    expect(worker.output()).not.toContain('no escalation target');
    const handle = await suite.start(taskQueue, { documentId, source, profile });
    const received = await eventually(
      'the escalation notice on the queue',
      async () => {
        const res = await suite.aws.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: target.queueUrl,
            WaitTimeSeconds: 1,
            MaxNumberOfMessages: 1,
          }),
        );
        return res.Messages?.[0]?.Body;
      },
      90_000,
    );
    const notice = JSON.parse(received) as Record<string, unknown>;
    const state = await handle.query(statusQuery);
    expect(notice).toEqual({
      type: 'docket.review.overdue',
      documentId,
      profile: profile.name,
      status: DocumentStatus.AWAITING_REVIEW,
      overdueSince: state.reviewSlaAt,
      reviewDueAt: state.reviewDueAt,
    });
    // No file name, key or field value travels in the notice.
    expect(received).not.toContain('Northwind');
    expect(received).not.toContain(key);
    expect(state.overdue).toBe(true);
    expect((await handle.describe()).typedSearchAttributes.get(ReviewOverdueKey)).toBe(true);
    // Operators find it by the search attribute.
    const listed = await eventually('the overdue document in visibility', async () => {
      for await (const wf of suite.client.workflow.list({
        query: `ReviewOverdue = true AND WorkflowId = '${handle.workflowId}'`,
      })) {
        return wf.workflowId;
      }
      return undefined;
    });
    expect(listed).toBe(handle.workflowId);

    // One correction of the field the profile names, one of a field it does not (an OCR'd label).
    const unnamed = state.review.find((i) => i.fieldId && i.field !== 'Invoice Number');
    expect(unnamed?.fieldId).toBeDefined();
    const rita = { reviewer: 'Rita', reviewerId: 'sub-rita' };
    await handle.signal(correctSignal, {
      ...rita,
      fields: { 'Invoice Number': 'INV-0042', [unnamed!.fieldId!]: 'corrected' },
    });
    await handle.signal(approveSignal, rita);
    const result = await handle.result();
    expect(result.status).toBe(DocumentStatus.SUCCEEDED);
    expect(result.review).toEqual({
      profile: profile.name,
      sampled: false,
      correctedFields: ['Invoice Number', 'other'],
      reviewers: 1,
    });
    const series = await eventually('the corrections metric', async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const found = corrections(text).filter((c) => c.labels.profile === profile.name);
      return found.length === 2 ? { found, text } : undefined;
    });
    expect(series.found.map((c) => [c.labels.field, c.value]).sort()).toEqual([
      ['Invoice Number', 1],
      ['other', 1],
    ]);
    expect(series.text).not.toContain(unnamed!.field);
  } finally {
    await worker.kill();
  }
  await expect(suite.replayAll()).resolves.toEqual([]);
});

test('a worker without an escalation target says so when it starts', async () => {
  // The stack's own escalation topic left out: empty is unset.
  const worker = await suite.spawnWorker(`e2e-${randomUUID()}`, { DOCKET_ESCALATION_TOPIC_ARN: '' });
  try {
    await eventually('the startup warning', () =>
      Promise.resolve(worker.output().includes('no escalation target') ? true : undefined),
    );
  } finally {
    await worker.kill();
  }
});
