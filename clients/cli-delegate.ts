/*
 * `docket stack` and `docket demo`: the same programs as `npm run stack` and `npm run demo`, run as a
 * child process with the terminal handed over. Ctrl-C reaches both (same process group); a SIGTERM
 * sent to docket alone is passed on, and docket exits with the child's code once it has stopped.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..');

export const delegatedScripts = {
  stack: 'local/stack/cli.ts',
  demo: 'demo/run.ts',
} as const;

export async function runDelegated(name: keyof typeof delegatedScripts, args: string[]): Promise<number> {
  const script = path.join(repoRoot, delegatedScripts[name]);
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  const onTerm = forward('SIGTERM');
  // The child gets Ctrl-C from the terminal itself; docket only has to outlive it.
  const onInt = () => undefined;
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
    });
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1;
}
