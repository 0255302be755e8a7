// Headless Chromium for UI checks: the Debian package (never a browser download), driven by
// playwright-core, allowed to reach only the origins a test names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { resolveSystemTools } from '@docket/local/stack/tools';

/*
 * The network here is closed: without these Chromium keeps retrying its own services (QUIC, updates,
 * sync, field trials) and floods the logs with refused connections.
 */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface HeadlessBrowser {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Origins pages may load from (`http://127.0.0.1:8233`); any other request is aborted. */
  allowedOrigins: string[];
}

/** Chromium with a fresh profile and a 1440×900 viewport. */
export async function launchChromium(options: LaunchOptions): Promise<HeadlessBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: resolveSystemTools().chromium,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1440, height: 900 },
    });
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const allowed = new Set(options.allowedOrigins.map((o) => new URL(o).origin));
  // The Temporal UI fetches a news feed from temporal.io: answer at once instead of waiting on DNS.
  await context.route(
    (url) => !allowed.has(url.origin),
    (route) => route.abort('blockedbyclient'),
  );
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
