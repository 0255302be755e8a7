/**
 * Starts the local Textract as a child process of the stack launcher. It runs under tsx in its own
 * process because pdfjs-dist is ESM-only and OCR workers should not share the launcher's event loop.
 */
import path from 'node:path';
import { startProcess, waitUntil, type ManagedProcess } from '../stack/process';
import { localCredentials, localRegion } from '../stack/resources';
import { textractEnvVars } from './config';

export interface LocalTextractOptions {
  host: string;
  port: number;
  /** moto: documents are read from and OutputConfig results written to its S3. */
  awsEndpoint: string;
  fixturesDir?: string;
  logFile: string;
  /** More DOCKET_TEXTRACT_* settings (see config.ts). */
  env?: Record<string, string>;
}

export interface LocalTextract {
  endpoint: string;
  process: ManagedProcess;
}

/** The toolkit's own folder: the service runs from its sources, through tsx. */
const packageRoot = path.resolve(__dirname, '..');

/** Starts `node --import tsx textract/main.ts` and resolves once its health check answers. */
export async function startLocalTextract(options: LocalTextractOptions): Promise<LocalTextract> {
  const endpoint = `http://${options.host}:${options.port}`;
  const proc = startProcess({
    name: 'local textract',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(packageRoot, 'textract', 'main.ts')],
    logFile: options.logFile,
    cwd: packageRoot,
    env: {
      [textractEnvVars.host]: options.host,
      [textractEnvVars.port]: String(options.port),
      [textractEnvVars.awsEndpoint]: options.awsEndpoint,
      [textractEnvVars.fixtures]: options.fixturesDir ?? 'off',
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      ...options.env,
    },
  });
  try {
    await waitUntil(
      'the local Textract to answer',
      async () => (await fetch(`${endpoint}/__docket/health`)).ok,
      {
        timeoutMs: 30_000,
        process: proc,
      },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { endpoint, process: proc };
}
