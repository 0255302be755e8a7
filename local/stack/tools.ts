import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Paths of the external binaries the local stack runs. */
export interface ToolPaths {
  temporal: string;
  temporalTestServer: string;
  motoServer: string;
}

/** The system tools only the tests need (Debian packages): a browser and docker-compose. */
export interface SystemToolPaths {
  chromium: string;
  dockerCompose: string;
}

export const repoRoot = path.resolve(__dirname, '..', '..');

let cached: ToolPaths | undefined;
let cachedSystem: SystemToolPaths | undefined;

/**
 * Runs scripts/bootstrap-tools.sh (idempotent; installs into .tools/ on first use) and returns the
 * paths it prints. The script is the single source of truth for versions and overrides.
 */
export function resolveTools(): ToolPaths {
  if (cached) return cached;
  const get = runBootstrap([]);
  cached = {
    temporal: get('temporal'),
    temporalTestServer: get('temporal-test-server'),
    motoServer: get('moto_server'),
  };
  return cached;
}

/** Chromium and docker-compose, installed from Debian packages by the bootstrap when it may. */
export function resolveSystemTools(): SystemToolPaths {
  if (cachedSystem) return cachedSystem;
  const get = runBootstrap(['--with-system']);
  cachedSystem = { chromium: get('chromium'), dockerCompose: get('docker-compose') };
  return cachedSystem;
}

function runBootstrap(args: string[]): (name: string) => string {
  let out: string;
  try {
    out = execFileSync('bash', [path.join(repoRoot, 'scripts', 'bootstrap-tools.sh'), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`the docket tools are not available:\n${stderr.trim() || String(err)}`);
  }
  const found = new Map<string, string>();
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) found.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  return (name: string): string => {
    const value = found.get(name);
    if (!value) throw new Error(`scripts/bootstrap-tools.sh did not print a path for ${name}`);
    return value;
  };
}
