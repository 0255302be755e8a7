/*
 * What the Textract benchmarks (bench-scale.ts, bench-throughput.ts) start the same way: the local
 * stack on free ports, docket worker processes from dist/ with their environment, and an encrypting
 * Temporal client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KMSClient } from '@aws-sdk/client-kms';
import { Client, Connection } from '@temporalio/client';
import {
  stackEnv,
  startStackOnFreePorts,
  type RunningStack,
  type StackEndpoints,
} from '@docket/local/stack/stack';
import { corpusTextractDir, docketStackPlugins } from '../demo/stack';
import { encryptedDataConverter } from '../lib/payload-codec';
import { TextractApi, TextractFeature, type DocumentProfile } from '../lib/profile';

const repoRoot = path.resolve(__dirname, '..');

/** The local stack with docket's plugins and the corpus' Textract fixtures, data in a fresh temp dir. */
export async function startBenchStack(name: string): Promise<RunningStack> {
  return startStackOnFreePorts({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `docket-${name}-`)),
    ...docketStackPlugins,
    textractFixturesDir: corpusTextractDir,
  });
}

/**
 * CPU seconds (user + system) a process and its live descendants have used, from /proc (Linux); 0
 * where /proc cannot tell. The stack's servers are wrappers' children (the Temporal CLI under its
 * Python entry point), hence the tree.
 */
export function cpuSeconds(pid: number): number {
  const tick = 100; // USER_HZ on Linux
  const stat = (p: number) => {
    try {
      const text = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the command name in parentheses: state is 3rd; ppid 4th; utime 14th; stime 15th.
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / tick };
    } catch {
      return undefined;
    }
  };
  const all = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) all.set(Number(entry), s);
  }
  let total = 0;
  const walk = (p: number) => {
    total += all.get(p)?.cpu ?? 0;
    for (const [child, s] of all) if (s.ppid === p) walk(child);
  };
  walk(pid);
  return total;
}

/**
 * A worker's environment: the stack's, the local Textract account (its access key id) whose quota
 * and faults the benchmark set, its own task queue, no metrics, the built workflow bundle.
 */
export function benchWorkerEnv(
  stack: StackEndpoints,
  account: string,
  taskQueue: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...stackEnv(stack),
    AWS_ACCESS_KEY_ID: account,
    DOCKET_TASK_QUEUE: taskQueue,
    DOCKET_METRICS_ADDRESS: '',
    DOCKET_WORKFLOW_BUNDLE: path.join(repoRoot, 'dist', 'workflow-bundle.js'),
    ...extra,
  };
}

/** Starts dist/workers/main.js and waits until it says it runs; rejects with its output if it exits. */
export async function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'workers', 'main.js')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (out.includes('docket worker running')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`worker exited:\n${out.slice(-2000)}`)));
  });
  return child;
}

/** A Temporal client on the stack's namespace that encrypts payloads with the stack's KMS key. */
export async function benchClient(
  stack: StackEndpoints,
  kms: KMSClient,
): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({
    connection,
    namespace: stack.namespace,
    dataConverter: encryptedDataConverter({ kms, kmsKeyId: stack.resources.kmsAlias }),
  });
  return { connection, client };
}

/** A FORMS analysis profile that sends nothing to review, writing to the stack's output bucket. */
export function benchProfile(stack: StackEndpoints, name: string): DocumentProfile {
  return {
    name,
    textract: { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS] },
    defaultThreshold: 0,
    output: { bucket: stack.resources.outputBucket, kmsKeyId: stack.resources.kmsAlias },
  };
}
