// `npm run demo`, docket's main job, as a newcomer runs it: every sample ends in its expected state,
// a decrypted output is printed, and a second run in a row works too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
