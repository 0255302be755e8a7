// The review desk in headless Chromium against the real stack: the demo's degraded scan, OCR'd by the
// local Textract, waits for review; a reviewer opens the queue, opens the document, sees the box drawn
// around the low-confidence field where the field is on the page (screenshot kept in test-artifacts),
// corrects the value in place with the keyboard, approves, and the output carries the correction.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Page } from 'playwright-core';
import { buildApi } from '../../clients/api/server';
import { loadClientConfig } from '../../clients/config';
import type { DeskField } from '../../clients/desk/fields';
import { DocketClient } from '../../clients/documents';
import { DocumentStatus, documentWorkflowId } from '../../lib/contract';
import { isSchema2Output } from '../../lib/exports/formats';
import { stackEnv } from '@docket/local/stack/stack';
import { repoRoot } from '@docket/local/stack/tools';
import { uniqueBytes, uniqueCorpusDocument } from '../fixtures/textract/harness';
import { launchChromium, type HeadlessBrowser } from '../support/browser';
import { eventually, LifecycleSuite, type WorkerProcess } from '../support/lifecycle';

const suite = new LifecycleSuite('desk');
const run = randomUUID().slice(0, 8);
const taskQueue = `desk-test-${run}`;
const documentId = `desk-degraded-${run}`;
/** The corpus's multi-page PDF (its recorded Textract response: no OCR), every field held to 99.9. */
const multipageId = `desk-multipage-${run}`;
const artifacts = path.join(repoRoot, 'test-artifacts');
const reviewer = { subject: 'alice-sub', name: 'Alice Reviewer', roles: ['reviewer'] };
const corrected = `INV-${run}`;
let docket: DocketClient;
let app: FastifyInstance;
let baseUrl: string;
let worker: WorkerProcess;
let browser: HeadlessBrowser;
/** Bob's claim on the scan, while a test says so (see holdClaims). */
let heldBy: { reviewer: string; reviewerId: string; at: string; expiresAt: string } | undefined;

/**
 * Until the API's auth plugin is merged: what it will do, for this test only. Every request is
 * Alice's (request.principal), and the review route's identity comes from her, not from the body.
 */
function signInAsAlice(api: FastifyInstance): void {
  api.addHook('onRequest', async (request) => {
    (request as FastifyRequest & { principal?: typeof reviewer }).principal = reviewer;
  });
  api.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && /\/review$/.test(request.url) && request.body) {
      // The route on main takes no reviewerId in the body; the auth plugin's route sets both.
      Object.assign(request.body, { reviewer: reviewer.name });
    }
  });
}

/**
 * Until the claim lease is merged: the document's state reports Bob's claim while `heldBy` is set,
 * and POST /documents/:id/claim refuses with 409 (a 404 otherwise, as an API without claims answers).
 */
function holdClaims(api: FastifyInstance, client: DocketClient): void {
  const status = client.status.bind(client);
  jest
    .spyOn(client, 'status')
    .mockImplementation(async (id) =>
      id === documentId && heldBy ? { ...(await status(id)), claim: heldBy } : status(id),
    );
  if (api.hasRoute({ method: 'POST', url: '/documents/:id/claim' })) return;
  api.post(
    '/documents/:id/claim',
    { config: { roles: ['reviewer', 'operator'] } },
    async (_request, reply) =>
      heldBy
        ? reply.code(409).send({ statusCode: 409, error: 'Conflict', message: 'claimed by another reviewer' })
        : reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no claims here' }),
  );
}

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
    }),
  );
  docket = await DocketClient.connect(
    loadClientConfig({ ...process.env, DOCKET_PROFILES_FILE: profilesFile, DOCKET_TASK_QUEUE: taskQueue }),
  );
  app = buildApi(docket);
  signInAsAlice(app);
  holdClaims(app, docket);
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  worker = await suite.spawnWorker(taskQueue);
  // Unique bytes: another suite's run of the same scan on the shared stack would make this a DUPLICATE.
  const scan = uniqueBytes(fs.readFileSync(path.join(repoRoot, 'demo', 'samples', 'degraded-scan.png')));
  const source = await suite.upload(`desk/${run}/degraded-scan.png`, scan);
  await docket.start({ source: `s3://${source.bucket}/${source.key}`, profile: 'demo-invoice', documentId });
  // The file name selects the recorded response of the local Textract.
  const multipage = await suite.upload(
    `desk/${run}/textractor-multipage-doc.pdf`,
    uniqueCorpusDocument('textractor-multipage-doc.pdf'),
  );
  await docket.start({
    source: `s3://${multipage.bucket}/${multipage.key}`,
    profile: 'desk-strict',
    documentId: multipageId,
  });
  for (const id of [documentId, multipageId]) {
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
  browser = await launchChromium({ allowedOrigins: [baseUrl] });
}, 300_000);

afterAll(async () => {
  for (const id of [documentId, multipageId]) {
    await docket?.temporal.workflow
      .getHandle(documentWorkflowId(id))
      .terminate('desk test ended')
      .catch(() => undefined);
  }
  await browser?.close();
  await worker?.kill();
  await app?.close();
  await docket?.close();
  await suite.tearDown();
});

async function fields(): Promise<DeskField[]> {
  const res = await fetch(`${baseUrl}/documents/${documentId}/fields`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return ((await res.json()) as { fields: DeskField[] }).fields;
}

/** Runs `check` on a new page; on failure keeps a screenshot of it. */
async function onPageOf(name: string, check: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
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

test('the queue lists the scan with its profile and reasons, and says who is signed in', async () => {
  await eventually('visibility to list the scan as awaiting review', async () => {
    const listed = await docket.list(DocumentStatus.AWAITING_REVIEW, 1000);
    return listed.some((d) => d.documentId === documentId) ? true : undefined;
  });
  await onPageOf('queue', async (page) => {
    const res = await page.goto(`${baseUrl}/desk`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(res?.headers()['cache-control']).toBe('no-store');
    await expect(page.getByTestId('viewer').textContent()).resolves.toBe(reviewer.name);
    const row = page.locator(`tr[data-document-id="${documentId}"]`);
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('demo-invoice');
    expect(text).toMatch(/low confidence × \d+/);
    expect(text).toContain('free');
  });
});

test('a document another reviewer holds shows who holds it, in the queue and in the view', async () => {
  const at = new Date();
  heldBy = {
    reviewer: 'Bob Reviewer',
    reviewerId: 'bob-sub',
    at: at.toISOString(),
    expiresAt: new Date(at.getTime() + 30 * 60_000).toISOString(),
  };
  try {
    await onPageOf('claimed', async (page) => {
      await page.goto(`${baseUrl}/desk`);
      await expect(
        page.locator(`tr[data-document-id="${documentId}"] .claim`).textContent(),
      ).resolves.toMatch(/^held by Bob Reviewer until /);
      await page.goto(`${baseUrl}/desk/documents/${documentId}`);
      await page.locator('body[data-ready="true"]').waitFor();
      await expect(page.locator('#claim').textContent()).resolves.toMatch(
        /^Held by Bob Reviewer until \d\d:\d\d UTC: your actions may be refused\.$/,
      );
    });
  } finally {
    heldBy = undefined;
  }
});

test('the document view draws the box where the low-confidence field is; a corrected value is approved into the output', async () => {
  const all = await fields();
  const target = all.find(
    (f) => f.needsReview && f.page === 1 && f.box && f.reasons.includes('LOW_CONFIDENCE'),
  );
  if (!target?.box) throw new Error('the degraded scan has no low-confidence field with a box on page 1');
  const others = all.filter((f) => !f.needsReview && f.page === 1 && f.box);

  await onPageOf('document', async (page) => {
    await page.goto(`${baseUrl}/desk`);
    await page.getByRole('link', { name: documentId }).click();
    await page.locator('body[data-ready="true"]').waitFor();

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
    await expect(page.locator('#message').textContent()).resolves.toContain('Approved');
  });

  const result = await docket.result(documentId);
  expect(result.status).toBe(DocumentStatus.SUCCEEDED);
  expect(result.corrections).toBe(1);
  const output = await docket.output(documentId);
  if (!isSchema2Output(output)) throw new Error('expected an output of schema 2');
  const fieldsOut = output.pages.flatMap((p) => p.fields.map((f) => ({ id: f.id, text: f.value.text })));
  const answers = output.pages.flatMap((p) => p.queries.map((q) => ({ id: q.id, text: q.text })));
  expect([...fieldsOut, ...answers].find((f) => f.id === target.id)?.text).toBe(corrected);
  expect(output.review.audit).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ action: 'correct', reviewer: reviewer.name }),
      expect.objectContaining({ action: 'approve', reviewer: reviewer.name }),
    ]),
  );
});

test('page images: the scan as it is; a page past the end is 404', async () => {
  const png = await fetch(`${baseUrl}/documents/${documentId}/pages/1`);
  expect(png.status).toBe(200);
  expect(png.headers.get('content-type')).toBe('image/png');
  expect(png.headers.get('cache-control')).toBe('no-store');
  const expected = fs.readFileSync(path.join(repoRoot, 'demo', 'samples', 'degraded-scan.png'));
  expect(Buffer.from(await png.arrayBuffer()).subarray(0, expected.length)).toEqual(expected);
  expect((await fetch(`${baseUrl}/documents/${documentId}/pages/2`)).status).toBe(404);
});

test('a multi-page PDF: pages rendered by the API, → turns to page 2 with its boxes, r rejects with a reason', async () => {
  const res = await fetch(`${baseUrl}/documents/${multipageId}/fields`);
  const all = ((await res.json()) as { fields: DeskField[] }).fields;
  const onPage = (n: number) => all.filter((f) => f.page === n && f.box).length;
  expect(onPage(2)).toBeGreaterThan(0);

  await onPageOf('multipage', async (page) => {
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
  const state = await docket.status(multipageId);
  expect(state.status).toBe(DocumentStatus.FAILED);
  expect(state.failure?.type).toBe('ReviewRejected');
  expect(state.reviewActions).toEqual([
    expect.objectContaining({
      action: 'reject',
      reviewer: reviewer.name,
      reason: 'the scan is not an invoice',
    }),
  ]);
});
