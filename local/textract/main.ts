/*
 * `npx tsx local/textract/main.ts`: runs docket's local Textract until SIGTERM/SIGINT. Configured by
 * the variables in config.ts; prints one "listening" line when ready, which the stack launcher waits for.
 */
import module from 'node:module';
import { optionsFromEnv } from './config';
import { startTextractServer, type RunningTextractServer } from './server';

// Stack traces map back to docket's own sources, not to node_modules': tsx maps both, and the first
// stack through pdfjs decoded its source map into 435,000 arrays the service then kept, half its live
// heap (110 MB against 61 after one PDF), traced again by every full garbage collection.
module.setSourceMapsSupport(true, { nodeModules: false });

async function main(): Promise<void> {
  let server: RunningTextractServer | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server?.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());

  try {
    const options = optionsFromEnv();
    server = await startTextractServer(options);
    if (stopping) return void (await stop());
    const fixtures = options.fixturesDir ? `, fixtures ${options.fixturesDir}` : '';
    console.log(`local textract listening on ${server.url}${fixtures}`);
  } catch (err) {
    console.error(`local textract: ${(err as Error).message}`);
    process.exit(1);
  }
}

void main();
