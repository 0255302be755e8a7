// The bootstrapped time-skipping test server works without any download: a workflow that sleeps
// for a week completes in test time, which is what the lifecycle's review-deadline tests rely on.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DocumentStatus } from '../../lib/contract';
import { bundle, createTimeSkippingEnv } from '../support/temporal';
import { probeWorkflow } from '../support/workflows/probe';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(() => env?.teardown());

it('skips a 7-day durable timer', async () => {
  const taskQueue = `probe-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundle(require.resolve('../support/workflows/probe')),
  });
  const wallStart = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute(probeWorkflow, {
      taskQueue,
      workflowId: `probe-${randomUUID()}`,
      args: [{ status: DocumentStatus.FAILED, pages: 1, sleepFor: '7 days' }],
    }),
  );
  expect(result.sleptMs).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
  expect(Date.now() - wallStart).toBeLessThan(60_000);
});
