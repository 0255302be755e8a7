/*
 * The stack launcher's command line (`npm run stack` runs it through demo/stack.ts, which plugs in
 * docket's search attributes and codec server): runs the local stack in the foreground until Ctrl-C or SIGTERM, then stops
 * everything it started. Ports and folders come from flags or DOCKET_* variables (flags win).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultTextractPort } from '../textract/config';
import { envVars, startStack, type RunningStack, type StackOptions, type StackPlugins } from './stack';
import { repoRoot } from './tools';

const defaultCodecPort = 9234;

const usage = `usage: npm run stack -- [--host H] [--temporal-port P] [--temporal-ui-port P] [--moto-port P]
                       [--textract-port P] [--codec-port P] [--auth-port P] [--token-lifetime S]
                       [--namespace N] [--data-dir DIR]
  defaults: 127.0.0.1, 7233, 8233, 5055, ${defaultTextractPort}, ${defaultCodecPort}, a free port, 3600, default, .data
  the same settings as variables: ${Object.values(envVars).join(', ')}`;

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new UsageError(`${name} must be a port number from 1 to 65535, got '${value}'`);
  }
  return n;
}

function seconds(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} must be whole seconds (1 or more), got '${value}'`);
  return n;
}

class UsageError extends Error {}

function readOptions(argv: string[], plugins: StackPlugins): StackOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      'temporal-port': { type: 'string' },
      'temporal-ui-port': { type: 'string' },
      'moto-port': { type: 'string' },
      'textract-port': { type: 'string' },
      'codec-port': { type: 'string' },
      'auth-port': { type: 'string' },
      'token-lifetime': { type: 'string' },
      namespace: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const env = process.env;
  return {
    ...plugins,
    host: values.host ?? env[envVars.host] ?? '127.0.0.1',
    temporalPort: port(values['temporal-port'] ?? env[envVars.temporalPort], 7233, envVars.temporalPort),
    temporalUiPort: port(
      values['temporal-ui-port'] ?? env[envVars.temporalUiPort],
      8233,
      envVars.temporalUiPort,
    ),
    motoPort: port(values['moto-port'] ?? env[envVars.motoPort], 5055, envVars.motoPort),
    textractPort: port(
      values['textract-port'] ?? env[envVars.textractPort],
      defaultTextractPort,
      envVars.textractPort,
    ),
    codecPort: port(values['codec-port'] ?? env[envVars.codecPort], defaultCodecPort, envVars.codecPort),
    authPort: port(values['auth-port'] ?? env[envVars.authPort], 0, envVars.authPort),
    tokenLifetime: seconds(
      values['token-lifetime'] ?? env[envVars.tokenLifetime],
      3600,
      envVars.tokenLifetime,
    ),
    namespace: values.namespace ?? env[envVars.namespace] ?? 'default',
    dataDir: path.resolve(values['data-dir'] ?? env[envVars.dataDir] ?? path.join(repoRoot, '.data')),
  };
}

function describe(stack: RunningStack): string {
  const r = stack.resources;
  const env = Object.entries(stack.env())
    .map(([k, v]) => `  export ${k}=${v}`)
    .join('\n');
  return `docket local stack is up
  Temporal frontend  ${stack.temporalAddress}  (namespace ${stack.namespace})
  Temporal Web UI    ${stack.temporalUiUrl}/namespaces/${stack.namespace}/workflows
  AWS (moto)         ${stack.awsEndpoint}  S3, KMS, SQS, SNS in ${stack.region}
    buckets          ${r.inputBucket} (events → ${r.eventsQueue}), ${r.resultsBucket}, ${r.outputBucket}
    KMS key          ${r.kmsAlias} → ${r.kmsKeyArn}
    S3 events        ${r.eventsQueueUrl} (dead letters: ${r.eventsDeadLetterQueue})
  Textract (local)   ${stack.textractEndpoint}  (admin: ${stack.textractEndpoint}/__docket/faults)
${stack.codecEndpoint ? `  codec server       ${stack.codecEndpoint}  (the Web UI decrypts docket's payloads through it; loopback only)\n` : ''}  OIDC issuer (dev)  ${stack.auth.issuer}  (users alice, bob: reviewers; olga: operator; sam: submitter)
    a token          npm run token -- alice
  data and logs      ${stack.dataDir}
Environment for docket processes (also in ${path.join(stack.dataDir, 'stack.env')}; load it with
  set -a; . ${path.join(stack.dataDir, 'stack.env')}; set +a):
${env}
Press Ctrl-C to stop everything.`;
}

/**
 * Runs the stack in the foreground until Ctrl-C or SIGTERM. `plugins` add what the product brings:
 * search attributes, a codec server, recorded responses.
 */
export async function runStackCli(
  argv: string[],
  plugins: StackPlugins & Pick<StackOptions, 'textractFixturesDir'> = {},
): Promise<void> {
  let options: StackOptions;
  try {
    options = readOptions(argv, plugins);
  } catch (err) {
    console.error(`docket stack: ${(err as Error).message}\n${usage}`);
    process.exit(2);
  }

  let stopping = false;
  let stack: RunningStack | undefined;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (stack) {
      console.log('docket stack: stopping…');
      await stack.stop();
      fs.rmSync(path.join(stack.dataDir, 'stack.json'), { force: true });
      fs.rmSync(path.join(stack.dataDir, 'stack.env'), { force: true });
    }
    process.exit(code);
  };
  // Signals that arrive while starting are honoured once startStack has something to stop.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void stop(0));
  }

  console.log('docket stack: starting Temporal dev server, moto and the local Textract…');
  try {
    stack = await startStack(options);
  } catch (err) {
    console.error(`docket stack: ${(err as Error).message}`);
    process.exit(1);
  }
  if (stopping) return void (await stop(0));
  fs.writeFileSync(
    path.join(stack.dataDir, 'stack.json'),
    JSON.stringify(
      {
        ...stack,
        processes: stack.processes.map((p) => ({ name: p.name, pid: p.pid, logFile: p.logFile })),
        launcherPid: process.pid,
        env: stack.env(),
      },
      null,
      2,
    ),
  );
  // The same environment as a file a shell can source: set -a; . .data/stack.env; set +a
  fs.writeFileSync(
    path.join(stack.dataDir, 'stack.env'),
    Object.entries(stack.env())
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  console.log(describe(stack));

  // A server that dies on its own takes the stack down with it rather than leaving half a stack.
  for (const proc of stack.processes) {
    proc.exited.catch((err: Error) => {
      if (stopping) return;
      console.error(`docket stack: ${err.message}`);
      void stop(1);
    });
  }
}
