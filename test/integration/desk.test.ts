// The review desk in headless Chromium against the real stack, signed in as people sign in: the API
// is built as the API process builds it (the stack's DOCKET_AUTH_* settings, the real token check),
// and each reviewer signs in through the stack's development issuer in a browser of their own.
// The demo's degraded scan, OCR'd by the local Textract, waits for review: Alice opens the queue,
// opens the scan, sees the box drawn around the low-confidence field where the field is on the page
// (screenshot kept in test-artifacts); Bob sees that she holds it and cannot act on it; she corrects
// the value in place with the keyboard, approves, and the output carries the correction. Leaving a
// view releases its claim; a session that ended sends the browser to sign in and back; a profile's
// critical field waits for a second reviewer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { freePort } from '@docket/local/stack/ports';
import { stackEnv } from '@docket/local/stack/stack';
import { repoRoot } from '@docket/local/stack/tools';
import { loadApiConfig } from '../../clients/api/config';
import { apiAuthOptions } from '../../clients/api/auth';
import { buildApi } from '../../clients/api/server';
import { loadClientConfig } from '../../clients/config';
import type { DeskField } from '../../clients/desk/fields';
import { DocketClient } from '../../clients/documents';
import { DocumentStatus, DocumentStatusKey, documentWorkflowId, liveClaim } from '../../lib/contract';
import { isSchema2Output } from '../../lib/exports/formats';
import { uniqueBytes, uniqueCorpusDocument } from '../fixtures/textract/harness';
import { launchChromium, type HeadlessBrowser } from '../support/browser';
import { eventually, LifecycleSuite, type WorkerProcess } from '../support/lifecycle';

const suite = new LifecycleSuite('desk');
const issuer = suite.stack.auth.issuer;
const run = randomUUID().slice(0, 8);
const taskQueue = `desk-test-${run}`;
const documentId = `desk-degraded-${run}`;
/** The corpus's multi-page PDF (its recorded Textract response: no OCR), every field held to 99.9. */
const multipageId = `desk-multipage-${run}`;
/** The corpus invoice under a profile whose missing invoice number is a critical field. */
const criticalId = `desk-critical-${run}`;
/**
 * Listed by visibility as awaiting review, on a task queue no worker polls (as when a worker fleet is
 * gone): its status query is never answered, and the queue must still show the others.
 */
const orphanId = `desk-orphan-${run}`;
const artifacts = path.join(repoRoot, 'test-artifacts');
/** The development issuer's reviewers (local/auth/dev-issuer.ts). */
const alice = { login: 'alice', name: 'Alice Archer', subject: 'dev-alice' };
const bob = { login: 'bob', name: 'Bob Baker', subject: 'dev-bob' };
type Reviewer = typeof alice;
const corrected = `INV-${run}`;
let docket: DocketClient;
let app: FastifyInstance;
let baseUrl: string;
let worker: WorkerProcess;
/** One browser per reviewer: each has its own cookies, so its own session. */
const browsers: Partial<Record<'alice' | 'bob', HeadlessBrowser>> = {};
/** Alice's bearer token, for the JSON routes this test reads directly. */
let aliceToken: string;

beforeAll(async () => {
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
  const port = await freePort('127.0.0.1');
  const config = loadApiConfig({ ...process.env, DOCKET_API_PORT: String(port) });
  app = buildApi(docket, {
    auth: apiAuthOptions(config.auth),
  });
  baseUrl = await app.listen({ host: '127.0.0.1', port });
  expect(baseUrl).toBe(config.auth.publicUrl);
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
}, 300_000);

afterAll(async () => {
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
});

/** A JSON route as Alice, with her bearer token. */
function get(url: string): Promise<Response> {
  return fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${aliceToken}` } });
}

async function fieldsOf(id: string): Promise<DeskField[]> {
  const res = await get(`/documents/${id}/fields`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return ((await res.json()) as { fields: DeskField[] }).fields;
}

/** Runs `check` on a new page of the reviewer's browser; on failure keeps a screenshot of it. */
async function onPageOf(who: Reviewer, name: string, check: (page: Page) => Promise<void>): Promise<void> {
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
async function chooseOnIssuerPage(page: Page, who: Reviewer): Promise<void> {
  await page.waitForURL((url) => `${url.origin}${url.pathname}` === `${issuer}/authorize`);
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign in to docket (development)');
  await page.getByRole('button', { name: new RegExp(`^${who.name}`) }).click();
}

/**
 * Signs the reviewer's browser in unless it is already: the issuer's `login_hint` picks the user,
 * so no page is shown (Alice's test signs in with the issuer's page; later tests must not depend on it).
 */
async function signIn(page: Page, who: Reviewer): Promise<void> {
  const cookies = await page.context().cookies(baseUrl);
  if (cookies.some((c) => c.name === 'docket_session')) return;
  await page.goto(`${baseUrl}/auth/login?login_hint=${who.login}&next=${encodeURIComponent('/desk')}`);
  await page.waitForURL(`${baseUrl}/desk`);
  await expect(page.getByTestId('viewer').textContent()).resolves.toBe(who.name);
}

/** The reviewer's document state, read back from docket. */
const state = (id: string) => docket.status(id);

test('Alice signs in through the development issuer and sees the queue: the scan with its profile and reasons', async () => {
  await eventually('visibility to list the scan and the orphan as awaiting review', async () => {
    const listed = (await docket.list(DocumentStatus.AWAITING_REVIEW, 1000)).map((d) => d.documentId);
    return listed.includes(documentId) && listed.includes(orphanId) ? true : undefined;
  });
  await onPageOf(alice, 'sign-in', async (page) => {
    // Not signed in: the desk sends the browser to the issuer's sign-in page, and back after it.
    await page.goto(`${baseUrl}/desk`);
    await chooseOnIssuerPage(page, alice);
    await page.waitForURL(`${baseUrl}/desk`);
    await expect(page.getByTestId('viewer').textContent()).resolves.toBe(alice.name);
    const cookies = await browsers.alice!.context.cookies(baseUrl);
    expect(cookies.find((c) => c.name === 'docket_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });

    const res = await page.goto(`${baseUrl}/desk`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(res?.headers()['cache-control']).toBe('no-store');
    const row = page.locator(`tr[data-document-id="${documentId}"]`);
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('demo-invoice');
    expect(text).toMatch(/low confidence × \d+/);
    await expect(row.locator('.claim').textContent()).resolves.toBe('free');
    // The document no worker answers for is named under the queue, not a row, and hides nothing.
    await expect(page.locator(`tr[data-document-id="${orphanId}"]`).count()).resolves.toBe(0);
    await expect(page.locator(`.unanswered li[data-document-id="${orphanId}"]`).count()).resolves.toBe(1);
  });
});

test('the view draws the box where the low-confidence field is; Bob sees that Alice holds the scan and cannot act; her correction is approved into the output', async () => {
  const all = await fieldsOf(documentId);
  const target = all.find(
    (f) => f.needsReview && f.page === 1 && f.box && f.reasons.includes('LOW_CONFIDENCE'),
  );
  if (!target?.box) throw new Error('the degraded scan has no low-confidence field with a box on page 1');
  const others = all.filter((f) => !f.needsReview && f.page === 1 && f.box);

  await onPageOf(alice, 'document', async (page) => {
    await signIn(page, alice);
    await page.goto(`${baseUrl}/desk`);
    await page.getByRole('link', { name: documentId }).click();
    await page.locator('body[data-ready="true"]').waitFor();
    // Opening the view claimed the document for her (the view is usable before the claim answers).
    await page.locator('#claim', { hasText: 'You hold this document' }).waitFor();
    await expect(page.locator('#claim').textContent()).resolves.toMatch(
      /^You hold this document until \d\d:\d\d UTC\.$/,
    );
    expect(liveClaim(await state(documentId))).toMatchObject({
      reviewer: alice.name,
      reviewerId: alice.subject,
    });

    // The red box sits on the field: its rectangle is the field's box scaled to the image as shown.
    const image = (await page.locator('#page-image').boundingBox())!;
    const drawn = (await page.locator(`.box.review[data-field-id="${target.id}"]`).boundingBox())!;
    const want = {
      x: image.x + target.box!.left * image.width,
      y: image.y + target.box!.top * image.height,
      width: target.box!.width * image.width,
      height: target.box!.height * image.height,
    };
    for (const k of ['x', 'y', 'width', 'height'] as const)
      expect(Math.abs(drawn[k] - want[k])).toBeLessThan(2);
    expect(image.width).toBeGreaterThan(300);
    // Every other field has its (hover-only) box too; only fields needing review are outlined.
    await expect(page.locator('.box:not(.review)').count()).resolves.toBe(others.length);
    await page.screenshot({ path: path.join(artifacts, 'desk-document.png') });

    // The shortcuts are listed on the page.
    const help = await page.locator('.shortcuts').textContent();
    for (const key of ['Enter', 'Tab', 'a', 'r', '←']) expect(help).toContain(key);

    // Bob, signed in in his own browser (the issuer's login_hint picks him), sees who holds it…
    await onPageOf(bob, 'held', async (his) => {
      await signIn(his, bob);
      await his.goto(`${baseUrl}/desk`);
      await expect(his.locator(`tr[data-document-id="${documentId}"] .claim`).textContent()).resolves.toMatch(
        /^held by Alice Archer until /,
      );
      await his.getByRole('link', { name: documentId }).click();
      await his.locator('body[data-ready="true"]').waitFor();
      await his.locator('#claim', { hasText: 'your actions' }).waitFor();
      await expect(his.locator('#claim').textContent()).resolves.toMatch(
        /^Held by Alice Archer until \d\d:\d\d UTC: your actions may be refused\.$/,
      );
      // …and cannot act on it: his approval is refused, naming her.
      await his.getByRole('button', { name: /^Approve/ }).click();
      await his.locator('#message', { hasText: 'refused' }).waitFor();
      await expect(his.locator('#message').textContent()).resolves.toMatch(
        /^The approval was refused: .*claimed by Alice Archer until /,
      );
    });
    // The API says why: the document's state, not his request, is in the way.
    const refused = await fetch(`${baseUrl}/documents/${documentId}/review`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await fetchDevToken(issuer, bob.login)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ action: 'reject', reason: 'not mine to reject' }),
    });
    expect(refused.status).toBe(409);
    const held = await state(documentId);
    expect(held.status).toBe(DocumentStatus.AWAITING_REVIEW);
    expect(held.reviewActions).toEqual([]);
    expect(liveClaim(held)?.reviewerId).toBe(alice.subject);

    // Edit in place: click the box, replace the value, Enter accepts it.
    await page.locator(`.box.review[data-field-id="${target.id}"]`).click();
    const editor = page.locator('#editor');
    await expect(editor.isVisible()).resolves.toBe(true);
    await expect(editor.inputValue()).resolves.toBe(target.value);
    await editor.fill(corrected);
    await editor.press('Enter');
    await page.locator(`li.accepted[data-field-id="${target.id}"]`).waitFor();
    // Leave the editor (Esc), then approve with the keyboard.
    if (await editor.isVisible()) await editor.press('Escape');
    await page.keyboard.press('a');
    await page.locator('body[data-decided="true"]').waitFor();
    await expect(page.locator('#message').textContent()).resolves.toContain(
      'Approved: the output is being written.',
    );
  });

  const result = await docket.result(documentId);
  expect(result.status).toBe(DocumentStatus.SUCCEEDED);
  expect(result.corrections).toBe(1);
  const output = await docket.output(documentId);
  if (!isSchema2Output(output)) throw new Error('expected an output of schema 2');
  const fieldsOut = output.pages.flatMap((p) => p.fields.map((f) => ({ id: f.id, text: f.value.text })));
  const answers = output.pages.flatMap((p) => p.queries.map((q) => ({ id: q.id, text: q.text })));
  expect([...fieldsOut, ...answers].find((f) => f.id === target.id)?.text).toBe(corrected);
  // Who reviewed is the token's name and subject, never something typed.
  expect(output.review.audit).toEqual([
    expect.objectContaining({ action: 'correct', reviewer: alice.name, reviewerId: alice.subject }),
    expect.objectContaining({ action: 'approve', reviewer: alice.name, reviewerId: alice.subject }),
  ]);
});

test('page images: the scan as it is; a page past the end is 404; none without a token', async () => {
  const png = await get(`/documents/${documentId}/pages/1`);
  expect(png.status).toBe(200);
  expect(png.headers.get('content-type')).toBe('image/png');
  expect(png.headers.get('cache-control')).toBe('no-store');
  const expected = fs.readFileSync(path.join(repoRoot, 'demo', 'samples', 'degraded-scan.png'));
  expect(Buffer.from(await png.arrayBuffer()).subarray(0, expected.length)).toEqual(expected);
  expect((await get(`/documents/${documentId}/pages/2`)).status).toBe(404);
  expect((await fetch(`${baseUrl}/documents/${documentId}/pages/1`)).status).toBe(401);
});

test('leaving the view releases its claim; a multi-page PDF: pages rendered by the API, → turns to page 2 with its boxes, r rejects with a reason', async () => {
  const all = await fieldsOf(multipageId);
  const onPage = (n: number) => all.filter((f) => f.page === n && f.box).length;
  expect(onPage(2)).toBeGreaterThan(0);

  await onPageOf(alice, 'multipage', async (page) => {
    await signIn(page, alice);
    await page.goto(`${baseUrl}/desk/documents/${multipageId}`);
    await page.locator('body[data-ready="true"]').waitFor();
    await eventually('the view to claim the document', async () =>
      liveClaim(await state(multipageId))?.reviewerId === alice.subject ? true : undefined,
    );
    // Going elsewhere (here: typing the queue's address): the page's beacon gives the claim up.
    await page.goto(`${baseUrl}/desk`);
    const released = await eventually('the claim to be released', async () => {
      const s = await state(multipageId);
      return liveClaim(s) ? undefined : s;
    });
    expect(released.releases).toEqual([
      expect.objectContaining({ reviewerId: alice.subject, holderId: alice.subject, forced: false }),
    ]);
    // Following the page's own link to the queue releases it before the queue is drawn: shown free.
    await page.goto(`${baseUrl}/desk/documents/${multipageId}`);
    await page.locator('#claim', { hasText: 'You hold this document' }).waitFor();
    await page.getByRole('link', { name: 'docket review desk' }).click();
    await page.waitForURL(`${baseUrl}/desk`);
    await expect(page.locator(`tr[data-document-id="${multipageId}"] .claim`).textContent()).resolves.toBe(
      'free',
    );
    expect((await state(multipageId)).releases).toHaveLength(2);

    await page.goto(`${baseUrl}/desk/documents/${multipageId}`);
    await page.locator('body[data-ready="true"]').waitFor();
    const pages = Number(await page.locator('body').getAttribute('data-pages'));
    expect(pages).toBeGreaterThan(1);
    // Leave the editor the view opened on the first field; then → turns the page.
    await page.locator('#editor').press('Escape');
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#page-label').textContent()).resolves.toBe(`page 2 of ${pages}`);
    // The page's image has loaded (polled from here: the page's CSP forbids the eval waitForFunction uses).
    await eventually('page 2 to be shown', async () => {
      const shown = await page.locator('#page-image').evaluate((el) => {
        const img = el as unknown as { complete: boolean; naturalWidth: number; src: string };
        return img.complete && img.naturalWidth > 0 && img.src.endsWith('/pages/2');
      });
      return shown || undefined;
    });
    await expect(page.locator('#boxes .box').count()).resolves.toBe(onPage(2));
    const image = (await page.locator('#page-image').boundingBox())!;
    // A rendered PDF page keeps its proportions (the corpus document's pages are US Letter).
    expect(image.height / image.width).toBeCloseTo(11 / 8.5, 1);
    await page.screenshot({ path: path.join(artifacts, 'desk-multipage-page-2.png') });

    await page.keyboard.press('r');
    await page.locator('#reject-reason').fill('the scan is not an invoice');
    await page.getByRole('button', { name: 'Reject the document' }).click();
    await page.locator('body[data-decided="true"]').waitFor();
  });
  const failed = await docket.result(multipageId).then(
    () => undefined,
    (err: Error) => err,
  );
  expect(failed).toBeDefined();
  const rejected = await state(multipageId);
  expect(rejected.status).toBe(DocumentStatus.FAILED);
  expect(rejected.failure?.type).toBe('ReviewRejected');
  expect(rejected.reviewActions).toEqual([
    expect.objectContaining({
      action: 'reject',
      reviewer: alice.name,
      reviewerId: alice.subject,
      reason: 'the scan is not an invoice',
    }),
  ]);
});

test('a critical field waits for a second reviewer; a session that ended sends the browser to sign in and back', async () => {
  await onPageOf(alice, 'critical-alice', async (page) => {
    await signIn(page, alice);
    const view = `${baseUrl}/desk/documents/${criticalId}`;
    await page.goto(view);
    await page.locator('body[data-ready="true"]').waitFor();
    // Her session ends (signed out elsewhere, or the token expired): the next action is refused
    // with 401, and the view sends her to sign in, then back to the same document.
    await browsers.alice!.context.clearCookies();
    await page.getByRole('button', { name: /^Approve/ }).click();
    await chooseOnIssuerPage(page, alice);
    await page.waitForURL(view);
    await page.locator('body[data-ready="true"]').waitFor();
    expect((await state(criticalId)).approvals).toEqual([]);

    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.locator('body[data-decided="true"]').waitFor();
    await expect(page.locator('#message').textContent()).resolves.toContain(
      "Approved: your approval is recorded; the document waits for another reviewer's approval.",
    );
  });
  const waiting = await state(criticalId);
  expect(waiting.status).toBe(DocumentStatus.AWAITING_REVIEW);
  expect(waiting.approvalsNeeded).toBe(2);
  expect(waiting.approvals).toEqual([expect.objectContaining({ reviewerId: alice.subject })]);
  // Her approval gave the document up, so a second reviewer can take it.
  expect(liveClaim(waiting)).toBeUndefined();

  await onPageOf(bob, 'critical-bob', async (page) => {
    await signIn(page, bob);
    await page.goto(`${baseUrl}/desk/documents/${criticalId}`);
    await page.locator('body[data-ready="true"]').waitFor();
    await page.locator('#claim', { hasText: 'You hold this document' }).waitFor();
    const taken = liveClaim(await state(criticalId));
    expect(taken?.reviewerId).toBe(bob.subject);
    // Past half of the 8-second lease, working on the page (a click) renews it.
    await page.waitForTimeout(4_500);
    await page.locator('#page-image').click();
    await eventually('the view to renew the claim', async () => {
      const renewed = liveClaim(await state(criticalId));
      return renewed && renewed.expiresAt > taken!.expiresAt ? renewed : undefined;
    });
    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.locator('body[data-decided="true"]').waitFor();
    await expect(page.locator('#message').textContent()).resolves.toContain(
      'Approved: the output is being written.',
    );
  });
  await expect(docket.result(criticalId)).resolves.toMatchObject({ status: DocumentStatus.SUCCEEDED });
  expect((await state(criticalId)).approvals.map((a) => a.reviewerId)).toEqual([alice.subject, bob.subject]);
});
