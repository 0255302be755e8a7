// The document workflow end to end on the real local stack: Temporal dev server, moto, local Textract.
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { readDocumentOutput } from '../../lib/output-document';
import { localAwsConfig } from '@docket/local/stack/resources';
import { documentStartOptions, type DocumentWorkflowInput, statusQuery } from '../../lib/contract';
import { encryptedDataConverter } from '../../lib/payload-codec';
import { TextractApi, TextractFeature, type DocumentProfile } from '../../lib/profile';
import type { documentWorkflow } from '../../workflows';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { localAwsClients, testStack } from '../support/stack';
import { textractGetQueue, textractStartQueue } from '../../lib/quota';
import { bundle, connectToTestStack, runAlongside } from '../support/temporal';

const stack = testStack();
const aws = localAwsClients(stack);
const textract = new TextractClient({
  ...localAwsConfig(stack.awsEndpoint),
  endpoint: stack.textractEndpoint,
});
const { inputBucket, resultsBucket, outputBucket, kmsAlias } = stack.resources;
let env: TestWorkflowEnvironment;
let client: Client;
let workflowBundle: WorkflowBundleWithSourceMap;
const dataConverter = encryptedDataConverter({ kms: aws.kms, kmsKeyId: kmsAlias });

const profile: DocumentProfile = {
  name: 'e2e-forms',
  textract: { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS] },
  defaultThreshold: 0,
  output: { bucket: outputBucket, kmsKeyId: kmsAlias },
};

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([connectToTestStack(), bundle('workflows/index.ts')]);
  client = new Client({ connection: env.connection, namespace: stack.namespace, dataConverter });
}, 120_000);

afterAll(async () => {
  await env?.teardown();
  for (const c of [aws.s3, aws.kms, aws.sqs, textract]) c.destroy();
});

async function withWorker<T>(body: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `e2e-${randomUUID()}`;
  const common = {
    connection: env.nativeConnection,
    namespace: stack.namespace,
    dataConverter,
    activities: createActivities({ ...aws, textract, resultsBucket, pollInitialIntervalMs: 250 }),
  };
  const worker = await Worker.create({ ...common, taskQueue, workflowBundle });
  const textractWorkers = await Promise.all(
    [textractStartQueue(taskQueue), textractGetQueue(taskQueue)].map((queue) =>
      Worker.create({ ...common, taskQueue: queue }),
    ),
  );
  return runAlongside(textractWorkers, worker.runUntil(body(taskQueue)));
}

function start(taskQueue: string, input: DocumentWorkflowInput) {
  return client.workflow.start<typeof documentWorkflow>('documentWorkflow', {
    ...documentStartOptions(input, taskQueue),
  });
}

test('a clean document succeeds without review and its output decrypts', async () => {
  const key = `e2e/${randomUUID()}.pdf`;
  await aws.s3.send(
    new PutObjectCommand({
      Bucket: inputBucket,
      Key: key,
      Body: uniqueCorpusDocument('sample-invoice.pdf'),
    }),
  );
  const documentId = `e2e-clean-${randomUUID()}`;
  await withWorker(async (tq) => {
    const handle = await start(tq, { documentId, source: { bucket: inputBucket, key }, profile });
    const result = await handle.result();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.pages).toBeGreaterThan(0);
    const state = await handle.query(statusQuery);
    expect(state.transitions.map((t) => t.status)).toEqual(['RECEIVED', 'PROCESSING', 'SUCCEEDED']);

    const doc = await readDocumentOutput({
      ...aws,
      location: result.output!,
      kmsKeyId: kmsAlias,
      documentId,
      checksum: result.checksum,
    });
    expect(doc).toMatchObject({ status: 'SUCCEEDED', documentId, textract: { jobId: state.textractJobId } });

    const events = (await handle.fetchHistory()).events ?? [];
    const payloadBytes = events.map((e) => JSON.stringify(e).length);
    console.log(
      `e2e clean document: ${events.length} history events, largest event ${Math.max(...payloadBytes)} bytes of JSON`,
    );
    // 40 before the quota governor (3 more: its patch marker, the lease request's marker, one more) and
    // the document record (one local-activity marker after the output, issue 14).
    expect(events.length).toBeLessThanOrEqual(44);
  });
});

test('a missing object fails with its reason', async () => {
  await withWorker(async (tq) => {
    const documentId = `e2e-missing-${randomUUID()}`;
    const handle = await start(tq, {
      documentId,
      source: { bucket: inputBucket, key: 'e2e/nope.pdf' },
      profile,
    });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'DocumentNotFound' });
    expect((await handle.query(statusQuery)).failure).toMatchObject({ phase: 'CHECKSUM' });
  });
});
