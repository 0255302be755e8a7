// The compiled `docket` command (bin/docket.js) run as a user runs it, with its output collected.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@docket/local/stack/tools';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `docket <args>` in the repository with exactly this environment. */
export function runDocket(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'docket.js'), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
