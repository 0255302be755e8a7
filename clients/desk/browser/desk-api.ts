/*
 * The desk's browser script, part 1 of 3 (compiled with desk-claim.ts and desk.ts into one desk.js):
 * what the JSON API answers and how the script calls it.
 */

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What GET /documents/:id/fields returns per field (clients/desk/fields.ts). */
interface Field {
  id: string;
  kind: 'form' | 'query';
  name: string;
  value: string;
  confidence: number;
  page: number;
  box?: Box;
  needsReview: boolean;
  reasons: string[];
  threshold?: number;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

async function call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    // The session ended: sign in again and come back here.
    // Relative to the page's <base href> (the API's public path); `next` is the path as seen here.
    window.location.assign(`auth/login?next=${encodeURIComponent(window.location.pathname)}`);
  }
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { message: text };
  }
  return { status: res.status, body: parsed };
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;
const messageOf = (a: Answer) => (typeof a.body.message === 'string' ? a.body.message : `HTTP ${a.status}`);
