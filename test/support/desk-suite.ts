// The review desk suite's shared setup (test/integration/desk.test.ts): the stack, the API built as
// the API process builds it, a worker, the documents waiting for review, one headless browser per
// reviewer, and the helpers its tests drive them with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { stackEnv } from '@docket/local/stack/stack';
import { repoRoot } from '@docket/local/stack/tools';
import { loadClientConfig } from '../../clients/config';
import type { DeskField } from '../../clients/desk/fields';
import { DocketClient } from '../../clients/documents';
import { DocumentStatus, DocumentStatusKey, documentWorkflowId } from '../../lib/contract';
import { uniqueBytes, uniqueCorpusDocument } from '../fixtures/textract/harness';
import { apiFor } from './api-server';
import { launchChromium, type HeadlessBrowser } from './browser';
import { eventually, LifecycleSuite, type WorkerProcess } from './lifecycle';

const suite = new LifecycleSuite('desk');
export const issuer = suite.stack.auth.issuer;
export const run = randomUUID().slice(0, 8);
export const taskQueue = `desk-test-${run}`;
export const documentId = `desk-degraded-${run}`;
/** The corpus's multi-page PDF (its recorded Textract response: no OCR), every field held to 99.9. */
export const multipageId = `desk-multipage-${run}`;
/** The corpus invoice under a profile whose missing invoice number is a critical field. */
export const criticalId = `desk-critical-${run}`;
/**
 * Listed by visibility as awaiting review, on a task queue no worker polls (as when a worker fleet is
 * gone): its status query is never answered, and the queue must still show the others.
 */
export const orphanId = `desk-orphan-${run}`;
export const artifacts = path.join(repoRoot, 'test-artifacts');
/** The development issuer's reviewers (local/auth/dev-issuer.ts). */
export const alice = { login: 'alice', name: 'Alice Archer', subject: 'dev-alice' };
export const bob = { login: 'bob', name: 'Bob Baker', subject: 'dev-bob' };
export type Reviewer = typeof alice;
export const corrected = `INV-${run}`;
export let docket: DocketClient;
let app: FastifyInstance;
export let baseUrl: string;
let worker: WorkerProcess;
/** One browser per reviewer: each has its own cookies, so its own session. */
export const browsers: Partial<Record<'alice' | 'bob', HeadlessBrowser>> = {};
/** Alice's bearer token, for the JSON routes this test reads directly. */
let aliceToken: string;

/** Starts the stack, the API, a worker and the four documents, and waits for three to reach review. */
export async function setUpDesk(): Promise<void> {
  fs.mkdirSync(artifacts, { recursive: true });
  Object.assign(process.env, stackEnv(suite.stack));
  await suite.setUp();
  // The demo's own profile: its thresholds are what send the degraded scan to review.
  const profilesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docket-desk-')), 'profiles.json');
  const demoProfiles = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'demo', 'profiles.json'), 'utf8'),
  ) as object;
  fs.writeFileSync(
    profilesFile,
    JSON.stringify({
      ...demoProfiles,
      'desk-strict': { textract: { api: 'ANALYSIS', features: ['FORMS'] }, defaultThreshold: 99.9 },
      // The recorded invoice has no invoice_number: a MISSING_REQUIRED item on a critical field.
      'desk-critical': {
        textract: {
          api: 'ANALYSIS',
          features: ['FORMS', 'QUERIES'],
          queries: [{ text: 'What is the invoice number?', alias: 'invoice_number' }],
        },
        defaultThreshold: 0,
        requiredFields: ['invoice_number'],
        criticalFields: ['invoice_number'],
        // Short, so the test sees the view renew its lease while the reviewer works.
        claimIdle: '8 seconds',
      },
    }),
  );
  docket = await DocketClient.connect(
    loadClientConfig({ ...process.env, DOCKET_PROFILES_FILE: profilesFile, DOCKET_TASK_QUEUE: taskQueue }),
  );
  // As clients/api/main.ts builds it: its public URL is where it listens, the only trusted origin.
  const api = await apiFor(docket);
  app = api.api;
  baseUrl = api.url;
  expect(baseUrl).toBe(api.config.auth.publicUrl);
  aliceToken = await fetchDevToken(issuer, alice.login);
  worker = await suite.spawnWorker(taskQueue);
  // Unique bytes: another suite's run of the same scan on the shared stack would make this a DUPLICATE.
  const scan = uniqueBytes(fs.readFileSync(path.join(repoRoot, 'demo', 'samples', 'degraded-scan.png')));
  const source = await suite.upload(`desk/${run}/degraded-scan.png`, scan);
  await docket.start({ source: `s3://${source.bucket}/${source.key}`, profile: 'demo-invoice', documentId });
  // The file names select the recorded responses of the local Textract.
  const multipage = await suite.upload(
    `desk/${run}/textractor-multipage-doc.pdf`,
    uniqueCorpusDocument('textractor-multipage-doc.pdf'),
  );
  await docket.start({
    source: `s3://${multipage.bucket}/${multipage.key}`,
    profile: 'desk-strict',
    documentId: multipageId,
  });
  const invoice = await suite.upload(
    `desk/${run}/critical/sample-invoice.pdf`,
    uniqueCorpusDocument('sample-invoice.pdf'),
  );
  await docket.start({
    source: `s3://${invoice.bucket}/${invoice.key}`,
    profile: 'desk-critical',
    documentId: criticalId,
  });
  await docket.temporal.workflow.start('documentWorkflow', {
    workflowId: documentWorkflowId(orphanId),
    taskQueue: `desk-test-no-worker-${run}`,
    args: [{ documentId: orphanId }],
    typedSearchAttributes: [{ key: DocumentStatusKey, value: DocumentStatus.AWAITING_REVIEW }],
  });
  for (const id of [documentId, multipageId, criticalId]) {
    await eventually(
      `${id} to wait for review`,
      async () => {
        const state = await docket.status(id).catch(() => undefined);
        if (state?.status === DocumentStatus.FAILED)
          throw new Error(`${id} failed: ${state.failure?.message}`);
        return state?.status === DocumentStatus.AWAITING_REVIEW ? state : undefined;
      },
      240_000,
    );
  }
  // The sign-in page is the issuer's: the browsers may reach it and the API, nothing else.
  for (const who of ['alice', 'bob'] as const) {
    browsers[who] = await launchChromium({ allowedOrigins: [baseUrl, issuer] });
  }
}

export async function tearDownDesk(): Promise<void> {
  for (const id of [documentId, multipageId, criticalId, orphanId]) {
    await docket?.temporal.workflow
      .getHandle(documentWorkflowId(id))
      .terminate('desk test ended')
      .catch(() => undefined);
  }
  for (const b of Object.values(browsers)) await b.close();
  await worker?.kill();
  await app?.close();
  await docket?.close();
  await suite.tearDown();
}

/** A JSON route as Alice, with her bearer token. */
export function get(url: string): Promise<Response> {
  return fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${aliceToken}` } });
}

export async function fieldsOf(id: string): Promise<DeskField[]> {
  const res = await get(`/documents/${id}/fields`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return ((await res.json()) as { fields: DeskField[] }).fields;
}

/** Runs `check` on a new page of the reviewer's browser; on failure keeps a screenshot of it. */
export async function onPageOf(
  who: Reviewer,
  name: string,
  check: (page: Page) => Promise<void>,
): Promise<void> {
  const page = await browsers[who.login as 'alice' | 'bob']!.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // A refused request (the 409 of a claim held by another) is logged by the browser: expected here.
    if (m.type() === 'error' && !/status of 40[19]/.test(m.text())) problems.push(m.text());
  });
  try {
    await check(page);
  } catch (err) {
    await page.screenshot({ path: path.join(artifacts, `desk-failed-${name}.png`) }).catch(() => undefined);
    throw new Error(`${(err as Error).message}\nbrowser console errors: ${problems.join(' | ')}`);
  } finally {
    await page.close();
  }
}

/** On the development issuer's sign-in page (after a redirect there), picks the reviewer's button. */
export async function chooseOnIssuerPage(page: Page, who: Reviewer): Promise<void> {
  await page.waitForURL((url) => `${url.origin}${url.pathname}` === `${issuer}/authorize`);
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign in to docket (development)');
  await page.getByRole('button', { name: new RegExp(`^${who.name}`) }).click();
}

/**
 * Signs the reviewer's browser in unless it is already: the issuer's `login_hint` picks the user,
 * so no page is shown (Alice's test signs in with the issuer's page; later tests must not depend on it).
 */
export async function signIn(page: Page, who: Reviewer): Promise<void> {
  const cookies = await page.context().cookies(baseUrl);
  if (cookies.some((c) => c.name === 'docket_session')) return;
  await page.goto(`${baseUrl}/auth/login?login_hint=${who.login}&next=${encodeURIComponent('/desk')}`);
  await page.waitForURL(`${baseUrl}/desk`);
  await expect(page.getByTestId('viewer').textContent()).resolves.toBe(who.name);
}

/** The reviewer's document state, read back from docket. */
export const state = (id: string) => docket.status(id);
