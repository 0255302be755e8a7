// The local stack's Temporal keeps its workflows in a SQLite file with a write-ahead log (synced at
// checkpoints, not at every commit, for speed). A killed server must still come back with every
// workflow it had accepted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '@docket/local/stack/ports';
import { startTemporalDevServer } from '@docket/local/stack/temporal-dev-server';
import { resolveTools } from '@docket/local/stack/tools';

jest.setTimeout(120_000);

it('keeps accepted workflows across a kill -9 of the dev server', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-temporal-db-'));
  const dbFile = path.join(dir, 'temporal.sqlite');
  const host = '127.0.0.1';
  const start = async () => {
    const port = await freePort(host);
    const server = await startTemporalDevServer({
      bin: resolveTools().temporal,
      host,
      port,
      uiPort: await freePort(host),
      namespace: 'default',
      dbFile,
      logFile: path.join(dir, 'temporal.log'),
      searchAttributes: [],
    });
    return { server, address: `${host}:${port}` };
  };
  const first = await start();
  const workflowId = `durable-${randomUUID()}`;
  try {
    const connection = await Connection.connect({ address: first.address });
    await new Client({ connection }).workflow.start('neverPolledWorkflow', {
      taskQueue: `nobody-${randomUUID()}`,
      workflowId,
      args: [{ n: 1 }],
    });
    await connection.close();
    // The log is on: commits are in the -wal file until a checkpoint.
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(true);
  } finally {
    process.kill(first.server.pid, 'SIGKILL');
    await first.server.stop();
  }

  const second = await start();
  try {
    const connection = await Connection.connect({ address: second.address });
    const described = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.type).toBe('neverPolledWorkflow');
    await connection.close();
  } finally {
    await second.server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
