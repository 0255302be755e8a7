// Shared by the lifecycle end-to-end suites: the real local stack through the real clients with the
// encrypted data converter, in-process workers, worker processes that can be SIGKILLed, local Textract
// rules scoped to the suite's own account, and replay of every workflow a suite ran.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { readDocumentOutput, type OutputDocument } from '../../lib/output-document';
import { localAwsConfig, localCredentials } from '@docket/local/stack/resources';
import { stackEnv } from '@docket/local/stack/stack';
import type { DocumentRule, FaultSettings } from '@docket/local/textract/faults';
import { documentStartOptions, type DocumentWorkflowInput, type S3Location } from '../../lib/contract';
import { encryptedDataConverter } from '../../lib/payload-codec';
import { TextractApi, TextractFeature, type DocumentProfile } from '../../lib/profile';
import type { documentWorkflow } from '../../workflows';
import { compiled, localAwsClients, testStack } from './stack';
import { textractGetQueue, textractStartQueue } from '../../lib/quota';
import { bundle, connectToTestStack, runAlongside } from './temporal';

export type DocumentHandle = WorkflowHandle<typeof documentWorkflow>;

/**
 * Worker poll settings that keep end-to-end runs short: polls, and the fallback checks of notified
 * jobs (the stack's environment turns notifications on) should a notification be lost.
 */
const pollEnv = {
  DOCKET_POLL_INITIAL_INTERVAL_MS: '200',
  DOCKET_POLL_MAX_INTERVAL_MS: '1000',
  DOCKET_TEXTRACT_FIRST_CHECK_MS: '5000',
  DOCKET_TEXTRACT_CHECK_INTERVAL_MS: '2000',
};
/** Worker settings for completion by polling only (no NotificationChannel, no listener). */
export const pollingOnlyEnv = {
  DOCKET_TEXTRACT_TOPIC_ARN: '',
  DOCKET_TEXTRACT_ROLE_ARN: '',
  DOCKET_TEXTRACT_QUEUE_URL: '',
};
const repoRoot = path.resolve(__dirname, '..', '..');

/** A worker started as its own process (`tsx workers/main.ts`), in its own process group. */
export interface WorkerProcess {
  /** Ends the whole process group at once, as a crashed machine would, and waits for the exit. */
  kill(): Promise<void>;
  /** Sends SIGTERM, as an orchestrator stopping it would; resolves with the exit code. */
  terminate(): Promise<number | null>;
  /** What the process printed (ids and counts only), for failure messages: the last 20,000 characters. */
  output(): string;
  /** Everything the process printed since it started (its whole log), for tests that read it all. */
  log(): string;
}

export class LifecycleSuite {
  readonly stack = testStack();
  readonly aws = localAwsClients(this.stack);
  readonly resources = this.stack.resources;
  /** Access key id of this suite: the local Textract keeps jobs, faults and quotas per account. */
  readonly account: string;
  /** Textract client signing as this suite's account. */
  readonly textract: TextractClient;
  readonly dataConverter = encryptedDataConverter({ kms: this.aws.kms, kmsKeyId: this.resources.kmsAlias });
  /** Every workflow this suite started, for the replay check. */
  readonly workflowIds: string[] = [];
  env!: TestWorkflowEnvironment;
  client!: Client;
  workflowBundle!: WorkflowBundleWithSourceMap;
  private readonly processes = new Set<WorkerProcess>();

  constructor(readonly suite: string) {
    this.account = `docket-${suite}-${randomUUID().slice(0, 8)}`;
    this.textract = new TextractClient({
      ...localAwsConfig(this.stack.awsEndpoint),
      endpoint: this.stack.textractEndpoint,
      credentials: { ...localCredentials, accessKeyId: this.account },
    });
  }

  async setUp(): Promise<void> {
    [this.env, this.workflowBundle] = await Promise.all([connectToTestStack(), bundle('workflows/index.ts')]);
    this.client = new Client({
      connection: this.env.connection,
      namespace: this.stack.namespace,
      dataConverter: this.dataConverter,
    });
  }

  async tearDown(): Promise<void> {
    await Promise.all([...this.processes].map((p) => p.kill()));
    await this.admin('DELETE').catch(() => undefined);
    await this.env?.teardown();
    for (const c of [this.aws.s3, this.aws.kms, this.aws.sqs, this.textract]) c.destroy();
  }

  /**
   * Counts every Textract API call the in-process workers make from now on (Start*, Get*), at the SDK
   * client: `calls()` says how many so far.
   */
  countTextractCalls(): { calls(): number } {
    let calls = 0;
    this.textract.middlewareStack.add(
      (next) => async (args) => {
        calls++;
        return next(args);
      },
      { step: 'initialize', name: 'countTextractCalls' },
    );
    return { calls: () => calls };
  }

  /** A forms profile writing to the stack's output bucket; `overrides` replace its fields. */
  profile(overrides: Partial<DocumentProfile> = {}): DocumentProfile {
    return {
      name: `e2e-${this.suite}`,
      textract: { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS] },
      defaultThreshold: 0,
      output: { bucket: this.resources.outputBucket, kmsKeyId: this.resources.kmsAlias },
      ...overrides,
    };
  }

  /** Replaces this account's local Textract document rules (durations, synthetic results, outcomes). */
  async setDocumentRules(documents: DocumentRule[]): Promise<void> {
    await this.admin('PUT', { documents });
  }

  /** Replaces all of this account's local Textract fault settings (rates, quotas, document rules). */
  async setFaults(settings: FaultSettings): Promise<void> {
    await this.admin('PUT', settings);
  }

  private async admin(method: 'PUT' | 'DELETE', body?: unknown): Promise<void> {
    const url = `${this.stack.textractEndpoint}/__docket/faults?account=${encodeURIComponent(this.account)}`;
    const res = await fetch(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`local Textract ${method} faults: ${res.status} ${await res.text()}`);
  }

  /** Uploads to the input bucket; returns the source for a workflow input. */
  async upload(key: string, body: Uint8Array | string): Promise<{ bucket: string; key: string }> {
    const bucket = this.resources.inputBucket;
    await this.aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return { bucket, key };
  }

  /** Runs `body` with an in-process worker on `taskQueue` (a fresh one when absent). */
  async withWorker<T>(
    body: (taskQueue: string) => Promise<T>,
    taskQueue = `e2e-${randomUUID()}`,
  ): Promise<T> {
    const common = {
      connection: this.env.nativeConnection,
      namespace: this.stack.namespace,
      dataConverter: this.dataConverter,
      activities: createActivities({
        ...this.aws,
        textract: this.textract,
        resultsBucket: this.resources.resultsBucket,
        pollInitialIntervalMs: Number(pollEnv.DOCKET_POLL_INITIAL_INTERVAL_MS),
        pollMaxIntervalMs: Number(pollEnv.DOCKET_POLL_MAX_INTERVAL_MS),
        maxConcurrentJobs: 100,
      }),
    };
    const worker = await Worker.create({ ...common, taskQueue, workflowBundle: this.workflowBundle });
    // The Textract-call queues of the quota governor, without a rate here.
    const textract = await Promise.all(
      [textractStartQueue(taskQueue), textractGetQueue(taskQueue)].map((queue) =>
        Worker.create({ ...common, taskQueue: queue }),
      ),
    );
    return runAlongside(textract, worker.runUntil(body(taskQueue)));
  }

  /** Starts the document workflow as every starter does (documentStartOptions), on `taskQueue`. */
  async start(taskQueue: string, input: DocumentWorkflowInput): Promise<DocumentHandle> {
    const handle = await this.client.workflow.start<typeof documentWorkflow>('documentWorkflow', {
      ...documentStartOptions(input, taskQueue),
    });
    this.workflowIds.push(handle.workflowId);
    return handle;
  }

  /** Reads and decrypts a document's output as clients do. */
  readOutput(location: S3Location, documentId: string, checksum?: string): Promise<OutputDocument> {
    const { s3, kms } = this.aws;
    return readDocumentOutput({ s3, kms, location, kmsKeyId: this.resources.kmsAlias, documentId, checksum });
  }

  /**
   * The Textract jobs started for these bytes: every job writes its OutputConfig (an access check
   * first) under `textract-output/<checksum prefix>/<JobId>/`.
   */
  async textractJobs(checksum: string): Promise<string[]> {
    const prefix = `textract-output/${checksum.slice(0, 16)}/`;
    const keys = await this.listKeys(this.resources.resultsBucket, prefix);
    return [...new Set(keys.map((k) => k.slice(prefix.length).split('/')[0] ?? ''))];
  }

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.aws.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = res.NextContinuationToken;
    } while (token);
    return keys;
  }

  /**
   * Starts the compiled worker (`node dist/workers/main.js`, the prebuilt workflow bundle) with the
   * stack's environment, this suite's account, the task queue, no metrics endpoint and short polls;
   * resolves once the worker polls.
   */
  async spawnWorker(taskQueue: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [compiled('workers/main.js')], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...stackEnv(this.stack),
        AWS_ACCESS_KEY_ID: this.account,
        DOCKET_TASK_QUEUE: taskQueue,
        DOCKET_METRICS_ADDRESS: '',
        DOCKET_SHUTDOWN_GRACE_MS: '0',
        DOCKET_WORKFLOW_BUNDLE: compiled('workflow-bundle.js'),
        ...pollEnv,
        ...extraEnv,
      },
    });
    let output = '';
    const everything: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const proc: WorkerProcess = {
      output: () => output,
      log: () => everything.join(''),
      kill: async () => {
        this.processes.delete(proc);
        if (child.exitCode === null && child.signalCode === null) killGroup(child);
        await exited;
      },
      terminate: async () => {
        child.kill('SIGTERM');
        const code = await exited;
        this.processes.delete(proc);
        return code;
      },
    };
    this.processes.add(proc);
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        everything.push(chunk.toString());
        output = (output + chunk.toString()).slice(-20_000);
        if (output.includes('docket worker running')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then(() => reject(new Error(`worker process exited before polling:\n${output}`)));
      timer = setTimeout(
        () => reject(new Error(`worker process not polling after 90 s:\n${output}`)),
        90_000,
      );
    })
      .catch(async (err: unknown) => {
        await proc.kill();
        throw err;
      })
      .finally(() => clearTimeout(timer));
    return proc;
  }

  /** Replays the history of every workflow this suite started; returns the failures found. */
  async replayAll(): Promise<{ workflowId: string; error: string }[]> {
    const histories = await Promise.all(
      this.workflowIds.map(async (workflowId) => ({
        workflowId,
        history: await this.client.workflow.getHandle(workflowId).fetchHistory(),
      })),
    );
    const failures: { workflowId: string; error: string }[] = [];
    const replays = Worker.runReplayHistories(
      { workflowBundle: this.workflowBundle, dataConverter: this.dataConverter },
      histories,
    );
    for await (const result of replays) {
      if (result.error) failures.push({ workflowId: result.workflowId, error: String(result.error) });
    }
    return failures;
  }
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Polls `check` every 100 ms until it returns a value, or fails naming `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
