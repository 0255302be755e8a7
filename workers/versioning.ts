/*
 * Worker Versioning: which worker deployment and build this worker is, and (optionally) making it the
 * deployment's current version once it polls. See docs/deployment.md#deploys-and-worker-versioning.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';
import { booleanString, ConfigError } from '../lib/config';

/**
 * Document workflows move to the new build at their next workflow task (auto-upgrade): a review may
 * wait a week, and pinning would keep every build's workers running until its last review ends.
 * Changes to workflow code therefore go behind patched() and are replayed against recorded histories.
 * Set here, on versioned workers only: a behaviour declared on the workflow definition fails every
 * workflow task of an unversioned worker (the server refuses it).
 */
export const documentVersioningBehavior = 'AUTO_UPGRADE' as const;

const namePattern = /^[A-Za-z0-9_-]{1,200}$/;
const buildIdPattern = /^[A-Za-z0-9._+-]{1,200}$/;

/** The DOCKET_* variables of Worker Versioning, merged into the worker's schema. */
export const versioningEnvPart = z.object({
  /** Poll as a version of a worker deployment (Worker Versioning). @default false */
  DOCKET_WORKER_VERSIONING: booleanString.default(false),
  /** The worker deployment's name. @default 'docket' */
  DOCKET_DEPLOYMENT_NAME: z
    .string()
    .regex(namePattern, 'letters, digits, - and _ only (at most 200)')
    .default('docket'),
  /** This build's id. @default '<package version>-<git commit>' ('<version>-unversioned' with versioning off) */
  DOCKET_BUILD_ID: z.string().regex(buildIdPattern, 'letters, digits and ._+- only (at most 200)').optional(),
  /** The commit this build was made from (images have no .git); used for the default build id. */
  DOCKET_GIT_COMMIT: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, 'a git commit hash (7 to 40 hex digits)')
    .optional(),
  /** Make this version the deployment's current one once the worker polls. @default false */
  DOCKET_DEPLOYMENT_SET_CURRENT: booleanString.default(false),
});
type VersioningEnv = z.infer<typeof versioningEnvPart>;

export interface VersioningConfig {
  enabled: boolean;
  deploymentName: string;
  buildId: string;
  /** Set this version current at start (only with `enabled`). */
  setCurrent: boolean;
}

/** Where the build id's default comes from; tests replace it. */
export interface BuildFacts {
  packageVersion: () => string;
  gitCommit: () => string | undefined;
}

/** Resolves the versioning settings; throws ConfigError when no honest build id can be made. */
export function resolveVersioning(v: VersioningEnv, facts: BuildFacts = buildFacts): VersioningConfig {
  if (v.DOCKET_DEPLOYMENT_SET_CURRENT && !v.DOCKET_WORKER_VERSIONING) {
    throw new ConfigError(
      'invalid configuration:\n  DOCKET_DEPLOYMENT_SET_CURRENT=true needs DOCKET_WORKER_VERSIONING=true',
    );
  }
  let buildId = v.DOCKET_BUILD_ID;
  if (!buildId) {
    // git is asked only when the id matters: unversioned, it is only reported in the worker's log.
    const commit = v.DOCKET_GIT_COMMIT ?? (v.DOCKET_WORKER_VERSIONING ? facts.gitCommit() : undefined);
    if (commit) buildId = `${facts.packageVersion()}-${commit.slice(0, 12)}`;
    else if (v.DOCKET_WORKER_VERSIONING) {
      // The package version alone names every build of a release alike: not a build id.
      throw new ConfigError(
        'invalid configuration:\n  DOCKET_BUILD_ID is required with DOCKET_WORKER_VERSIONING=true when the ' +
          'git commit is unknown (no .git here): set DOCKET_BUILD_ID, or DOCKET_GIT_COMMIT at image build',
      );
    } else buildId = `${facts.packageVersion()}-unversioned`;
  }
  return {
    enabled: v.DOCKET_WORKER_VERSIONING,
    deploymentName: v.DOCKET_DEPLOYMENT_NAME,
    buildId,
    setCurrent: v.DOCKET_DEPLOYMENT_SET_CURRENT,
  };
}

/** The worker's deployment options: versioned with auto-upgrade, or unversioned (the version is still reported). */
export function workerDeploymentOptions(config: VersioningConfig): WorkerDeploymentOptions {
  const version = { deploymentName: config.deploymentName, buildId: config.buildId };
  return config.enabled
    ? { version, useWorkerVersioning: true, defaultVersioningBehavior: documentVersioningBehavior }
    : { version, useWorkerVersioning: false };
}

/** docket's own package folder, from workers/ (tsx) or dist/workers/ (compiled, production installs). */
function findPackageRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (
      fs.existsSync(file) &&
      (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'docket'
    )
      return dir;
  }
  throw new Error(`docket's package.json not found above ${from}`);
}

const buildFacts: BuildFacts = {
  packageVersion: () =>
    (
      JSON.parse(fs.readFileSync(path.join(findPackageRoot(__dirname), 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version,
  gitCommit: () => {
    try {
      return execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: findPackageRoot(__dirname),
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      return undefined;
    }
  },
};

export interface SetCurrentOptions {
  connection: NativeConnection;
  namespace: string;
  deploymentName: string;
  buildId: string;
  identity: string;
  /** Give up after this long. @default 60_000 */
  timeoutMs?: number;
  /** Stop trying (the worker is shutting down). */
  signal?: AbortSignal;
}

/**
 * Makes the version current, as `temporal worker deployment set-current-version` does. The server
 * knows a version only after one of its workers polled, so this retries until it is registered.
 */
export async function setCurrentVersion(options: SetCurrentOptions): Promise<void> {
  const { connection, namespace, deploymentName, buildId, identity } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    try {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName,
        buildId,
        identity,
      });
      return;
    } catch (err) {
      if (Date.now() > deadline || options.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
