import { startProcess, waitUntil, type ManagedProcess } from './process';

export interface MotoServerOptions {
  bin: string;
  host: string;
  port: number;
  logFile: string;
}

/** Starts moto server (S3, KMS, SQS, SNS on one port) and resolves once it answers. */
export async function startMotoServer(options: MotoServerOptions): Promise<ManagedProcess> {
  const proc = startProcess({
    name: 'moto server',
    command: options.bin,
    args: ['-H', options.host, '-p', String(options.port)],
    logFile: options.logFile,
  });
  try {
    await waitUntil(
      'moto server to answer',
      async () => (await fetch(`http://${options.host}:${options.port}/moto-api/data.json`)).ok,
      { timeoutMs: 30_000, process: proc },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}
