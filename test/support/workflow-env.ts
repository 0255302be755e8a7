// The harness of the workflow project's document tests: one time-skipping server and one workflow
// bundle per suite, a worker per test on its own task queue, and the small waits the tests share.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DocumentActivities } from '../../activities';
import {
  documentStartOptions,
  type DocumentState,
  type DocumentStatus,
  type DocumentWorkflowInput,
  statusQuery,
} from '../../lib/contract';
import type { documentWorkflow } from '../../workflows';
import { textractGetQueue, textractQuotaWorkflowId, textractStartQueue } from '../../lib/quota';
import { bundle, createTimeSkippingEnv, runAlongside } from './temporal';

export type Handle = WorkflowHandle<typeof documentWorkflow>;

export interface WorkflowTestEnv {
  /** The suite's time-skipping environment (set once beforeAll has run). */
  env: () => TestWorkflowEnvironment;
  /** Runs `body` with a worker on a fresh task queue serving the given activities. */
  withWorker: <T>(activities: DocumentActivities, body: (taskQueue: string) => Promise<T>) => Promise<T>;
  start: (taskQueue: string, input: DocumentWorkflowInput) => Promise<Handle>;
  waitForStatus: (handle: Handle, status: DocumentStatus) => Promise<DocumentState>;
  /** The ApplicationFailure the document's workflow failed with. */
  failureOf: (handle: Handle) => Promise<ApplicationFailure>;
}

/** Registers the suite's beforeAll/afterAll and returns the helpers its tests use. */
export function workflowTestEnv(): WorkflowTestEnv {
  let env: TestWorkflowEnvironment | undefined;
  let workflowBundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    [env, workflowBundle] = await Promise.all([createTimeSkippingEnv(), bundle('workflows/index.ts')]);
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });
  const current = (): TestWorkflowEnvironment => {
    if (!env) throw new Error('the time-skipping environment is not up (beforeAll has not run)');
    return env;
  };
  return {
    env: current,
    async withWorker(activities, body) {
      const taskQueue = `test-${randomUUID()}`;
      const connection = current().nativeConnection;
      const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities });
      // The Textract calls run on their own queues (the quota governor), unlimited here.
      const textract = await Promise.all(
        [textractStartQueue(taskQueue), textractGetQueue(taskQueue)].map((queue) =>
          Worker.create({ connection, taskQueue: queue, activities }),
        ),
      );
      try {
        return await runAlongside(textract, worker.runUntil(body(taskQueue)));
      } finally {
        // The queue's quota workflow outlives the test: left with work pending, it would hold the
        // time-skipping server's clock for the next test.
        await current()
          .client.workflow.getHandle(textractQuotaWorkflowId(taskQueue))
          .terminate('test over')
          .catch(() => undefined);
      }
    },
    start(taskQueue, input) {
      return current().client.workflow.start<typeof documentWorkflow>('documentWorkflow', {
        ...documentStartOptions(input, taskQueue),
      });
    },
    async waitForStatus(handle, status) {
      for (let i = 0; i < 200; i++) {
        const state = await handle.query(statusQuery);
        if (state.status === status) return state;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`document never reached ${status}`);
    },
    async failureOf(handle) {
      const err: unknown = await handle.result().then(
        () => new Error('expected the workflow to fail'),
        (e: unknown) => e,
      );
      if (!(err instanceof WorkflowFailedError) || !(err.cause instanceof ApplicationFailure)) throw err;
      return err.cause;
    },
  };
}
