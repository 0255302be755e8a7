import fs from 'node:fs';
import type { RunningStack } from '@docket/local/stack/stack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __docketStack?: RunningStack }).__docketStack;
  if (!stack) return;
  await stack.stop();
  if (!process.env.DOCKET_KEEP_TEST_DATA) fs.rmSync(stack.dataDir, { recursive: true, force: true });
}
