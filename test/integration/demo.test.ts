// `npm run demo`, docket's main job, as a newcomer runs it: every sample ends in its expected state,
// a decrypted output is printed, and a second run in a row works too. With --keep the review desk is
// served and one scan waits there for a person.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { freePort } from '@docket/local/stack/ports';
import { repoRoot } from '@docket/local/stack/tools';

it('runs end to end twice in a row with the expected outcomes', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-demo-'));
  try {
    const env = {
      ...process.env,
      DOCKET_DATA_DIR: dataDir,
      DOCKET_TEMPORAL_PORT: String(await freePort()),
      DOCKET_TEMPORAL_UI_PORT: String(await freePort()),
      DOCKET_MOTO_PORT: String(await freePort()),
      DOCKET_TEXTRACT_PORT: String(await freePort()),
    };
    for (const round of [1, 2]) {
      const res = spawnSync('npm', ['run', '--silent', 'demo'], {
        cwd: repoRoot,
        env,
        encoding: 'utf8',
        timeout: 240_000,
      });
      const out = res.stdout;
      expect({
        round,
        status: res.status,
        tail: res.status === 0 ? '' : `${out}\n${res.stderr}`.slice(-3000),
      }).toEqual({
        round,
        status: 0,
        tail: '',
      });
      expect(out).toMatch(/ok {2}clean invoice\s+SUCCEEDED/);
      expect(out).toMatch(/ok {2}degraded scan\s+SUCCEEDED\s+after review/);
      expect(out).toMatch(/ok {2}same invoice again\s+DUPLICATE/);
      expect(out).toMatch(/ok {2}not a document\s+FAILED\s+DocumentUnsupported/);
      expect(out).toContain(
        'a person would run: DOCKET_TOKEN=$(npm run -s token -- alice) npx docket approve',
      );
      // Approved as a signed-in reviewer of the stack's development issuer, not a typed name.
      expect(out).toContain('the demo approves it now as Alice Archer (dev-alice)');
      expect(out).toMatch(/Invoice Number\s+INV-1001/);
      expect(out).toContain(
        `http://127.0.0.1:${env.DOCKET_TEMPORAL_UI_PORT}/namespaces/default/workflows?query=`,
      );
    }

    // --keep: the API serves the desk, where one more scan waits for a signed-in reviewer.
    const apiPort = await freePort();
    const kept = spawn(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['demo/run.ts', '--keep'], {
      cwd: repoRoot,
      env: { ...env, DOCKET_API_PORT: String(apiPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    kept.stdout.on('data', (d: Buffer) => (out += d.toString()));
    kept.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => kept.once('exit', resolve));
    try {
      const deadline = Date.now() + 240_000;
      while (!out.includes('review desk:') && kept.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(out).toContain(`review desk: http://127.0.0.1:${apiPort}/desk  (sign in as alice or bob)`);
      const waiting = /(demo-\S+-review) waits there for a person/.exec(out)?.[1];
      expect(waiting).toBeDefined();
      const demoEnv = fs.readFileSync(path.join(dataDir, 'demo.env'), 'utf8');
      const issuer = /^DOCKET_AUTH_ISSUER=(.+)$/m.exec(demoEnv)?.[1];
      const token = await fetchDevToken(issuer!, 'bob');
      const desk = await fetch(`http://127.0.0.1:${apiPort}/desk`, {
        headers: { accept: 'text/html', authorization: `Bearer ${token}` },
      });
      expect(desk.status).toBe(200);
      const html = await desk.text();
      expect(html).toContain(waiting);
      expect(html).toContain('Bob Baker');
      // Without a token the desk sends a browser to sign in.
      const anonymous = await fetch(`http://127.0.0.1:${apiPort}/desk`, {
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toContain('/auth/login');
    } finally {
      kept.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 480_000);
