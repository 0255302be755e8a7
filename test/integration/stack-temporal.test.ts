// Proof that the Temporal side is real: a workflow runs on the stack's dev server and operators can
// find it by docket's custom search attributes, as they will in the Temporal UI.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DocumentStatus } from '../../lib/contract';
import { bundle, connectToTestStack } from '../support/temporal';
import { probeWorkflow } from '../support/workflows/probe';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([
    connectToTestStack(),
    bundle(require.resolve('../support/workflows/probe')),
  ]);
});
afterAll(() => env?.teardown());

it('runs a workflow on the dev server and finds it by DocumentStatus and PageCount', async () => {
  const taskQueue = `probe-${randomUUID()}`;
  const status = DocumentStatus.AWAITING_REVIEW;
  const pages = 1000 + Math.floor(Math.random() * 1_000_000); // unique, so only this run matches
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue,
    workflowBundle,
  });
  const workflowId = `probe-${randomUUID()}`;
  const result = await worker.runUntil(
    env.client.workflow.execute(probeWorkflow, { taskQueue, workflowId, args: [{ status, pages }] }),
  );
  expect(result.workflowId).toBe(workflowId);

  const query = `DocumentStatus = '${status}' AND PageCount = ${pages}`;
  const found = await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids.length > 0 ? ids : undefined;
  });
  expect(found).toEqual([workflowId]);

  const notMatching = `DocumentStatus = '${DocumentStatus.SUCCEEDED}' AND PageCount = ${pages}`;
  const none: string[] = [];
  for await (const wf of env.client.workflow.list({ query: notMatching })) none.push(wf.workflowId);
  expect(none).toEqual([]);
});

/** Visibility is eventually consistent: retry for a few seconds. */
async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing found within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
