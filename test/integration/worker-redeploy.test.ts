// A deploy under a waiting review: worker processes with Worker Versioning on, build A then build B
// of one worker deployment, each making itself current (DOCKET_DEPLOYMENT_SET_CURRENT). The document
// opened its review on A, A stops, B takes over, and the approval finishes the document on B.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { temporal } from '@temporalio/proto';
import { DocumentStatus, reviewUpdate, statusQuery } from '../../lib/contract';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { testTools } from '../support/stack';
import { eventually, LifecycleSuite, type DocumentHandle } from '../support/lifecycle';

const suite = new LifecycleSuite('redeploy');

beforeAll(() => suite.setUp(), 120_000);
afterAll(() => suite.tearDown());

const deploymentName = `docket-e2e-${randomUUID().slice(0, 8)}`;
const build = (buildId: string) => ({
  DOCKET_WORKER_VERSIONING: 'true',
  DOCKET_DEPLOYMENT_NAME: deploymentName,
  DOCKET_BUILD_ID: buildId,
  DOCKET_DEPLOYMENT_SET_CURRENT: 'true',
});

async function describeDeployment() {
  const res = await suite.env.connection.workflowService.describeWorkerDeployment({
    namespace: suite.stack.namespace,
    deploymentName,
  });
  return res.workerDeploymentInfo;
}

const currentBuild = (buildId: string) =>
  eventually(`${buildId} to be the current version`, async () => {
    const info = await describeDeployment().catch(() => undefined);
    return info?.routingConfig?.currentDeploymentVersion?.buildId === buildId ? info : undefined;
  });

async function versionOf(handle: DocumentHandle) {
  const { raw } = await handle.describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  return {
    buildId: info?.deploymentVersion?.buildId,
    behavior: info?.behavior,
  };
}

test('a document waiting for review across a redeploy finishes on the new build', async () => {
  const taskQueue = `e2e-${randomUUID()}`;
  const workerA = await suite.spawnWorker(taskQueue, build('build-a'));
  await currentBuild('build-a');

  const source = await suite.upload(
    `e2e/${randomUUID()}/sample-invoice.pdf`,
    uniqueCorpusDocument('sample-invoice.pdf'),
  );
  const documentId = `e2e-redeploy-${randomUUID()}`;
  const profile = suite.profile({ fieldThresholds: { 'Invoice Number': 99.9 } });
  const handle = await suite.start(taskQueue, { documentId, source, profile });
  await eventually('the document to wait for review', async () =>
    (await handle.query(statusQuery)).status === DocumentStatus.AWAITING_REVIEW ? true : undefined,
  );
  expect(await versionOf(handle)).toEqual({
    buildId: 'build-a',
    behavior: temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE,
  });

  expect(await workerA.terminate()).toBe(0);
  const workerB = await suite.spawnWorker(taskQueue, build('build-b'));
  const deployment = await currentBuild('build-b');
  expect((deployment.versionSummaries ?? []).map((v) => v.deploymentVersion?.buildId).sort()).toEqual([
    'build-a',
    'build-b',
  ]);
  expect(workerB.log()).toContain('"buildId":"build-b"');

  await handle.executeUpdate(reviewUpdate, {
    args: [{ action: 'approve', reviewer: 'sam', reviewerId: 'sub-sam', comment: 'after the deploy' }],
  });
  const result = await handle.result();
  expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED });
  expect((await versionOf(handle)).buildId).toBe('build-b');
  const output = await suite.readOutput(result.output!, documentId, result.checksum);
  expect(output.status).toBe('SUCCEEDED');
  expect(output.review.audit).toEqual([
    expect.objectContaining({ action: 'approve', reviewer: 'sam', comment: 'after the deploy' }),
  ]);

  // The operator's view (docs/deployment.md): the CLI lists both builds, B current.
  const { stdout } = await promisify(execFile)(testTools().temporal, [
    'worker',
    'deployment',
    'describe',
    '--name',
    deploymentName,
    '--address',
    suite.stack.temporalAddress,
    '--namespace',
    suite.stack.namespace,
    '--output',
    'json',
  ]);
  const described = JSON.parse(stdout) as {
    routingConfig: { currentVersionBuildID: string };
    versionSummaries: { BuildID: string }[];
  };
  expect(described.routingConfig.currentVersionBuildID).toBe('build-b');
  expect(described.versionSummaries.map((v) => v.BuildID).sort()).toEqual(['build-a', 'build-b']);
  expect(await suite.replayAll()).toEqual([]);
});
