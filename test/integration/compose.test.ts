// docker-compose.yml: valid for docker-compose (Debian's 1.29), complete, and pointing at what exists:
// commands and mounted scripts in the repository, configuration each service's own loader accepts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SearchAttributeType } from '@temporalio/common';
import { apiEnvSchema, loadApiConfig } from '../../clients/api/config';
import { loadStarterConfig, starterEnvSchema } from '../../clients/s3-event-starter/config';
import { parse as parseYaml } from 'yaml';
import { initEnvVars, resourceNamesFromEnv } from '../../deploy/compose/init-aws';
import { codecEnvSchema, loadCodecServerConfig } from '../../clients/codec-server';
import { docketSearchAttributes } from '../../lib/contract';
import { repoRoot, resolveSystemTools } from '@docket/local/stack/tools';
import { optionsFromEnv, textractEnvVars } from '@docket/local/textract/config';
import { devIssuerEnvVars, devIssuerOptionsFromEnv } from '@docket/local/auth/config';
import { loadWorkerConfig, workerEnvSchema } from '../../workers/config';

// docker-compose 1.29 prints its resolved config only as YAML.

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  expose?: (string | number)[];
  container_name?: string;
  stop_grace_period?: string;
  restart?: string;
}
type Services = Record<string, Service>;

const composeFile = path.join(repoRoot, 'docker-compose.yml');
const oneShot = ['temporal-schema', 'temporal-setup', 'init'];
const longRunning = [
  'postgresql',
  'temporal',
  'temporal-ui',
  'moto',
  'textract',
  'auth',
  'worker',
  'api',
  'starter',
  'codec',
];
const packageScripts = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

function composeConfig(file: string) {
  const { dockerCompose } = resolveSystemTools();
  return spawnSync(dockerCompose, ['-f', file, 'config'], { cwd: path.dirname(file), encoding: 'utf8' });
}

let services: Services;
beforeAll(() => {
  const res = composeConfig(composeFile);
  if (res.status !== 0) throw new Error(`docker-compose config failed (${res.status}):\n${res.stderr}`);
  services = (parseYaml(res.stdout) as { services: Services }).services;
});

const env = (name: string): Record<string, string> => services[name]?.environment ?? {};
const seconds = (duration: string | undefined) => Number(/^(\d+)s$/.exec(duration ?? '')?.[1] ?? NaN);

/** Files a service needs from the repository that are missing: commands, npm scripts, mounts, scripts. */
function repoReferenceProblems(all: Services): string[] {
  const problems: string[] = [];
  const need = (service: string, file: string, why: string) => {
    if (!fs.existsSync(path.join(repoRoot, file))) problems.push(`${service}: ${why} ${file} does not exist`);
  };
  const filesIn = (words: string[]) => words.flatMap((w) => w.match(/[\w./-]+\.(?:ts|js|sh)\b/g) ?? []);
  for (const [name, service] of Object.entries(all)) {
    const command = [...(service.entrypoint ?? []), ...(service.command ?? [])];
    if (service.build) {
      need(name, path.relative(repoRoot, path.join(service.build.context, 'Dockerfile')), 'build file');
      if (command[0] === 'npm' && command[1] === 'run') {
        const script = packageScripts[command[2] ?? ''];
        if (script === undefined) problems.push(`${name}: npm script '${command[2]}' is not in package.json`);
        for (const file of filesIn((script ?? '').split(/\s+/)))
          need(name, file, `npm script ${command[2]}:`);
      } else if (command[0] !== 'tsx') {
        problems.push(`${name}: runs '${command.join(' ')}', neither an npm script nor a tsx file`);
      }
      for (const file of filesIn(command)) need(name, file, 'command');
      for (const file of filesIn(service.healthcheck?.test ?? [])) need(name, file, 'health check');
    }
    // Bind mounts: the host side must be in the repository, and what the entrypoint runs from them too.
    for (const volume of service.volumes ?? []) {
      const [host = '', target = ''] = volume.split(':');
      if (!path.isAbsolute(host)) continue;
      const relative = path.relative(repoRoot, host);
      if (relative.startsWith('..')) problems.push(`${name}: mounts ${host}, outside the repository`);
      else need(name, relative, 'mount');
      for (const word of command.filter((w) => w.startsWith(`${target}/`))) {
        need(name, path.join(relative, word.slice(target.length + 1)), 'entrypoint');
      }
    }
  }
  return problems;
}

it('docker-compose config accepts the file, and would refuse a broken one', () => {
  expect(Object.keys(services).sort()).toEqual([...oneShot, ...longRunning].sort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-compose-'));
  try {
    const broken = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(
      broken,
      'services:\n  a:\n    image: x:1\n    depends_on:\n      b:\n        condition: service_ready\n  b:\n    image: y:1\n',
    );
    const res = composeConfig(broken);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('service_ready');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('runs Temporal on PostgreSQL, its UI and moto from pinned images, docket from the repository Dockerfile', () => {
  const images = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.image?.split(':')[0]]));
  expect(images).toMatchObject({
    postgresql: 'postgres',
    'temporal-schema': 'temporalio/admin-tools',
    temporal: 'temporalio/server',
    'temporal-setup': 'temporalio/admin-tools',
    'temporal-ui': 'temporalio/ui',
    moto: 'motoserver/moto',
  });
  expect(env('temporal')).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  const unpinned = Object.entries(services)
    .filter(([, s]) => (s.build ? s.build.context !== repoRoot : !/:\d[\w.-]*$/.test(s.image ?? '')))
    .map(([name, s]) => `${name}: ${s.build?.context ?? s.image}`);
  expect(unpinned).toEqual([]);
  const built = Object.keys(services).filter((n) => services[n]?.build);
  expect(built.sort()).toEqual(['api', 'auth', 'codec', 'init', 'starter', 'textract', 'worker']);
  // The toolkit's stage only for the local Textract, the development issuer and the init step.
  const targets = Object.fromEntries(built.map((n) => [n, services[n]?.build?.target]));
  expect(targets).toEqual({
    api: 'docket',
    auth: 'local',
    codec: 'docket',
    init: 'local',
    starter: 'docket',
    textract: 'local',
    worker: 'docket',
  });
  const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => `${m[2]}=${m[1]}`);
  expect(stages).toEqual(['build=node:24-bookworm-slim', 'local=build', 'docket=node:24-bookworm-slim']);
  // The product's stage installs production dependencies only, without the toolkit workspace.
  expect(dockerfile).toMatch(/^RUN npm ci --omit=dev --workspaces=false\b/m);
  // The worker is told to load the bundle `npm run build` makes.
  expect(packageScripts.build).toContain(path.relative('/app', env('worker').DOCKET_WORKFLOW_BUNDLE ?? ''));
});

it('gives long-running services health checks and makes each service wait for what it needs', () => {
  const checked = Object.keys(services).filter((n) => (services[n]?.healthcheck?.test.length ?? 0) > 1);
  expect(checked.sort()).toEqual([...longRunning].sort());
  // Servers come back after a crash; one-shot steps must not loop; moto would come back empty.
  const restarted = Object.keys(services).filter((n) => services[n]?.restart === 'unless-stopped');
  expect(restarted.sort()).toEqual(longRunning.filter((n) => n !== 'moto').sort());
  const healthy = { condition: 'service_healthy' };
  const done = { condition: 'service_completed_successfully' };
  const waits = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.depends_on ?? {}]));
  expect(waits).toEqual({
    postgresql: {},
    moto: {},
    'temporal-schema': { postgresql: healthy },
    temporal: { 'temporal-schema': done },
    'temporal-setup': { temporal: healthy },
    'temporal-ui': { temporal: healthy },
    init: { moto: healthy },
    textract: { moto: healthy },
    auth: {},
    worker: { 'temporal-setup': done, init: done, textract: healthy },
    api: { 'temporal-setup': done, init: done, auth: healthy },
    starter: { 'temporal-setup': done, init: done },
    codec: { init: done, auth: healthy },
  });
});

it('points every command, npm script, mount and script at files that exist', () => {
  expect(repoReferenceProblems(services)).toEqual([]);
  // The check itself notices what a rename would break.
  const broken: Services = structuredClone(services);
  broken.worker = { ...broken.worker, command: ['npm', 'run', 'wroker'] };
  broken.textract = { ...broken.textract, command: ['tsx', 'local/textract/mian.ts'] };
  broken['temporal-setup'] = { ...broken['temporal-setup'], entrypoint: ['/bin/sh', '/docket/setup.sh'] };
  const problems = repoReferenceProblems(broken);
  expect(problems).toHaveLength(3);
  expect(problems).toEqual(
    expect.arrayContaining([
      "worker: npm script 'wroker' is not in package.json",
      'textract: command local/textract/mian.ts does not exist',
      'temporal-setup: entrypoint deploy/compose/setup.sh does not exist',
    ]),
  );
});

/** Per built service: the variables its code reads and its own loader (which throws on bad values). */
const loaders: Record<string, { known: readonly string[]; load: (e: NodeJS.ProcessEnv) => unknown }> = {
  worker: { known: Object.keys(workerEnvSchema.shape), load: loadWorkerConfig },
  api: { known: Object.keys(apiEnvSchema.shape), load: loadApiConfig },
  starter: { known: Object.keys(starterEnvSchema.shape), load: loadStarterConfig },
  textract: { known: Object.values(textractEnvVars), load: optionsFromEnv },
  init: { known: initEnvVars, load: resourceNamesFromEnv },
  codec: { known: Object.keys(codecEnvSchema.shape), load: loadCodecServerConfig },
  auth: { known: Object.values(devIssuerEnvVars), load: devIssuerOptionsFromEnv },
};
// Read by the AWS SDK's default chain and @temporalio/envconfig rather than by docket's schemas.
const sdkVariables = ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_TEXTRACT', 'AWS_ACCESS_KEY_ID'];
const sdkSecrets = ['AWS_SECRET_ACCESS_KEY'];
const temporalVariables = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE'];

it("gives docket's services configuration their own loaders accept, with no misspelled names", () => {
  for (const [name, { known, load }] of Object.entries(loaders)) {
    const vars = env(name);
    expect(() => load(vars)).not.toThrow();
    const unknown = Object.keys(vars).filter(
      (k) => ![...known, ...sdkVariables, ...sdkSecrets, ...temporalVariables].includes(k),
    );
    expect({ name, unknown }).toEqual({ name, unknown: [] });
  }
});

it('agrees across services and addresses each server by its service name and port', () => {
  const seen = new Map<string, string>();
  for (const name of Object.keys(loaders)) {
    for (const [key, value] of Object.entries(env(name))) {
      if (key.endsWith('_HOST') || key.endsWith('_PORT')) continue; // listen settings, per service
      expect({ key, value }).toEqual({ key, value: seen.get(key) ?? value });
      seen.set(key, value);
    }
  }
  const containerPort = (service: string) => services[service]?.ports?.[0]?.split(':')[2]?.split('/')[0];
  expect(seen.get('TEMPORAL_ADDRESS')).toBe(`temporal:${containerPort('temporal')}`);
  expect(seen.get('AWS_ENDPOINT_URL')).toBe(`http://moto:${containerPort('moto')}`);
  expect(seen.get('DOCKET_EVENTS_QUEUE_URL')).toMatch(new RegExp(`^http://moto:${containerPort('moto')}/`));
  const textractPort = env('textract').DOCKET_TEXTRACT_PORT;
  expect(seen.get('AWS_ENDPOINT_URL_TEXTRACT')).toBe(`http://textract:${textractPort}`);
  // Tokens name the issuer as browsers reach it; the containers fetch its keys by service name.
  const authPort = env('auth').DOCKET_AUTH_PORT;
  expect(seen.get('DOCKET_AUTH_ISSUER')).toBe(env('auth').DOCKET_AUTH_PUBLIC_URL);
  expect(seen.get('DOCKET_AUTH_ISSUER')).toBe(`http://127.0.0.1:${authPort}`);
  expect(seen.get('DOCKET_AUTH_DISCOVERY_URL')).toBe(
    `http://auth:${authPort}/.well-known/openid-configuration`,
  );
  expect(seen.get('DOCKET_AUTH_AUDIENCE')).toBe(env('auth').DOCKET_AUTH_AUDIENCE);
  expect(env('temporal-ui').TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  expect(env('textract').DOCKET_TEXTRACT_HOST).toBe('0.0.0.0');
  expect(env('api').DOCKET_API_HOST).toBe('0.0.0.0');
  const metricsPort = /^0\.0\.0\.0:(\d+)$/.exec(env('worker').DOCKET_METRICS_ADDRESS ?? '')?.[1];
  // Each HTTP health check asks the port the service listens on, and the port it publishes.
  const listens = {
    textract: textractPort,
    api: env('api').DOCKET_API_PORT,
    worker: metricsPort,
    codec: env('codec').DOCKET_CODEC_PORT,
    auth: env('auth').DOCKET_AUTH_PORT,
  };
  for (const [name, port] of Object.entries(listens)) {
    expect(port).toMatch(/^\d+$/);
    expect(services[name]?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/`);
    // The worker publishes no host port (it scales); it exposes its metrics port on the network.
    if (name === 'worker') expect((services.worker?.expose ?? []).map(String)).toContain(port);
    else expect(containerPort(name)).toBe(port);
  }
});

it('lets the worker scale (docker-compose up --scale worker=3): no host port, no fixed container name', () => {
  // A published host port or a container name can be taken by one replica only.
  expect(services.worker?.ports).toBeUndefined();
  expect(services.worker?.container_name).toBeUndefined();
  // The replicas find their work through the task queue, not through an address of their own.
  expect(env('worker').DOCKET_TASK_QUEUE).toBe(env('api').DOCKET_TASK_QUEUE);
});

it('lets the worker and the starter finish their graceful shutdown before docker kills them', () => {
  const graceMs = Number(env('worker').DOCKET_SHUTDOWN_GRACE_MS);
  expect(seconds(services.worker?.stop_grace_period) * 1000).toBeGreaterThan(graceMs + 5000);
  const waitSeconds = Number(env('starter').DOCKET_EVENTS_WAIT_SECONDS);
  expect(seconds(services.starter?.stop_grace_period)).toBeGreaterThan(waitSeconds + 5);
});

it("registers exactly docket's search attributes in the Temporal setup step", () => {
  const script = fs.readFileSync(path.join(repoRoot, 'deploy/compose/temporal-setup.sh'), 'utf8');
  const listed = /^search_attributes="([^"]*)"$/m.exec(script)?.[1]?.split(/\s+/) ?? [];
  const cliType: Record<string, string> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.BOOL]: 'Bool',
    [SearchAttributeType.DOUBLE]: 'Double',
    [SearchAttributeType.INT]: 'Int',
  };
  expect(listed.sort()).toEqual(docketSearchAttributes.map((k) => `${k.name}:${cliType[k.type]}`).sort());
  expect(services['temporal-setup']?.entrypoint).toEqual(['/bin/sh', '/docket/temporal-setup.sh']);
  expect(env('temporal-setup').TEMPORAL_NAMESPACE).toBe(env('worker').TEMPORAL_NAMESPACE);
});

it("publishes ports on loopback only and holds no credentials besides moto's dummy ones", () => {
  for (const [name, service] of Object.entries(services)) {
    const published = (service.ports ?? []).filter((p) => !p.startsWith('127.0.0.1:'));
    expect({ name, published }).toEqual({ name, published: [] });
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (!/PASSWORD|PWD|SECRET|TOKEN|API_KEY|ACCESS_KEY/.test(key)) continue;
      expect({ name, key, value }).toEqual({ name, key, value: 'testing' });
      expect([...sdkVariables, ...sdkSecrets]).toContain(key);
    }
  }
  // PostgreSQL trusts its network instead of holding a password: it must not be reachable from outside.
  expect(env('postgresql').POSTGRES_HOST_AUTH_METHOD).toBe('trust');
  expect(services.postgresql?.ports).toBeUndefined();
});
