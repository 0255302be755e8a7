// What operators see in the Temporal Web UI, checked in headless Chromium against the stack's dev
// server: lists filtered by docket's search attributes, and a run's summary and current details.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import {
  approveSignal,
  documentStaticSummary,
  DocumentStatus,
  documentWorkflowId,
  type DocumentWorkflowInput,
  statusQuery,
} from '../../lib/contract';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { repoRoot } from '@docket/local/stack/tools';
import { uniqueBytes, uniqueCorpusDocument } from '../fixtures/textract/harness';
import { launchChromium, type HeadlessBrowser } from '../support/browser';
import { eventually, LifecycleSuite, type DocumentHandle } from '../support/lifecycle';

const suite = new LifecycleSuite('ui');
const ui = suite.stack.temporalUiUrl;
const artifacts = path.join(repoRoot, 'test-artifacts');
const run = randomUUID().slice(0, 8);

/*
 * Three documents on one task queue, so every query below can be scoped to this suite:
 * - clean:  a text-layer invoice, every field at 99.5          → SUCCEEDED, MinConfidence 99.5
 * - low:    the corpus invoice (recorded Textract response,
 *           weakest field ≈ 47), no thresholds                  → SUCCEEDED, MinConfidence ≈ 47
 * - review: the same invoice, Invoice Number must reach 99.9   → AWAITING_REVIEW, ReviewRequired
 * Each document's bytes get a unique trailer: other suites share the stack, and identical bytes
 * would end as a DUPLICATE of theirs.
 */
const kinds = ['clean', 'low', 'review'] as const;
type Kind = (typeof kinds)[number];
const inputs = {} as Record<Kind, DocumentWorkflowInput>;
const handles = {} as Record<Kind, DocumentHandle>;
const workflowIds = Object.fromEntries(
  kinds.map((kind) => [kind, documentWorkflowId(`ui-${kind}-${run}`)]),
) as Record<Kind, string>;
let taskQueue = '';
let browser: HeadlessBrowser;

beforeAll(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  await suite.setUp();
  /*
   * docket encrypts every payload, the static summary and current details included: without a
   * codec server the UI says "No summary available". The stack starts one and gives its endpoint
   * to the dev server's UI (--ui-codec-endpoint).
   */
  const codec = suite.stack.codecEndpoint;
  if (!codec) throw new Error('the test stack runs without a codec server');
  browser = await launchChromium({ allowedOrigins: [ui, codec] });
  /*
   * The codec server decrypts only for an operator's token. The UI's codec setting "include
   * cross-origin credentials" (the dev server has no flag for it; an operator ticks it in the UI's
   * Codec Server dialog, stored in the page's localStorage) makes the browser send its cookies for
   * the codec's host: the docket_session cookie docket's API sets at sign-in, shared by every port of
   * 127.0.0.1 (cookies are scoped by host, not port). Here olga's session is put in the browser as
   * the API's sign-in would leave it.
   */
  const olga = await fetchDevToken(suite.stack.auth.issuer, 'olga');
  await browser.context.addCookies([
    { name: 'docket_session', value: olga, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Lax' },
  ]);
  await browser.context.addInitScript(
    ({ uiOrigin, endpoint }) => {
      // Runs in every page the browser opens: only the UI's own storage is set.
      if ((globalThis as unknown as { location: { origin: string } }).location.origin !== uiOrigin) return;
      localStorage.setItem('endpoint', JSON.stringify(endpoint));
      localStorage.setItem('includeCredentials', 'true');
      localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
    },
    { uiOrigin: new URL(ui).origin, endpoint: codec },
  );

  const clean = fs.readFileSync(path.join(repoRoot, 'demo', 'samples', 'clean-invoice.pdf'));
  const sources = await Promise.all([
    suite.upload(`ui/${run}/clean-invoice.pdf`, uniqueBytes(clean)),
    suite.upload(`ui/${run}/low/sample-invoice.pdf`, uniqueCorpusDocument('sample-invoice.pdf')),
    suite.upload(`ui/${run}/review/sample-invoice.pdf`, uniqueCorpusDocument('sample-invoice.pdf')),
  ]);
  kinds.forEach((kind, i) => {
    inputs[kind] = {
      documentId: `ui-${kind}-${run}`,
      source: sources[i]!,
      profile: suite.profile(kind === 'review' ? { fieldThresholds: { 'Invoice Number': 99.9 } } : {}),
    };
  });
  await suite.withWorker(async (tq) => {
    taskQueue = tq;
    for (const kind of kinds) handles[kind] = await suite.start(tq, inputs[kind]);
    await expect(handles.clean.result()).resolves.toMatchObject({ status: DocumentStatus.SUCCEEDED });
    await expect(handles.low.result()).resolves.toMatchObject({ status: DocumentStatus.SUCCEEDED });
    await eventually('the review document to wait for review', async () => {
      const state = await handles.review.query(statusQuery);
      return state.status === DocumentStatus.AWAITING_REVIEW ? state : undefined;
    });
  });
}, 120_000);

afterAll(async () => {
  // A check that failed before the approval would leave the review document waiting for a week.
  await handles.review?.terminate('temporal-ui test ended').catch(() => undefined);
  await browser?.close();
  await suite.tearDown();
});

/** `query` limited to this suite's task queue: other suites share the stack's namespace. */
function scoped(query: string): string {
  return `${query} AND TaskQueue="${taskQueue}"`;
}

async function visibleIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of suite.client.workflow.list({ query: scoped(query) })) {
    ids.push(execution.workflowId);
  }
  return ids.sort();
}

/**
 * Opens the UI's workflow list filtered by `query` once visibility answers it with `expected`, so
 * the check is on what the UI shows, not on how soon the dev server indexes. Returns the workflow
 * ids the list shows.
 */
async function showList(page: Page, query: string, expected: string[]): Promise<string[]> {
  const want = [...expected].sort();
  await eventually(`visibility to answer ${query} with ${want.join(', ')}`, async () => {
    const ids = await visibleIds(query);
    return JSON.stringify(ids) === JSON.stringify(want) ? ids : undefined;
  });
  const filter = encodeURIComponent(scoped(query));
  await page.goto(`${ui}/namespaces/${suite.stack.namespace}/workflows?query=${filter}`);
  // The list is one answer from the server: once every expected row is there, it is complete.
  for (const id of want) await workflowLink(page, id).waitFor();
  const links = await page.getByRole('link', { name: /^document-/ }).allTextContents();
  return [...new Set(links.map((t) => t.trim()))].sort();
}

function workflowLink(page: Page, workflowId: string) {
  return page.getByRole('link', { name: workflowId, exact: true }).first();
}

/** Runs `check` on a new page; on failure keeps a screenshot of it next to the other artifacts. */
async function onPage(name: string, check: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  try {
    await check(page);
  } catch (err) {
    await page
      .screenshot({ path: path.join(artifacts, `temporal-ui-failed-${name}.png`) })
      .catch(() => undefined);
    throw err;
  } finally {
    await page.close();
  }
}

test('DocumentStatus and ReviewRequired filter the list to the document awaiting review', async () => {
  const query = `DocumentStatus="${DocumentStatus.AWAITING_REVIEW}" AND ReviewRequired=true`;
  await onPage('review', async (page) => {
    expect(await showList(page, query, [workflowIds.review])).toEqual([workflowIds.review]);
    await page.screenshot({ path: path.join(artifacts, 'temporal-ui-filtered.png') });
  });
});

test('MinConfidence filters the list to the documents with a field under 90, whatever their status', async () => {
  const low = [workflowIds.low, workflowIds.review].sort();
  await onPage('min-confidence', async (page) => {
    expect(await showList(page, 'MinConfidence < 90', low)).toEqual(low);
    await page.screenshot({ path: path.join(artifacts, 'temporal-ui-min-confidence.png') });
  });
  const confident = `DocumentStatus="${DocumentStatus.SUCCEEDED}" AND MinConfidence >= 90`;
  await onPage('succeeded-confident', async (page) => {
    expect(await showList(page, confident, [workflowIds.clean])).toEqual([workflowIds.clean]);
  });
});

test('without a signed-in operator the codec server refuses the UI', async () => {
  const session = (await browser.context.cookies()).filter((c) => c.name === 'docket_session');
  await browser.context.clearCookies();
  try {
    await onPage('codec-refused', async (page) => {
      const codec = suite.stack.codecEndpoint!;
      // The first payload the UI asks the codec server to decode, wherever it asks.
      const decode = page.waitForResponse(
        (r) => r.url().startsWith(codec) && r.request().method() === 'POST',
      );
      await showList(page, `DocumentStatus="${DocumentStatus.AWAITING_REVIEW}"`, [workflowIds.review]);
      await workflowLink(page, workflowIds.review).click();
      expect((await decode).status()).toBe(401);
    });
  } finally {
    await browser.context.addCookies(session);
  }
});

test("a run's page shows its summary and its current details, readable", async () => {
  // Current details come from a query to the workflow: a worker must be polling its task queue.
  await suite.withWorker(async () => {
    await onPage('summary', async (page) => {
      await showList(page, `DocumentStatus="${DocumentStatus.AWAITING_REVIEW}"`, [workflowIds.review]);
      await workflowLink(page, workflowIds.review).click();
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      const summary = page.frameLocator('#user-metadata-summary');
      await summary.getByText(documentStaticSummary(inputs.review), { exact: true }).waitFor();
      const details = page.frameLocator('#user-metadata-current-details');
      await details.getByText(/AWAITING_REVIEW\s*·\s*1 field\(s\) need review/).waitFor();
      await page.screenshot({ path: path.join(artifacts, 'temporal-ui-summary.png') });
    });
    // Leave nothing waiting on the shared stack.
    await handles.review.signal(approveSignal, { reviewer: 'ui-test' });
    await expect(handles.review.result()).resolves.toMatchObject({ status: DocumentStatus.SUCCEEDED });
  }, taskQueue);
});
