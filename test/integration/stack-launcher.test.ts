// `npm run stack` as a person uses it: it comes up, prints where everything is, the UI answers,
// Ctrl-C stops every process it started, and a port clash is an immediate, named error.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@docket/local/stack/ports';
import { repoRoot } from '@docket/local/stack/tools';

interface Launched {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** `npm run stack -- args`, or `docket stack args` (bin/docket.js) when via is 'docket'. */
function launch(args: string[], env: Record<string, string> = {}, via: 'npm' | 'docket' = 'npm'): Launched {
  const [command, argv] =
    via === 'npm'
      ? ['npm', ['run', '--silent', 'stack', '--', ...args]]
      : [process.execPath, [path.join(repoRoot, 'bin', 'docket.js'), 'stack', ...args]];
  const child = spawn(command, argv, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as in a terminal, so Ctrl-C can be sent to all of it
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

async function waitForOutput(l: Launched, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!l.output().includes(text)) {
    if (l.child.exitCode !== null) throw new Error(`launcher exited early:\n${l.output()}`);
    if (Date.now() > deadline) throw new Error(`no '${text}' within ${timeoutMs} ms:\n${l.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portArgs(): Promise<string[]> {
  return [
    '--temporal-port',
    String(await freePort()),
    '--temporal-ui-port',
    String(await freePort()),
    '--moto-port',
    String(await freePort()),
    '--textract-port',
    String(await freePort()),
    '--codec-port',
    String(await freePort()),
  ];
}

it('comes up, serves the Temporal UI, and leaves no process behind on Ctrl-C', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-stack-cli-'));
  const l = launch([...(await portArgs()), '--data-dir', dataDir]);
  try {
    await waitForOutput(l, 'Press Ctrl-C to stop everything.', 90_000);
    const uiUrl = /Temporal Web UI\s+(\S+)/.exec(l.output())?.[1];
    expect(uiUrl).toBeDefined();
    const ui = await fetch(uiUrl!);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html/i);

    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'stack.json'), 'utf8')) as {
      processes: { name: string; pid: number }[];
      launcherPid: number;
      env: Record<string, string>;
    };
    expect(state.env.DOCKET_INPUT_BUCKET).toBe('docket-input');
    const envFile = fs.readFileSync(path.join(dataDir, 'stack.env'), 'utf8');
    expect(envFile).toContain(`TEMPORAL_ADDRESS=${state.env.TEMPORAL_ADDRESS}\n`);
    const pids = [state.launcherPid, ...state.processes.map((p) => p.pid)];
    expect(state.processes.length).toBeGreaterThanOrEqual(2);
    expect(pids.every(alive)).toBe(true);

    process.kill(-l.child.pid!, 'SIGINT'); // what Ctrl-C does: the whole foreground group
    await l.exit; // npm itself may end by the signal; what matters is what it leaves behind
    // give the kernel a moment to reap.
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'stack.json'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'stack.env'))).toBe(false);
  } finally {
    if (l.child.exitCode === null && l.child.signalCode === null) process.kill(-l.child.pid!, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

it('docket stack stopped with SIGTERM to docket alone leaves no process behind', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-stack-cli-'));
  const l = launch([...(await portArgs()), '--data-dir', dataDir], {}, 'docket');
  try {
    await waitForOutput(l, 'Press Ctrl-C to stop everything.', 90_000);
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'stack.json'), 'utf8')) as {
      processes: { pid: number }[];
      launcherPid: number;
    };
    const pids = [l.child.pid!, state.launcherPid, ...state.processes.map((p) => p.pid)];
    expect(pids.every(alive)).toBe(true);

    l.child.kill('SIGTERM'); // an orchestrator or `kill <pid>`: only docket gets the signal
    expect(await l.exit).toBe(0);
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'stack.json'))).toBe(false);
  } finally {
    if (l.child.exitCode === null && l.child.signalCode === null) process.kill(-l.child.pid!, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

it('names the busy port and the variable to change instead of hanging', async () => {
  const blocker = net.createServer();
  const busy = await freePort();
  await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-stack-cli-'));
  try {
    const args = await portArgs();
    args[args.indexOf('--moto-port') + 1] = String(busy);
    const started = Date.now();
    const l = launch([...args, '--data-dir', dataDir]);
    expect(await l.exit).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(l.output()).toContain(`port ${busy} on 127.0.0.1 (moto server) is already in use`);
    expect(l.output()).toContain('DOCKET_MOTO_PORT');
  } finally {
    blocker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

it('rejects a port that is not a number, naming the variable', async () => {
  const l = launch([], { DOCKET_TEMPORAL_PORT: 'seventy' });
  expect(await l.exit).toBe(2);
  expect(l.output()).toContain("DOCKET_TEMPORAL_PORT must be a port number from 1 to 65535, got 'seventy'");
});
