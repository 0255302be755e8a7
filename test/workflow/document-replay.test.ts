// Histories recorded by earlier workflow code replay deterministically with today's: review by
// signals and updates without reviewerId, two people's reviewerIds before claims existed, a reject
// and a deadline. Recorded with test/fixtures/histories/record.ts (the folder names the commit).
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundle } from '../support/temporal';

jest.setTimeout(120_000);

const root = path.join(__dirname, '..', 'fixtures', 'histories');
const histories = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    fs
      .readdirSync(path.join(root, d.name))
      .filter((f) => f.endsWith('.binpb'))
      .map((f) => [`${d.name}/${f}`, path.join(root, d.name, f)] as const),
  );

let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  workflowBundle = await bundle('workflows/index.ts');
});

test('there are recorded histories to replay', () => {
  expect(histories.length).toBeGreaterThanOrEqual(5);
});

test.each(histories)('%s replays without nondeterminism', async (_name, file) => {
  const history = temporal.api.history.v1.History.decode(fs.readFileSync(file));
  await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
});
