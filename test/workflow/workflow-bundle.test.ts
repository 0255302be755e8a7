import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareWorkflowBundle } from '../../workers/workflow-bundle';

it('refuses a DOCKET_WORKFLOW_BUNDLE that does not exist, saying how to build one', async () => {
  const missing = path.join(os.tmpdir(), 'no-such-docket-bundle.js');
  await expect(prepareWorkflowBundle(missing)).rejects.toThrow(
    /DOCKET_WORKFLOW_BUNDLE='.*no-such-docket-bundle\.js' does not exist; build it with 'npm run build:workflows'/,
  );
});

it('uses a prebuilt bundle as it is', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-prebuilt-'));
  const file = path.join(dir, 'bundle.js');
  fs.writeFileSync(file, '// prebuilt');
  try {
    await expect(prepareWorkflowBundle(file)).resolves.toMatchObject({ codePath: file, origin: 'prebuilt' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('builds the workflow code in a child process when no bundle is given', async () => {
  // jest runs TypeScript through its own transform; the child needs tsx to load the .ts script.
  const execArgv = process.execArgv;
  Object.defineProperty(process, 'execArgv', { value: ['--import', 'tsx'], configurable: true });
  try {
    const bundle = await prepareWorkflowBundle(undefined);
    expect(bundle.origin).toBe('child-process');
    const code = fs.readFileSync(bundle.codePath, 'utf8');
    expect(code).toContain('documentWorkflow');
    expect(code.length).toBeGreaterThan(100_000);
    fs.rmSync(path.dirname(bundle.codePath), { recursive: true, force: true });
  } finally {
    Object.defineProperty(process, 'execArgv', { value: execArgv, configurable: true });
  }
});
