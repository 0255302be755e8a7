// The production path, as the Dockerfile's `docket` stage builds it: production dependencies only
// (no dev dependencies, no toolkit workspace), the compiled dist/ and bin/. Every process docket ships
// must start from it without tsx, and none of the toolkit's OCR libraries may be there. The PDF, TIFF
// and canvas libraries are the product's since the review desk renders page images.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@docket/local/stack/tools';

const dockerfile = fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
/** The install command of the Dockerfile's runtime stage, replayed here word for word. */
const installLine = /^RUN (npm ci --omit=dev [^&\n]+?)\s*(?:&&|$)/m.exec(dockerfile)?.[1];

let app: string;
beforeAll(() => {
  if (!installLine) throw new Error('the Dockerfile has no `RUN npm ci --omit=dev …` line');
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'workflow-bundle.js'))) {
    throw new Error("dist/ is missing or incomplete: run 'npm run build' (npm test does) first");
  }
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-production-'));
  for (const file of ['package.json', 'package-lock.json', 'local/package.json']) {
    fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(app, file));
  }
  // npm's cache already holds every tarball from the checkout's own install.
  const [command = 'npm', ...args] = installLine.split(/\s+/);
  const res = spawnSync(command, [...args, '--prefer-offline'], { cwd: app, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${installLine} failed (${res.status}):\n${res.stderr}`);
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(app, 'dist'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'bin'), path.join(app, 'bin'), { recursive: true });
}, 300_000);

afterAll(() => {
  if (app) fs.rmSync(app, { recursive: true, force: true });
});

/** Runs a node program of the production install with only the given environment. */
function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, args, {
    cwd: app,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

it('installs no toolkit, OCR or TypeScript package', () => {
  const present = [
    '@docket/local',
    'tesseract.js',
    '@tesseract.js-data/eng',
    'tsx',
    'typescript',
    'jest',
  ].filter((name) => fs.existsSync(path.join(app, 'node_modules', name)));
  expect(present).toEqual([]);
  // What it does hold: the product's own runtime.
  for (const name of [
    '@temporalio/worker',
    '@aws-sdk/client-textract',
    'fastify',
    'zod',
    'jose',
    // Escalation notices (the worker's DOCKET_ESCALATION_TOPIC_ARN).
    '@aws-sdk/client-sns',
    'pdfjs-dist',
    '@napi-rs/canvas',
    'utif2',
  ]) {
    expect(fs.existsSync(path.join(app, 'node_modules', name))).toBe(true);
  }
});

it("renders a PDF page to PNG from compiled code, in the renderer's worker thread (ESM pdfjs without tsx)", () => {
  const pdf = path.join(repoRoot, 'test', 'fixtures', 'corpus', 'documents', 'sample-invoice.pdf');
  const script = `
    const { PageRenderer } = require('./dist/lib/pages/renderer.js');
    new PageRenderer()
      .render({ bytes: require('fs').readFileSync(${JSON.stringify(pdf)}), contentType: 'application/pdf', page: 1, maxSide: 1000 })
      .then((p) => console.log(JSON.stringify({ width: p.width, height: p.height, png: Buffer.from(p.png).subarray(1, 4).toString() })));
  `;
  const res = run(['-e', script]);
  expect(res.stderr).toBe('');
  expect(JSON.parse(res.stdout)).toEqual({ width: 708, height: 1000, png: 'PNG' });
});

it('runs `docket --help` from compiled code', () => {
  const res = run(['bin/docket.js', '--help']);
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  expect(res.stdout).toContain('Usage: docket');
  for (const command of ['start', 'status', 'approve', 'output', 'cancel']) {
    expect(res.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  }
});

it('refuses the development-only commands with the reason, instead of a stack trace', () => {
  const res = run(['bin/docket.js', 'stack']);
  expect(res.status).toBe(2);
  expect(res.stderr).toMatch(/docket stack needs (tsx|@docket\/local), a development dependency/);
});

it.each([
  ['worker', 'dist/workers/main.js', 1, 'DOCKET_RESULTS_BUCKET is required'],
  ['HTTP API', 'dist/clients/api/main.js', 2, 'DOCKET_OUTPUT_BUCKET is required'],
  // jose, an ES module, loads from the compiled CommonJS (it is imported before the configuration is read).
  ['HTTP API', 'dist/clients/api/main.js', 2, 'DOCKET_AUTH_ISSUER is required'],
  ['S3-event starter', 'dist/clients/s3-event-starter/main.js', 2, 'DOCKET_EVENTS_QUEUE_URL is required'],
  ['codec server', 'dist/clients/codec-server.js', 1, 'DOCKET_KMS_KEY_ID is required'],
  ['codec server', 'dist/clients/codec-server.js', 1, 'DOCKET_AUTH_ISSUER is required'],
])(
  'starts the %s from compiled code and stops at its configuration, before connecting anywhere',
  (_name, script, code, message) => {
    const res = run([script]);
    expect(res.stderr).toContain(message);
    expect(res.stderr).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION/);
    expect(res.status).toBe(code);
  },
);
