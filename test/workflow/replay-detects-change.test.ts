// The replay check has teeth: a copy of the workflow with one more activity call before the Textract
// job fails to replay the previous release's histories with a determinism violation, and the same
// edit behind patched() replays them (the procedure of docs/deployment.md#changing-workflow-code).
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readManifest } from '../fixtures/histories/manifest';
import { bundle } from '../support/temporal';

jest.setTimeout(180_000);

const repoRoot = path.resolve(__dirname, '..', '..');
const historiesRoot = path.join(repoRoot, 'test', 'fixtures', 'histories');
// The previous release's folder: recorded on the stack (see test/fixtures/histories/README.md).
const release = fs
  .readdirSync(historiesRoot)
  .map((name) => readManifest(path.join(historiesRoot, name)))
  .find((m) => m?.recordedOn === 'stack');
const history = (p: string) =>
  temporal.api.history.v1.History.decode(
    fs.readFileSync(path.join(historiesRoot, release!.commit, release!.paths[p]!)),
  );

const anchor = "doc.transition(DocumentStatus.PROCESSING, 'starting the Textract job');";
const extraStep = 'await acts.releaseClaim({ documentId, checksum: sum.checksum });';

// A copy of workflows/ under test-artifacts/ (git-ignored), beside a link to lib/: the bundler
// resolves the copy's imports as it does the original's.
const tmp = path.join(repoRoot, 'test-artifacts', `replay-edit-${randomUUID().slice(0, 8)}`);

function alteredWorkflows(name: string, replacement: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(repoRoot, 'workflows'), path.join(dir, 'workflows'), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, 'lib'), path.join(dir, 'lib'));
  const file = path.join(dir, 'workflows', 'textract-run.ts');
  const source = fs.readFileSync(file, 'utf8');
  expect(source).toContain(anchor);
  // The edit brings its own import: the file may not import patched() itself.
  const edited = `import { patched as patchedEdit } from '@temporalio/workflow';\n${source}`;
  fs.writeFileSync(file, edited.replace(anchor, `${anchor}\n${replacement}`));
  return path.join(dir, 'workflows', 'index.ts');
}

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the previous release has a clean-path history to replay', () => {
  expect(release?.paths.clean).toBeDefined();
});

test('an added activity call fails replay with a determinism violation', async () => {
  const workflowBundle = await bundle(alteredWorkflows('unguarded', extraStep));
  const replay = Worker.runReplayHistory({ workflowBundle }, history('clean'), 'clean');
  await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
});

test('the same edit behind patched() replays the histories', async () => {
  const workflowBundle = await bundle(
    alteredWorkflows('patched', `if (patchedEdit('extra-step-before-textract')) ${extraStep}`),
  );
  for (const p of ['clean', 'review-approve', 'duplicate']) {
    await expect(Worker.runReplayHistory({ workflowBundle }, history(p), p)).resolves.toBeUndefined();
  }
});
