// Histories recorded by earlier workflow code replay deterministically with today's. Each folder of
// test/fixtures/histories/ is named by the commit that recorded it and lists its paths in a manifest
// (see its README.md): a missing history fails here instead of shrinking the check.
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { readManifest, stackPaths } from '../fixtures/histories/manifest';
import { bundle } from '../support/temporal';

jest.setTimeout(120_000);

const root = path.join(__dirname, '..', 'fixtures', 'histories');
const folders = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({
    name: d.name,
    dir: path.join(root, d.name),
    manifest: readManifest(path.join(root, d.name)),
  }));
const histories = folders.flatMap(({ name, dir, manifest }) =>
  Object.entries(manifest?.paths ?? {}).map(([p, file]) => [`${name} ${p}`, path.join(dir, file)] as const),
);

let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  workflowBundle = await bundle('workflows/index.ts');
});

test('every folder has a manifest naming its commit, and every history it lists is there', () => {
  for (const { name, dir, manifest } of folders) {
    expect({ name, manifest: manifest !== undefined }).toEqual({ name, manifest: true });
    expect(manifest?.commit).toBe(name);
    for (const file of Object.values(manifest?.paths ?? {})) {
      expect(`${name}/${file} ${fs.existsSync(path.join(dir, file)) ? 'present' : 'missing'}`).toBe(
        `${name}/${file} present`,
      );
    }
    // A history file no manifest names would never be replayed.
    const listed = new Set(Object.values(manifest?.paths ?? {}));
    const unlisted = fs.readdirSync(dir).filter((f) => f.endsWith('.binpb') && !listed.has(f));
    expect(unlisted).toEqual([]);
  }
});

test('the previous release was recorded on the stack, with every lifecycle path', () => {
  const recorded = folders.filter((f) => f.manifest?.recordedOn === 'stack');
  expect(recorded.length).toBeGreaterThanOrEqual(1);
  for (const { manifest } of recorded) {
    expect(Object.keys(manifest?.paths ?? {}).sort()).toEqual([...stackPaths].sort());
  }
});

test.each(histories)('%s replays without nondeterminism', async (_name, file) => {
  const history = temporal.api.history.v1.History.decode(fs.readFileSync(file));
  await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
});
