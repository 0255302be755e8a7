/**
 * The desk's HTML, rendered on the server as plain strings: two pages, no template engine. Every
 * value from a document or a token goes through {@link escape}. No inline script or style (the
 * Content-Security-Policy forbids both): behaviour is in the compiled browser script, looks in the
 * stylesheet, and data reaches the script as data-* attributes.
 */
import type { ReviewReason } from '../../lib/confidence-routing';
import type { ReviewClaim } from '../../lib/contract';
import type { QueueEntry } from './queue';

/** Escapes text for HTML content and double-quoted attribute values. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Who is signed in, as the page header shows them. */
export interface Viewer {
  /** The token's subject. */
  subject?: string;
  name: string;
  roles: readonly string[];
}

/** The desk's routes on the API (as fastify registers them). */
export const deskPaths = {
  queue: '/desk',
  document: (id: string) => `/desk/documents/${encodeURIComponent(id)}`,
  script: '/desk/assets/desk.js',
  styles: '/desk/assets/desk.css',
} as const;

/**
 * A route as a link relative to the page's `<base href>`: the API's public path (DOCKET_PUBLIC_URL's,
 * e.g. `/review` behind a proxy that strips it) is in the base, so pages and the script need no
 * absolute path of their own.
 */
const link = (route: string) => route.replace(/^\//, '');

/** The keyboard shortcuts of the document view, as the page lists them and the script binds them. */
export const shortcuts: readonly [keys: string, what: string][] = [
  ['j / Tab', 'next field to review'],
  ['k / Shift+Tab', 'previous field'],
  ['Enter', 'accept the value (as edited) and go to the next field'],
  ['Esc', 'undo the edit of the field'],
  ['a', 'approve the document'],
  ['r', 'reject the document (asks for a reason)'],
  ['← / →', 'previous / next page'],
];

function layout(title: string, viewer: Viewer | undefined, body: string, dataset = '', base = ''): string {
  const who = viewer
    ? `signed in as <strong data-testid="viewer">${escape(viewer.name)}</strong> (${escape(viewer.roles.join(', '))})`
    : 'not signed in';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · docket review desk</title>
<base href="${escape(base)}/">
<link rel="stylesheet" href="${link(deskPaths.styles)}">
<script type="module" src="${link(deskPaths.script)}"></script>
</head>
<body${dataset}>
<header><a href="${link(deskPaths.queue)}" class="brand">docket review desk</a><span class="who">${who}</span></header>
<main>
${body}
</main>
</body>
</html>
`;
}

const reasonLabels: Record<ReviewReason, string> = {
  LOW_CONFIDENCE: 'low confidence',
  MISSING_REQUIRED: 'missing required',
  OMITTED_LOW_CONFIDENCE: 'low confidence (omitted fields)',
  SAMPLED: 'audit sample',
};

function reasonList(reasons: QueueEntry['reasons']): string {
  return Object.entries(reasons)
    .map(([reason, count]) => `${escape(reasonLabels[reason as ReviewReason] ?? reason)} × ${count}`)
    .join(', ');
}

function when(iso: string | undefined): string {
  return iso
    ? `<time datetime="${escape(iso)}">${escape(iso.replace('T', ' ').slice(0, 16))} UTC</time>`
    : '—';
}

/** Names the documents left out of the queue because no worker answered for them. */
function unansweredNote(ids: readonly string[]): string {
  if (ids.length === 0) return '';
  const one = ids.length === 1;
  return `
<div class="unanswered" role="status">
<p>${ids.length} ${one ? 'document' : 'documents'} awaiting review ${one ? 'is' : 'are'} not shown: no worker answered ${one ? 'its' : 'their'} status in time. Is a docket worker running for ${one ? 'its' : 'their'} task queue?</p>
<ul>${ids.map((id) => `<li data-document-id="${escape(id)}">${escape(id)}</li>`).join('')}</ul>
</div>`;
}

/** The queue: one row per document awaiting review, in the order given (most urgent first). */
export function queuePage(
  entries: readonly QueueEntry[],
  viewer: Viewer | undefined,
  now: Date,
  /** The API's public path (`<base href>`); '' at the root. */
  base = '',
  /** Documents visibility lists as awaiting review whose status query no worker answered. */
  unanswered: readonly string[] = [],
): string {
  const rows = entries
    .map(
      (e) => `<tr data-document-id="${escape(e.documentId)}"${e.overdue ? ' class="overdue"' : ''}>
<td><a href="${link(deskPaths.document(e.documentId))}">${escape(e.documentId)}</a></td>
<td>${escape(e.profile)}</td>
<td>${reasonList(e.reasons)}</td>
<td>${e.pages ?? '—'}</td>
<td>${when(e.waitingSince ?? e.startedAt)}</td>
<td>${when(e.dueAt)}${e.overdue ? ' <span class="flag">overdue</span>' : ''}</td>
<td class="claim">${e.claim ? `held by ${escape(e.claim.reviewer)} until ${when(e.claim.expiresAt)}` : 'free'}</td>
</tr>`,
    )
    .join('\n');
  const table = entries.length
    ? `<table class="queue">
<thead><tr><th>Document</th><th>Profile</th><th>Needs review</th><th>Pages</th><th>Waiting since</th><th>Due</th><th>Held by</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : '<p class="empty">Nothing awaits review.</p>';
  return layout(
    'Queue',
    viewer,
    `<h1>Awaiting review <span class="count">${entries.length}</span></h1>
<p class="hint">Oldest deadline first. As of ${when(now.toISOString())}.</p>
${table}${unansweredNote(unanswered)}`,
    '',
    base,
  );
}

/**
 * The document view's frame; the browser script fills it from the JSON API (fields, state) and draws
 * the boxes once the page image has loaded.
 */
export function documentPage(
  documentId: string,
  info: { profile: string; pages: number; status: string; claim?: ReviewClaim },
  viewer: Viewer | undefined,
  /** The API's public path (`<base href>`); '' at the root. */
  base = '',
): string {
  const keys = shortcuts
    .map(([k, what]) => `<dt><kbd>${escape(k)}</kbd></dt><dd>${escape(what)}</dd>`)
    .join('');
  const data = ` data-view="document" data-document-id="${escape(documentId)}" data-pages="${info.pages}"`;
  return layout(
    documentId,
    viewer,
    `<div class="bar">
<h1>${escape(documentId)}</h1>
<span class="meta">profile ${escape(info.profile)} · ${info.pages} page(s) · <span id="status">${escape(info.status)}</span></span>
${claimSpan(info.claim)}
</div>
<div class="desk">
<section class="viewer" aria-label="page">
<nav class="pages">
<button type="button" id="prev-page" aria-label="previous page">←</button>
<span id="page-label">page 1 of ${info.pages}</span>
<button type="button" id="next-page" aria-label="next page">→</button>
</nav>
<div id="page" class="page"><img id="page-image" alt="page 1 of the document"><div id="boxes"></div>
<input id="editor" class="editor" type="text" autocomplete="off" spellcheck="false" aria-label="field value" hidden>
</div>
</section>
<aside class="panel">
<h2>Fields to review</h2>
<ol id="review-fields" class="fields"></ol>
<div class="actions">
<button type="button" id="approve" class="approve">Approve <kbd>a</kbd></button>
<button type="button" id="reject" class="reject">Reject… <kbd>r</kbd></button>
</div>
<form id="reject-form" class="reject-form" hidden>
<label for="reject-reason">Why is it rejected?</label>
<textarea id="reject-reason" required maxlength="1000"></textarea>
<button type="submit">Reject the document</button> <button type="button" id="reject-cancel">Cancel</button>
</form>
<p id="message" class="message" role="alert"></p>
<h2>Keyboard</h2>
<dl class="shortcuts">${keys}</dl>
</aside>
</div>`,
    data,
    base,
  );
}

/** Who holds the document as the page was rendered; the script updates it after claiming. */
function claimSpan(claim: ReviewClaim | undefined): string {
  if (!claim) return '<span id="claim" class="claim" role="status"></span>';
  return `<span id="claim" class="claim" role="status" data-held-by="${escape(claim.reviewer)}" data-held-until="${escape(claim.expiresAt)}">held by ${escape(claim.reviewer)} until ${when(claim.expiresAt)}</span>`;
}

/** A short page for a document that cannot be reviewed now (finished, or not found). */
export function noticePage(title: string, text: string, viewer: Viewer | undefined, base = ''): string {
  return layout(
    title,
    viewer,
    `<h1>${escape(title)}</h1><p>${escape(text)}</p><p><a href="${link(deskPaths.queue)}">Back to the queue</a></p>`,
    '',
    base,
  );
}
