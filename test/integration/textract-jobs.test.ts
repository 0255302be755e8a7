/**
 * Contract: async job semantics as docket relies on them — IN_PROGRESS until done, final states with
 * their messages, ClientRequestToken idempotency, OutputConfig in S3 with SSE-KMS, SNS completion.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  GetDocumentAnalysisCommand,
  GetDocumentTextDetectionCommand,
  InvalidJobIdException,
  StartDocumentAnalysisCommand,
  StartDocumentTextDetectionCommand,
  TextractClient,
  type Block,
} from '@aws-sdk/client-textract';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@docket/local/stack/ports';
import { localAwsConfig, localRegion } from '@docket/local/stack/resources';
import { startLocalTextract } from '@docket/local/textract/launch';
import { testStack } from '../support/stack';
import { topicWithQueue } from '../support/topic-queue';
import {
  contractBucket,
  corpusDocument,
  harness,
  waitForJob,
  type Harness,
} from '../fixtures/textract/harness';

let h: Harness;
let pdfKey: string;

beforeAll(async () => {
  h = await harness('jobs');
  pdfKey = await h.put('statement.pdf', corpusDocument('sample-invoice.pdf'));
});
afterEach(() => h.clearFaults());
afterAll(() => h.destroy());

const location = (name: string) => ({ S3Object: { Bucket: contractBucket, Name: name } });

test('a job is IN_PROGRESS for at least its minimum time, then SUCCEEDED with its pages', async () => {
  await h.setFaults({ documents: [{ match: '*/statement.pdf', jobMs: 1500 }] });
  const started = Date.now();
  const { JobId } = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(pdfKey) }),
  );
  expect(JobId).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
  const { first, inProgressPolls } = await waitForJob(h.textract, JobId ?? '', false);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  expect(inProgressPolls).toBeGreaterThan(0);
  expect(first.JobStatus).toBe('SUCCEEDED');
  expect(first.DocumentMetadata?.Pages).toBe(1);
  expect(first.Blocks?.[0]?.BlockType).toBe('PAGE');
  expect(first.Blocks?.every((b) => b.Page === 1)).toBe(true);
});

test('the same ClientRequestToken and parameters return the same job, without starting another', async () => {
  const start = () =>
    h.textract.send(
      new StartDocumentAnalysisCommand({
        DocumentLocation: location(pdfKey),
        FeatureTypes: ['FORMS', 'TABLES'],
        ClientRequestToken: 'jobs-idempotent-1',
        JobTag: 'jobs-tag',
      }),
    );
  const [a, b] = await Promise.all([start(), start()]);
  expect(b.JobId).toBe(a.JobId);
  await waitForJob(h.textract, a.JobId ?? '', true);
  const again = await start();
  expect(again.JobId).toBe(a.JobId);
  const other = await h.textract.send(
    new StartDocumentAnalysisCommand({
      DocumentLocation: location(pdfKey),
      FeatureTypes: ['FORMS', 'TABLES'],
    }),
  );
  expect(other.JobId).not.toBe(a.JobId);
});

test('a job forced to FAILED says why; one forced to PARTIAL_SUCCESS lists the failed pages', async () => {
  const twoPages = corpusDocument('textractor-multipage-doc.pdf');
  const failKey = await h.put('fail/doc.pdf', twoPages);
  const partialKey = await h.put('partial/doc.pdf', twoPages);
  await h.setFaults({
    documents: [
      { match: '*/fail/*', status: 'FAILED', statusMessage: 'forced failure for the test', jobMs: 0 },
      { match: '*/partial/*', status: 'PARTIAL_SUCCESS', failedPages: [2], jobMs: 0 },
    ],
  });
  const failed = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(failKey) }),
  );
  const partial = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(partialKey) }),
  );
  const f = (await waitForJob(h.textract, failed.JobId ?? '', false)).first;
  expect(f.JobStatus).toBe('FAILED');
  expect(f.StatusMessage).toBe('forced failure for the test');
  expect(f.Blocks ?? []).toHaveLength(0);
  const p = (await waitForJob(h.textract, partial.JobId ?? '', false)).first;
  expect(p.JobStatus).toBe('PARTIAL_SUCCESS');
  expect(p.Warnings).toEqual([expect.objectContaining({ Pages: [2] })]);
  expect(p.DocumentMetadata?.Pages).toBe(2);
  expect(new Set(p.Blocks?.map((b) => b.Page))).toEqual(new Set([1]));
});

test("another account cannot read a job's results", async () => {
  const { JobId } = await h.textract.send(
    new StartDocumentTextDetectionCommand({ DocumentLocation: location(pdfKey) }),
  );
  const stranger = await harness('jobs-stranger');
  try {
    await expect(stranger.textract.send(new GetDocumentAnalysisCommand({ JobId }))).rejects.toBeInstanceOf(
      InvalidJobIdException,
    );
  } finally {
    stranger.destroy();
  }
});

test('OutputConfig writes <prefix>/<JobId>/1..N and .s3_access_check, encrypted with the KMS key', async () => {
  const stack = testStack();
  const key = await h.put('output/large.pdf', corpusDocument('sample-invoice.pdf'));
  // 3 pages × 496 blocks: two output parts of up to 1000 blocks.
  await h.setFaults({ documents: [{ match: '*/output/large.pdf', synthetic: { pages: 3 }, jobMs: 0 }] });
  const { JobId } = await h.textract.send(
    new StartDocumentAnalysisCommand({
      DocumentLocation: location(key),
      FeatureTypes: ['TABLES'],
      OutputConfig: { S3Bucket: contractBucket, S3Prefix: 'jobs-output' },
      KMSKeyId: stack.resources.kmsAlias,
    }),
  );
  const { first } = await waitForJob(h.textract, JobId ?? '', true);
  expect(first.JobStatus).toBe('SUCCEEDED');

  const listed = await h.s3.send(
    new ListObjectsV2Command({ Bucket: contractBucket, Prefix: `jobs-output/${JobId}/` }),
  );
  const names = (listed.Contents ?? []).map((o) => o.Key?.slice(`jobs-output/${JobId}/`.length)).sort();
  expect(names).toEqual(['.s3_access_check', '1', '2']);

  const fromS3: Block[] = [];
  for (const part of ['1', '2']) {
    const objectKey = `jobs-output/${JobId}/${part}`;
    const head = await h.s3.send(new HeadObjectCommand({ Bucket: contractBucket, Key: objectKey }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toContain(stack.resources.kmsAlias.replace('alias/', ''));
    const obj = await h.s3.send(new GetObjectCommand({ Bucket: contractBucket, Key: objectKey }));
    const page = JSON.parse((await obj.Body?.transformToString()) ?? '{}') as {
      JobStatus: string;
      Blocks: Block[];
    };
    expect(page.JobStatus).toBe('SUCCEEDED');
    fromS3.push(...page.Blocks);
  }
  expect(fromS3).toHaveLength(3 * 496);
  expect(fromS3.map((b) => b.Id)).toEqual(
    [...(first.Blocks ?? []), ...((await nextPages(first.NextToken, JobId ?? '')) ?? [])].map((b) => b.Id),
  );
});

async function nextPages(token: string | undefined, jobId: string): Promise<Block[]> {
  const out: Block[] = [];
  while (token) {
    const res = await h.textract.send(new GetDocumentAnalysisCommand({ JobId: jobId, NextToken: token }));
    out.push(...(res.Blocks ?? []));
    token = res.NextToken;
  }
  return out;
}

test('NotificationChannel publishes the completion message, JobTag included, to the SNS topic', async () => {
  const aws = localAwsConfig(testStack().awsEndpoint);
  const sns = new SNSClient(aws);
  const sqs = new SQSClient(aws);
  try {
    const { topicArn, queueUrl } = await topicWithQueue(sns, sqs, 'textract-contract-jobs');
    await h.setFaults({ documents: [{ match: '*/statement.pdf', jobMs: 0 }] });
    const { JobId } = await h.textract.send(
      new StartDocumentAnalysisCommand({
        DocumentLocation: location(pdfKey),
        FeatureTypes: ['FORMS'],
        JobTag: 'claim:42',
        NotificationChannel: {
          SNSTopicArn: topicArn,
          RoleArn: 'arn:aws:iam::123456789012:role/textract-publish',
        },
      }),
    );
    const deadline = Date.now() + 30_000;
    let body: Record<string, unknown> | undefined;
    while (!body && Date.now() < deadline) {
      const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
      const found = (res.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>);
      body = found.find((m) => m.JobId === JobId);
    }
    expect(body).toEqual({
      JobId,
      Status: 'SUCCEEDED',
      API: 'StartDocumentAnalysis',
      JobTag: 'claim:42',
      Timestamp: expect.any(Number) as unknown,
      DocumentLocation: { S3ObjectName: pdfKey, S3Bucket: contractBucket },
    });
  } finally {
    sns.destroy();
    sqs.destroy();
  }
});

test('a finished job is kept for its retention time, then its JobId is InvalidJobIdException', async () => {
  // A service of its own whose results are kept 1.5 s instead of Textract's 7 days.
  const host = '127.0.0.1';
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-textract-ttl-'));
  const service = await startLocalTextract({
    host,
    port: await freePort(host),
    awsEndpoint: testStack().awsEndpoint,
    logFile: path.join(logs, 'textract.log'),
    env: { DOCKET_TEXTRACT_RESULT_TTL_MS: '1500', DOCKET_TEXTRACT_MIN_JOB_MS: '0' },
  });
  const textract = new TextractClient({
    endpoint: service.endpoint,
    region: localRegion,
    credentials: { accessKeyId: 'contract-ttl', secretAccessKey: 'local-placeholder' },
    maxAttempts: 1,
  });
  try {
    const start = new StartDocumentTextDetectionCommand({ DocumentLocation: location(pdfKey) });
    const { JobId } = await textract.send(start);
    const { first } = await waitForJob(textract, JobId ?? '', false);
    expect(first.JobStatus).toBe('SUCCEEDED');
    await new Promise((resolve) => setTimeout(resolve, 1800));
    const get = new GetDocumentTextDetectionCommand({ JobId });
    await expect(textract.send(get)).rejects.toBeInstanceOf(InvalidJobIdException);
    await expect(textract.send(get)).rejects.toThrow(`JobId ${JobId} does not exist or has expired`);
  } finally {
    textract.destroy();
    await service.process.stop();
    fs.rmSync(logs, { recursive: true, force: true });
  }
});
