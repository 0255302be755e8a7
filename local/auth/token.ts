/*
 * Prints a development access token for one of the development issuer's users:
 *   npm run token -- alice            (DOCKET_TOKEN=$(npm run -s token -- alice) docket approve …)
 * The issuer is DOCKET_AUTH_ISSUER, else the one the running `npm run stack` wrote to
 * <data dir>/stack.json. Development only: the issuer signs in anyone on its list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../stack/tools';
import { devUsers, fetchDevToken } from './dev-issuer';

const usage = `usage: npm run -s token -- <user> [--expires-in SECONDS]
  users: ${Object.entries(devUsers)
    .map(([login, u]) => `${login} (${u.groups.join(', ')})`)
    .join('; ')}`;

function issuerUrl(): string {
  if (process.env.DOCKET_AUTH_ISSUER) return process.env.DOCKET_AUTH_ISSUER;
  const file = path.join(
    path.resolve(process.env.DOCKET_DATA_DIR ?? path.join(repoRoot, '.data')),
    'stack.json',
  );
  try {
    const stack = JSON.parse(fs.readFileSync(file, 'utf8')) as { auth?: { issuer?: string } };
    if (stack.auth?.issuer) return stack.auth.issuer;
  } catch {
    // Reported below.
  }
  throw new Error(
    `no issuer: set DOCKET_AUTH_ISSUER or start the local stack (npm run stack), which writes ${file}`,
  );
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { 'expires-in': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [login] = positionals;
  if (values.help || !login || positionals.length > 1) {
    console.error(usage);
    process.exit(values.help ? 0 : 2);
  }
  const expiresIn = values['expires-in'] === undefined ? undefined : Number(values['expires-in']);
  console.log(await fetchDevToken(issuerUrl(), login, expiresIn === undefined ? {} : { expiresIn }));
}

main().catch((err: unknown) => {
  console.error(`docket token: ${(err as Error).message}`);
  process.exit(1);
});
