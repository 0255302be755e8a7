import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStackOnFreePorts, type RunningStack, type StackEndpoints } from '@docket/local/stack/stack';
import { repoRoot, resolveTools } from '@docket/local/stack/tools';
import { corpusTextractDir, docketStackPlugins } from '../../demo/stack';
import { stackEnvVar, toolsEnvVar } from './stack';

/**
 * One isolated local stack for the whole integration run: Temporal dev server and moto on free
 * ports, state in a temporary folder. Test files read its endpoints from DOCKET_TEST_STACK.
 */
export default async function globalSetup(): Promise<void> {
  assertBuildIsCurrent();
  const tools = resolveTools();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-test-stack-'));
  const stack = await startStackOnFreePorts({
    dataDir,
    tools,
    ...docketStackPlugins,
    textractFixturesDir: corpusTextractDir,
  });
  (globalThis as { __docketStack?: RunningStack }).__docketStack = stack;
  const endpoints: StackEndpoints = {
    temporalAddress: stack.temporalAddress,
    temporalUiUrl: stack.temporalUiUrl,
    namespace: stack.namespace,
    awsEndpoint: stack.awsEndpoint,
    textractEndpoint: stack.textractEndpoint,
    codecEndpoint: stack.codecEndpoint,
    auth: stack.auth,
    region: stack.region,
    resources: stack.resources,
    dataDir: stack.dataDir,
  };
  process.env[stackEnvVar] = JSON.stringify(endpoints);
  process.env[toolsEnvVar] = JSON.stringify(tools);
}

/** The compiled product the tests run must be what the sources say: a stale dist/ tests old code. */
function assertBuildIsCurrent(): void {
  // `npm run build` writes the workflow bundle last, every time.
  const bundle = fs.statSync(path.join(repoRoot, 'dist', 'workflow-bundle.js'), { throwIfNoEntry: false });
  const built = bundle?.mtimeMs ?? 0;
  const newer = productSources().find((file) => fs.statSync(file).mtimeMs > built);
  if (built === 0 || newer) {
    throw new Error(
      `dist/ is ${built === 0 ? 'missing' : `older than ${path.relative(repoRoot, newer ?? '')}`}: ` +
        "run 'npm run build' (npm test and npm run test:integration do) before the integration tests",
    );
  }
}

function productSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(full);
    }
  };
  for (const dir of ['workflows', 'activities', 'workers', 'clients', 'lib']) walk(path.join(repoRoot, dir));
  return files;
}
