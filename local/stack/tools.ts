import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Paths of the external binaries the local stack runs. */
export interface ToolPaths {
  temporal: string;
  temporalTestServer: string;
  motoServer: string;
}

export const repoRoot = path.resolve(__dirname, '..', '..');

let cached: ToolPaths | undefined;

/**
 * Runs scripts/bootstrap-tools.sh (idempotent; installs into .tools/ on first use) and returns the
 * paths it prints. The script is the single source of truth for versions and overrides.
 */
export function resolveTools(): ToolPaths {
  if (cached) return cached;
  let out: string;
  try {
    out = execFileSync('bash', [path.join(repoRoot, 'scripts', 'bootstrap-tools.sh')], {
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
  const get = (name: string): string => {
    const value = found.get(name);
    if (!value) throw new Error(`scripts/bootstrap-tools.sh did not print a path for ${name}`);
    return value;
  };
  cached = {
    temporal: get('temporal'),
    temporalTestServer: get('temporal-test-server'),
    motoServer: get('moto_server'),
  };
  return cached;
}
