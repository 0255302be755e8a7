import { Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import type { SearchAttributeType } from '@temporalio/common';

/** The shape of a key made by defineSearchAttributeKey (the SDK does not export the type by name). */
export interface SearchAttributeKeyLike {
  name: string;
  type: SearchAttributeType;
}
import { startProcess, waitUntil, type ManagedProcess } from './process';

export interface TemporalDevServerOptions {
  bin: string;
  host: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file that keeps workflows across restarts. */
  dbFile: string;
  logFile: string;
  searchAttributes: readonly SearchAttributeKeyLike[];
  /** Codec server the Web UI decodes payloads with (docket encrypts every payload). */
  uiCodecEndpoint?: string;
}

const cliTypeNames: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** SQLite settings of the dev server's file (see startTemporalDevServer). */
export const sqlitePragmas = ['journal_mode=wal', 'synchronous=normal'] as const;

/** `--search-attribute Name=Type` arguments for `temporal server start-dev`. */
export function searchAttributeArgs(keys: readonly SearchAttributeKeyLike[]): string[] {
  return keys.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeNames[key.type]}`]);
}

/** Starts `temporal server start-dev` and resolves once the frontend answers health checks and the UI serves. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<ManagedProcess> {
  const proc = startProcess({
    name: 'temporal dev server',
    command: options.bin,
    args: [
      'server',
      'start-dev',
      '--ip',
      options.host,
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--db-filename',
      options.dbFile,
      // SQLite's defaults (a rollback journal, fsync at every commit) made the server wait on the disk:
      // 3.1 docs/s through the throughput benchmark against 4.7 with a write-ahead log synced at
      // checkpoints, which keeps every commit across a crash of the server or of docket and risks only
      // the last commits on a power cut (no loss of durability the local stack needs).
      ...sqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
      '--namespace',
      options.namespace,
      '--log-level',
      'warn',
      // The machine may have no internet: the UI must not try to fetch its news feed.
      '--ui-disable-news-fetch',
      ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
      ...searchAttributeArgs(options.searchAttributes),
    ],
    logFile: options.logFile,
  });
  try {
    await waitUntil('the Temporal frontend to answer', () => frontendHealthy(options.host, options.port), {
      timeoutMs: 60_000,
      process: proc,
    });
    await waitUntil(
      'the Temporal Web UI to answer',
      async () => (await fetch(`http://${options.host}:${options.uiPort}/`)).ok,
      { timeoutMs: 30_000, process: proc },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

async function frontendHealthy(host: string, port: number): Promise<boolean> {
  const connection = await Connection.connect({ address: `${host}:${port}`, connectTimeout: 1000 });
  try {
    const res = await connection.healthService.check({});
    return res.status === grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
  } finally {
    await connection.close();
  }
}
