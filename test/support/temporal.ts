import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { docketSearchAttributes } from '../../lib/contract';
import { testStack, testTools } from './stack';

/**
 * Time-skipping test server from the bootstrapped binary (no download), with docket's search
 * attributes registered (the test server rejects upserts of unknown ones).
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testTools().temporalTestServer } },
  });
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of docketSearchAttributes) {
    searchAttributes[key.name] = temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`];
  }
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes,
  });
  return env;
}

/** A fresh dev server of its own (bootstrapped binary, docket's search attributes registered). */
export function createLocalEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: testTools().temporal },
      searchAttributes: [...docketSearchAttributes],
      ip: '127.0.0.1',
    },
  });
}

/** Connects to the dev server of the integration run's shared stack. */
export function connectToTestStack(): Promise<TestWorkflowEnvironment> {
  const stack = testStack();
  return TestWorkflowEnvironment.createFromExistingServer({
    address: stack.temporalAddress,
    namespace: stack.namespace,
  });
}

/** Bundles a workflows module once; call it in beforeAll so each suite bundles once. */
export function bundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: path.resolve(workflowsPath), logger: quietBundlerLogger });
}

const noop = () => undefined;
const quietBundlerLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta),
};

export { runAlongside } from '../../workers/textract-queues';
