// Every client starts documents on the configured DOCKET_TASK_QUEUE, not on the built-in default:
// the CLI, the HTTP API and the S3-event starter, each from its own loader, through the real
// DocketClient. Temporal is a recording stand-in and S3 answers HeadObject from memory, so nothing
// listens and nothing leaves the process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { WorkflowStartOptions } from '@temporalio/client';
import pino from 'pino';
import { loadApiConfig } from '../../clients/api/config';
import { buildApi } from '../../clients/api/server';
import { main as cli } from '../../clients/cli';
import { DocketClient } from '../../clients/documents';
import { loadStarterConfig } from '../../clients/s3-event-starter/config';
import { S3EventStarter } from '../../clients/s3-event-starter/starter';
import { documentTaskQueue, type DocumentWorkflowInput } from '../../lib/contract';
import { people, testAudience, testAuthConfig, testIssuer, testIssuerKeys } from '../support/tokens';

/** What the stand-in Temporal client was asked to start (the `mock` prefix lets jest.mock see it). */
const mockStarts: WorkflowStartOptions[] = [];

jest.mock('@temporalio/client', () => {
  const actual = jest.requireActual<Record<string, unknown>>('@temporalio/client');
  class RecordingClient {
    readonly workflow = {
      start: (_type: string, options: WorkflowStartOptions) => {
        mockStarts.push(options);
        return Promise.resolve({ workflowId: options.workflowId });
      },
    };
  }
  return {
    ...actual,
    Connection: { connect: () => Promise.resolve({ close: () => Promise.resolve() }) },
    Client: RecordingClient,
  };
});

const configuredQueue = 'docket-documents-eu';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-queue-'));
const profilesFile = path.join(dir, 'profiles.json');
fs.writeFileSync(
  profilesFile,
  JSON.stringify({
    slow: { textract: { api: 'TEXT_DETECTION' }, defaultThreshold: 0, heartbeatTimeout: '15 seconds' },
  }),
);
const env = {
  DOCKET_KMS_KEY_ID: 'alias/docket',
  DOCKET_INPUT_BUCKET: 'docket-input',
  DOCKET_OUTPUT_BUCKET: 'docket-output',
  DOCKET_PROFILES_FILE: profilesFile,
  DOCKET_TASK_QUEUE: configuredQueue,
  DOCKET_EVENTS_QUEUE_URL: 'http://sqs.local/123/events',
  DOCKET_EVENTS_DLQ_URL: 'http://sqs.local/123/events-dlq',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  DOCKET_AUTH_ISSUER: testIssuer,
  DOCKET_AUTH_AUDIENCE: testAudience,
  DOCKET_AUTH_CLIENT_ID: 'docket-web',
};

beforeEach(() => {
  mockStarts.length = 0;
  // Every source exists and carries no uploader metadata.
  jest.spyOn(S3Client.prototype, 'send').mockResolvedValue({ Metadata: {} } as never);
});
afterEach(() => jest.restoreAllMocks());
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function lastStart(): { taskQueue: string; input: DocumentWorkflowInput } {
  expect(mockStarts).toHaveLength(1);
  const options = mockStarts[0]!;
  return { taskQueue: options.taskQueue, input: (options.args as [DocumentWorkflowInput])[0] };
}

test('the queue under test is not the default, or these tests would prove nothing', () => {
  expect(configuredQueue).not.toBe(documentTaskQueue);
});

test('the CLI starts on DOCKET_TASK_QUEUE, with the file profile and its heartbeatTimeout', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const code = await cli(['start', 's3://docket-input/in/scan.pdf', '--profile', 'slow']);
    expect(code).toBe(0);
  } finally {
    process.env = saved;
    process.exitCode = undefined;
  }
  const { taskQueue, input } = lastStart();
  expect(taskQueue).toBe(configuredQueue);
  expect(input.profile).toMatchObject({ name: 'slow', heartbeatTimeout: '15 seconds' });
});

test('the HTTP API starts on DOCKET_TASK_QUEUE', async () => {
  const config = loadApiConfig(env);
  const docket = await DocketClient.connect(config.client);
  const issuer = await testIssuerKeys({ ...testAuthConfig, ...config.auth });
  const app = buildApi(docket, {
    defaultProfile: config.defaultProfile,
    auth: { verifier: issuer.verifier, clientId: config.auth.clientId, publicUrl: config.auth.publicUrl },
  });
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/documents',
      headers: { authorization: `Bearer ${await issuer.sign({ ...people.sam })}` },
      payload: { source: 's3://docket-input/in/scan.pdf', profile: 'slow' },
    });
    expect(res.statusCode).toBe(202);
  } finally {
    await app.close();
    await docket.close();
  }
  const { taskQueue, input } = lastStart();
  expect(taskQueue).toBe(configuredQueue);
  expect(input.profile.heartbeatTimeout).toBe('15 seconds');
});

test('the S3-event starter starts on DOCKET_TASK_QUEUE', async () => {
  const config = loadStarterConfig(env);
  const docket = await DocketClient.connect(config.client);
  const sqs = { send: () => Promise.resolve({}) } as unknown as SQSClient;
  const starter = new S3EventStarter(sqs, docket, config, pino({ level: 'silent' }));
  try {
    const outcome = await starter.handle({
      MessageId: 'm-1',
      ReceiptHandle: 'r-1',
      Body: JSON.stringify({
        Records: [
          {
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: 'docket-input' }, object: { key: 'in/scan.pdf', eTag: 'abc' } },
          },
        ],
      }),
    });
    expect(outcome).toMatchObject({ outcome: 'started' });
  } finally {
    await docket.close();
  }
  expect(lastStart().taskQueue).toBe(configuredQueue);
});
