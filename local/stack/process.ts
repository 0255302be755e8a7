import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** A child process the stack started and is responsible for stopping. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Rejects as soon as the process exits, so a wait can fail fast instead of hanging until its timeout. */
  readonly exited: Promise<never>;
  isRunning(): boolean;
  /** Last lines of its output, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function startProcess(options: StartProcessOptions): ManagedProcess {
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${options.name} (${options.command})`);
  }
  const pid = child.pid;
  const recent: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    recent.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (recent.length > 200) recent.splice(0, recent.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let running = true;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false;
      resolve();
    });
    child.once('error', (err) => {
      recent.push(`spawn error: ${err.message}`);
      running = false;
      resolve();
    });
  });
  const tail = (lines = 15) => recent.slice(-lines).join('\n');
  const exited = gone.then(() => {
    throw new Error(
      `${options.name} exited unexpectedly; last output (full log: ${options.logFile}):\n${tail()}`,
    );
  });
  exited.catch(() => undefined); // only observed by whoever races it

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    isRunning: () => running,
    tail,
    async stop(graceMs = 5000) {
      if (running) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => running && child.kill('SIGKILL'), graceMs);
        await gone;
        clearTimeout(timer);
      }
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

/**
 * Polls check until it returns true, failing with a message naming what was awaited when the
 * process dies first or timeoutMs passes.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; process?: ManagedProcess; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 200;
  for (;;) {
    if (options.process && !options.process.isRunning()) await options.process.exited;
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const tail = options.process
        ? `\nlast output of ${options.process.name}:\n${options.process.tail()}`
        : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${tail}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
