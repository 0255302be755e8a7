/*
 * `docket stack` and `docket demo`: the same programs as `npm run stack` and `npm run demo`, run as a
 * child process with the terminal handed over. Ctrl-C reaches both (same process group); a SIGTERM
 * sent to docket alone is passed on, and docket exits with the child's code once it has stopped.
 * They need a development checkout: the local toolkit (@docket/local) and tsx, which a production
 * install leaves out. The CLI never imports them; it only starts the checkout's scripts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The checkout this CLI runs from: the folder of docket's package.json, above src or dist. */
function checkoutRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'docket'
    ) {
      return dir;
    }
  }
  throw new DelegateError('docket stack and docket demo run from a docket checkout; none was found');
}

/** A development-only command cannot run here; the message says why. */
export class DelegateError extends Error {
  override name = 'DelegateError';
}

export const delegatedScripts = {
  stack: 'demo/stack.ts',
  demo: 'demo/run.ts',
} as const;

export async function runDelegated(name: keyof typeof delegatedScripts, args: string[]): Promise<number> {
  const repoRoot = checkoutRoot();
  const script = path.join(repoRoot, delegatedScripts[name]);
  for (const needed of ['tsx', '@docket/local/package.json']) {
    try {
      require.resolve(needed, { paths: [repoRoot] });
    } catch {
      throw new DelegateError(
        `docket ${name} needs ${needed.split('/package.json')[0]}, a development dependency: ` +
          `run 'npm ci' (with dev dependencies) in ${repoRoot}, or use a development checkout`,
      );
    }
  }
  if (!fs.existsSync(script)) throw new DelegateError(`docket ${name} needs ${script}, which is missing`);
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
