// Escalation through the real stack: the compiled worker, configured with an SNS topic, publishes an
// overdue document's notice to moto's SNS; an SQS queue subscribed to the topic reads it back.
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { localAwsConfig } from '@docket/local/stack/resources';
import { approveSignal, DocumentStatus, ReviewOverdueKey, statusQuery } from '../../lib/contract';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { eventually, LifecycleSuite } from '../support/lifecycle';

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
async function topicWithQueue(): Promise<{ topicArn: string; queueUrl: string }> {
  const name = `docket-escalations-${randomUUID().slice(0, 8)}`;
  const topic = await sns.send(new CreateTopicCommand({ Name: name }));
  const queue = await suite.aws.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const attrs = await suite.aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.TopicArn,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return { topicArn: topic.TopicArn!, queueUrl: queue.QueueUrl! };
}

test('an overdue document is marked ReviewOverdue and its notice reaches the SNS topic', async () => {
  const target = await topicWithQueue();
  queueUrl = target.queueUrl;
  const key = `e2e/${randomUUID()}/Northwind-invoice.pdf`;
  const source = await suite.upload(key, uniqueCorpusDocument('sample-invoice.pdf'));
  const documentId = `e2e-overdue-${randomUUID()}`;
  const profile = suite.profile({
    fieldThresholds: { 'Invoice Number': 99.9 },
    reviewSla: '2 seconds',
    reviewDeadline: '10 minutes',
  });
  const taskQueue = `e2e-${randomUUID()}`;
  const worker = await suite.spawnWorker(taskQueue, { DOCKET_ESCALATION_TOPIC_ARN: target.topicArn });
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

    await handle.signal(approveSignal, { reviewer: 'Rita', reviewerId: 'sub-rita' });
    expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
  } finally {
    await worker.kill();
  }
  await expect(suite.replayAll()).resolves.toEqual([]);
});

test('a worker without an escalation target says so when it starts', async () => {
  const worker = await suite.spawnWorker(`e2e-${randomUUID()}`);
  try {
    await eventually('the startup warning', () =>
      Promise.resolve(worker.output().includes('no escalation target') ? true : undefined),
    );
  } finally {
    await worker.kill();
  }
});
