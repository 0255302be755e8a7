import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStackOnFreePorts, type RunningStack, type StackEndpoints } from '../../local/stack/stack';
import { resolveTools } from '../../local/stack/tools';
import { stackEnvVar, toolsEnvVar } from './stack';

/**
 * One isolated local stack for the whole integration run: Temporal dev server and moto on free
 * ports, state in a temporary folder. Test files read its endpoints from DOCKET_TEST_STACK.
 */
export default async function globalSetup(): Promise<void> {
  const tools = resolveTools();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-test-stack-'));
  const stack = await startStackOnFreePorts({ dataDir, tools });
  (globalThis as { __docketStack?: RunningStack }).__docketStack = stack;
  const endpoints: StackEndpoints = {
    temporalAddress: stack.temporalAddress,
    temporalUiUrl: stack.temporalUiUrl,
    namespace: stack.namespace,
    awsEndpoint: stack.awsEndpoint,
    textractEndpoint: stack.textractEndpoint,
    codecEndpoint: stack.codecEndpoint,
    region: stack.region,
    resources: stack.resources,
    dataDir: stack.dataDir,
  };
  process.env[stackEnvVar] = JSON.stringify(endpoints);
  process.env[toolsEnvVar] = JSON.stringify(tools);
}
