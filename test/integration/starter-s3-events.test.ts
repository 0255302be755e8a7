// The S3-event starter against the real stack: its own bucket notifying its own queue (the shared
// input bucket's queue receives every other test's uploads), real SQS, S3 and Temporal clients.
// Workflows start on a task queue no worker polls: the starter's job ends at an acknowledged start.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  DeleteMessageCommand,
} from '@aws-sdk/client-sqs';
import pino from 'pino';
import { loadClientConfig } from '../../clients/config';
import { DocketClient } from '../../clients/documents';
import { eventDocumentId } from '../../clients/s3-event-starter/events';
import { S3EventStarter, type MessageOutcome } from '../../clients/s3-event-starter/starter';
import { stackEnv } from '@docket/local/stack/stack';
import { documentWorkflowId } from '../../lib/contract';
import { eventually } from '../support/lifecycle';
import { compiled, localAwsClients, testStack } from '../support/stack';

const stack = testStack();
const aws = localAwsClients(stack);
const run = randomUUID().slice(0, 8);
const bucket = `starter-test-${run}`;
const taskQueue = `starter-test-${run}`;
const repoRoot = path.resolve(__dirname, '..', '..');
let queueUrl: string;
let dlqUrl: string;
let docket: DocketClient;
let starter: S3EventStarter;
const started = new Set<string>();

beforeAll(async () => {
  Object.assign(process.env, stackEnv(stack));
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  dlqUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: `${bucket}-dlq` }))).QueueUrl!;
  queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: bucket }))).QueueUrl!;
  const arn = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await aws.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [{ QueueArn: arn.Attributes!.QueueArn, Events: ['s3:ObjectCreated:*'] }],
      },
    }),
  );
  // Documents start on the client's configured queue (DOCKET_TASK_QUEUE), as in the starter process.
  docket = await DocketClient.connect(loadClientConfig({ ...process.env, DOCKET_TASK_QUEUE: taskQueue }));
  starter = new S3EventStarter(
    aws.sqs,
    docket,
    {
      queueUrl,
      deadLetterQueueUrl: dlqUrl,
      defaultProfile: 'forms',
      prefixProfiles: [{ prefix: 'text/', profile: 'text' }],
      buckets: [bucket],
      waitSeconds: 1,
      batchSize: 10,
      visibilityTimeout: undefined,
    },
    pino({ level: 'silent' }),
  );
});

afterAll(async () => {
  // Nothing polls their task queue: end them so the shared dev server does not keep them open.
  await Promise.all(
    [...started].map((id) =>
      docket.temporal.workflow
        .getHandle(documentWorkflowId(id))
        .terminate('starter test done')
        .catch(() => undefined),
    ),
  );
  await docket?.close();
  aws.s3.destroy();
  aws.sqs.destroy();
  aws.kms.destroy();
});

async function put(key: string): Promise<string> {
  const res = await aws.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: `%PDF-1.7\n${randomUUID()}` }),
  );
  const id = eventDocumentId({ bucket, key, eTag: res.ETag!.replace(/"/g, '') });
  started.add(id);
  return id;
}

/** Visible plus in-flight messages of a queue. */
async function queueDepth(url: string): Promise<number> {
  const res = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/** The runs Temporal has for a document: the proof a redelivery did not start another. */
async function runs(documentId: string): Promise<string[]> {
  const ids: string[] = [];
  const query = `WorkflowId = '${documentWorkflowId(documentId)}'`;
  for await (const wf of docket.temporal.workflow.list({ query })) ids.push(wf.runId);
  return ids;
}

/** Polls with the starter until `count` messages were handled. */
async function drain(count: number): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  await eventually(`${count} message(s) handled`, async () => {
    outcomes.push(...(await starter.pollOnce()));
    return outcomes.length >= count ? true : undefined;
  });
  return outcomes;
}

/**
 * Takes the notification S3 sent for an upload off the queue, as the raw body a redelivery repeats
 * (dropping the s3:TestEvent moto sends when the notification is configured).
 */
async function notificationBody(fileName: string): Promise<string> {
  return eventually('the S3 notification', async () => {
    const res = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    const m = res.Messages?.[0];
    if (!m) return undefined;
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    return m.Body?.includes(fileName) ? m.Body : undefined;
  });
}

test('the starter process starts one workflow for an uploaded object and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [compiled('clients/s3-event-starter/main.js')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DOCKET_EVENTS_QUEUE_URL: queueUrl,
      DOCKET_EVENTS_DLQ_URL: dlqUrl,
      DOCKET_EVENTS_BUCKETS: bucket,
      DOCKET_EVENTS_WAIT_SECONDS: '1',
      DOCKET_TASK_QUEUE: taskQueue,
    },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually('the starter to run', async () =>
      output.includes('starter running') ? true : undefined,
    );
    // A space and a plus: S3 sends the key form-encoded ('my+scan+%2B1.pdf').
    const documentId = await put(`inbox/${run}/my scan +1.pdf`);
    const state = await eventually('the workflow', async () => (await runs(documentId))[0]);
    expect(state).toBeDefined();
    expect(await docket.temporal.workflow.getHandle(documentWorkflowId(documentId)).describe()).toMatchObject(
      {
        status: { name: 'RUNNING' },
        taskQueue,
      },
    );
    await eventually('the message deleted', async () =>
      (await queueDepth(queueUrl)) === 0 ? true : undefined,
    );
    expect(await runs(documentId)).toHaveLength(1);
    expect(output).not.toContain('my scan'); // keys are logged as a digest
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(output).toContain('starter stopped');
});

test('the same S3 event delivered twice, and again after the run closed, starts one run', async () => {
  const documentId = await put(`text/${run}/twice.pdf`);
  const body = await notificationBody('twice.pdf');
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));

  const outcomes = await drain(2);
  const starts = outcomes.flatMap((o) => (o.outcome === 'started' ? o.documents : []));
  expect(starts.map((d) => d.documentId)).toEqual([documentId, documentId]);
  expect(starts.filter((d) => d.started)).toHaveLength(1);
  expect(await queueDepth(queueUrl)).toBe(0);

  // A late redelivery after the document finished must not run it again.
  const handle = docket.temporal.workflow.getHandle(documentWorkflowId(documentId));
  // The text/ prefix maps to the text profile.
  expect(await (await handle.describe()).staticSummary()).toBe(`document ${documentId} · profile text`);
  await handle.terminate('simulate a finished document');
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  expect(await drain(1)).toEqual([{ outcome: 'started', documents: [{ documentId, started: false }] }]);
  expect(await runs(documentId)).toHaveLength(1);
});

test('the event of a file docket uploaded joins the document its upload started, not a second one', async () => {
  const documentId = `uploaded-${run}`;
  started.add(documentId);
  const key = `uploads/${run}/scan.pdf`;
  // What `docket start <file>` does: upload with the document id in the metadata, then start it.
  await aws.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `%PDF-1.7\n${randomUUID()}`,
      Metadata: { 'docket-document-id': documentId },
    }),
  );
  const first = await docket.start({
    source: `s3://${bucket}/${key}`,
    profile: 'forms',
    documentId,
  });
  expect(first.started).toBe(true);

  expect(await drain(1)).toEqual([{ outcome: 'started', documents: [{ documentId, started: false }] }]);
  expect(await runs(documentId)).toHaveLength(1);
  // The id the event alone would have made was never started.
  const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const eventId = eventDocumentId({ bucket, key, eTag: head.ETag!.replace(/"/g, '') });
  expect(await runs(eventId)).toEqual([]);
});

test('poison messages land in the dead-letter queue with a reason and leave the main queue', async () => {
  const gone = JSON.stringify({
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: bucket }, object: { key: `gone/${run}.pdf`, eTag: 'abc' } },
      },
    ],
  });
  const otherBucket = gone.replace(`"name":"${bucket}"`, '"name":"someone-elses-bucket"');
  const testEvent = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: bucket });
  for (const body of ['this is not json', gone, otherBucket, testEvent]) {
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  }

  const outcomes = await drain(4);
  expect(outcomes.filter((o) => o.outcome === 'ignored')).toEqual([
    { outcome: 'ignored', reason: 's3:TestEvent' },
  ]);
  expect(await queueDepth(queueUrl)).toBe(0);

  const reasons = new Map<string, string>();
  await eventually('3 dead letters', async () => {
    const res = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    for (const m of res.Messages ?? []) reasons.set(m.Body!, m.MessageAttributes?.reason?.StringValue ?? '');
    return reasons.size >= 3 ? true : undefined;
  });
  expect(reasons.get('this is not json')).toBe('body is not JSON');
  expect(reasons.get(gone)).toMatch(/^object gone/);
  expect(reasons.get(otherBucket)).toContain("bucket 'someone-elses-bucket' is not one this starter serves");
  expect(await runs(eventDocumentId({ bucket, key: `gone/${run}.pdf`, eTag: 'abc' }))).toEqual([]);
});
