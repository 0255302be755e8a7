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

/**
 * V8 starts with a small old generation, and each page allocates tens of megabytes (pixel buffers,
 * OCR text): it was collected in full about once a page, and each full collection dropped the code
 * optimised for the page's pixel loops (code compiled mid-loop is held weakly), so the next page ran
 * them unoptimised again and the compiler threads rebuilt them. Starting at 256 MB, the OCR throughput
 * rounds saw 7 full collections instead of 28, and V8's worker threads 0.057 CPU s a page instead of
 * 0.111 (main thread 0.157 against 0.192); the peak RSS of a fidelity run rose from 583 to 656 MB.
 * docker-compose starts the service with the same flag.
 */
export const serviceNodeFlags = ['--initial-old-space-size=256'];

/** Starts `node --import tsx textract/main.ts` and resolves once its health check answers. */
export async function startLocalTextract(options: LocalTextractOptions): Promise<LocalTextract> {
  const endpoint = `http://${options.host}:${options.port}`;
  const proc = startProcess({
    name: 'local textract',
    command: process.execPath,
    args: [...serviceNodeFlags, '--import', 'tsx', path.join(packageRoot, 'textract', 'main.ts')],
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
