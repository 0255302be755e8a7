/*
 * The worker's workflow code, bundled once. Bundling (webpack) costs the process that does it a few
 * hundred MB it never gives back, so the worker either loads a bundle built ahead of time
 * (DOCKET_WORKFLOW_BUNDLE, from `npm run build:workflows`) or builds one in a short-lived child
 * process and loads the file: the worker's own memory never holds webpack.
 *
 *   tsx workers/workflow-bundle.ts <output file>     # what `npm run build:workflows` runs
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const noop = () => undefined;
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/** Bundles workflows/ into one file at outFile. */
export async function writeWorkflowBundle(outFile: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: quiet,
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
}

export interface PreparedBundle {
  codePath: string;
  /** 'prebuilt' when DOCKET_WORKFLOW_BUNDLE named it, 'child-process' when built at start. */
  origin: 'prebuilt' | 'child-process';
  ms: number;
}

/** The bundle to load: the prebuilt file when given (it must exist), else one built in a child process. */
export async function prepareWorkflowBundle(prebuilt: string | undefined): Promise<PreparedBundle> {
  const began = Date.now();
  if (prebuilt) {
    if (!fs.existsSync(prebuilt)) {
      throw new Error(
        `DOCKET_WORKFLOW_BUNDLE='${prebuilt}' does not exist; build it with 'npm run build:workflows' ` +
          'or unset the variable to bundle at start',
      );
    }
    return { codePath: path.resolve(prebuilt), origin: 'prebuilt', ms: Date.now() - began };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-workflows-'));
  const codePath = path.join(dir, 'workflow-bundle.js');
  // The same node with the same loader flags (tsx in development), running this file as a script.
  const child = spawn(process.execPath, [...process.execArgv, __filename, codePath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !fs.existsSync(codePath)) {
    throw new Error(`bundling the workflow code failed (exit ${code}):\n${stderr.trim()}`);
  }
  return { codePath, origin: 'child-process', ms: Date.now() - began };
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: workflow-bundle <output file>');
    process.exit(2);
  }
  writeWorkflowBundle(out).catch((err: unknown) => {
    console.error('bundling the workflow code failed:', err);
    process.exit(1);
  });
}
