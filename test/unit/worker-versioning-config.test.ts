import { ConfigError, loadWorkerConfig } from '../../workers/config';
import { workerDeploymentOptions, type BuildFacts } from '../../workers/versioning';

const required = { DOCKET_RESULTS_BUCKET: 'results', DOCKET_KMS_KEY_ID: 'alias/docket' };
const inRepo: BuildFacts = { packageVersion: () => '0.1.0', gitCommit: () => '7c764efabcdef0123456789' };
const noGit: BuildFacts = { packageVersion: () => '0.1.0', gitCommit: () => undefined };

function problem(env: NodeJS.ProcessEnv, build: BuildFacts = inRepo): string {
  try {
    loadWorkerConfig({ ...required, ...env }, build);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
}

it('is off by default, the reported build id saying so', () => {
  const { versioning } = loadWorkerConfig(required, inRepo);
  expect(versioning).toEqual({
    enabled: false,
    deploymentName: 'docket',
    buildId: '0.1.0-unversioned',
    setCurrent: false,
  });
  expect(workerDeploymentOptions(versioning)).toEqual({
    version: { deploymentName: 'docket', buildId: '0.1.0-unversioned' },
    useWorkerVersioning: false,
  });
});

it('turned on, the build id defaults to the package version and the git commit', () => {
  const { versioning } = loadWorkerConfig({ ...required, DOCKET_WORKER_VERSIONING: 'true' }, inRepo);
  expect(versioning.buildId).toBe('0.1.0-7c764efabcde');
});

it('turned on, polls as the configured version with auto-upgrade workflows', () => {
  const { versioning } = loadWorkerConfig(
    {
      ...required,
      DOCKET_WORKER_VERSIONING: 'true',
      DOCKET_DEPLOYMENT_NAME: 'docket-eu',
      DOCKET_BUILD_ID: '2025.12.1+build.7',
      DOCKET_DEPLOYMENT_SET_CURRENT: 'true',
    },
    noGit,
  );
  expect(versioning).toMatchObject({ enabled: true, buildId: '2025.12.1+build.7', setCurrent: true });
  expect(workerDeploymentOptions(versioning)).toEqual({
    version: { deploymentName: 'docket-eu', buildId: '2025.12.1+build.7' },
    useWorkerVersioning: true,
    defaultVersioningBehavior: 'AUTO_UPGRADE',
  });
});

it('takes the commit from DOCKET_GIT_COMMIT where there is no .git (images)', () => {
  const { versioning } = loadWorkerConfig(
    { ...required, DOCKET_WORKER_VERSIONING: 'true', DOCKET_GIT_COMMIT: 'abc1234' },
    noGit,
  );
  expect(versioning.buildId).toBe('0.1.0-abc1234');
});

it('refuses versioning without an honest build id', () => {
  expect(problem({ DOCKET_WORKER_VERSIONING: 'true' }, noGit)).toContain(
    'DOCKET_BUILD_ID is required with DOCKET_WORKER_VERSIONING=true',
  );
});

it('names malformed deployment names, build ids, commits and a set-current without versioning', () => {
  expect(problem({ DOCKET_DEPLOYMENT_NAME: 'docket.eu' })).toContain(
    "DOCKET_DEPLOYMENT_NAME='docket.eu' is not valid",
  );
  expect(problem({ DOCKET_BUILD_ID: 'a b' })).toContain("DOCKET_BUILD_ID='a b' is not valid");
  expect(problem({ DOCKET_GIT_COMMIT: 'main' })).toContain("DOCKET_GIT_COMMIT='main' is not valid");
  expect(problem({ DOCKET_WORKER_VERSIONING: 'yes' })).toContain(
    "DOCKET_WORKER_VERSIONING='yes' is not valid",
  );
  expect(problem({ DOCKET_DEPLOYMENT_SET_CURRENT: 'true' })).toContain(
    'DOCKET_DEPLOYMENT_SET_CURRENT=true needs DOCKET_WORKER_VERSIONING=true',
  );
});
