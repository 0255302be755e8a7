/** The desk's server-rendered HTML: whatever a token or a document says is shown as text, never run. */
import { documentPage, escape, queuePage } from '../../clients/desk/html';
import type { QueueEntry } from '../../clients/desk/queue';

const hostile = `<script>alert("x")</script>&'`;

test('escape leaves no markup and no way out of an attribute', () => {
  expect(escape(hostile)).toBe('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;');
});

test("the queue shows a reviewer's name, a profile and a holder as text", () => {
  const entry: QueueEntry = {
    documentId: 'doc-1',
    profile: hostile,
    startedAt: '2026-03-10T08:00:00.000Z',
    overdue: true,
    reasons: { LOW_CONFIDENCE: 2 },
    claim: {
      reviewer: hostile,
      reviewerId: 'x',
      at: '2026-03-10T08:00:00.000Z',
      expiresAt: '2026-03-10T09:00:00.000Z',
    },
  };
  const html = queuePage(
    [entry],
    { name: hostile, roles: ['reviewer'] },
    new Date('2026-03-10T08:30:00.000Z'),
  );
  expect(html).not.toContain('<script>alert');
  expect(html.match(/<script/g)).toHaveLength(1); // the page's own module, from this origin
  // Links are relative to the page's base: the API's public path, the root here.
  expect(html).toContain('<base href="/">');
  expect(html).toContain('<script type="module" src="desk/assets/desk.js"></script>');
  expect(html).toContain('low confidence × 2');
  expect(html).toContain('class="overdue"');
  expect(html).toContain(`held by ${escape(hostile)} until`);
  // No inline style or script: the CSP would refuse them.
  expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/);
});

test('the document view carries the id and page count for the script, and the shortcuts as text', () => {
  const html = documentPage('doc-1', { profile: 'invoices', pages: 3, status: 'AWAITING_REVIEW' }, undefined);
  expect(html).toContain('data-document-id="doc-1" data-pages="3"');
  expect(html).toContain('not signed in');
  for (const key of ['j / Tab', 'Enter', 'a', 'r', '← / →'])
    expect(html).toContain(`<kbd>${escape(key)}</kbd>`);
  expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/);
});

test('behind a proxy that serves the API under a path, every page link resolves under it', () => {
  const html = queuePage([], { name: 'Alice', roles: ['reviewer'] }, new Date(), '/review');
  expect(html).toContain('<base href="/review/">');
  const base = new URL('https://docket.example.com/review/desk');
  const resolve = (ref: string) => new URL(ref, new URL('/review/', base)).pathname;
  for (const ref of [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!)) {
    if (ref === '/review/') continue;
    expect(resolve(ref)).toMatch(/^\/review\/desk/);
  }
});

test('documents no worker answered for are named below the queue, as text, with the question to ask', () => {
  const html = queuePage([], { name: 'Alice', roles: ['reviewer'] }, new Date(), '', [hostile, 'doc-2']);
  expect(html).toContain('2 documents awaiting review are not shown: no worker answered their status');
  expect(html).toContain(`<li data-document-id="${escape(hostile)}">${escape(hostile)}</li>`);
  expect(html).toContain('<li data-document-id="doc-2">doc-2</li>');
  expect(html).not.toContain('<script>alert');
  const none = queuePage([], undefined, new Date());
  expect(none).not.toContain('not shown');
});
