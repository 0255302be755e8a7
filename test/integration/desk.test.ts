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
import path from 'node:path';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { repoRoot } from '@docket/local/stack/tools';
import { DocumentStatus, liveClaim } from '../../lib/contract';
import { isSchema2Output } from '../../lib/exports/formats';
import {
  alice,
  artifacts,
  baseUrl,
  bob,
  browsers,
  chooseOnIssuerPage,
  corrected,
  criticalId,
  docket,
  documentId,
  fieldsOf,
  get,
  issuer,
  multipageId,
  onPageOf,
  orphanId,
  setUpDesk,
  signIn,
  state,
  tearDownDesk,
} from '../support/desk-suite';
import { eventually } from '../support/lifecycle';

beforeAll(setUpDesk, 300_000);
afterAll(tearDownDesk);

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
