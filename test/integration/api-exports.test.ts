// The HTTP API's output exports over real HTTP, signed in through the stack's development issuer:
// content types and refusals on an API whose client serves hand-built schema 2 documents
// (test/fixtures/output-documents), so they do not depend on which output schema the worker writes.
import type { FastifyInstance } from 'fastify';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { stackEnv } from '@docket/local/stack/stack';
import { type DocketClient, NotFoundError, NotReadyError, type StoredOutput } from '../../clients/documents';
import { tableCsv } from '../../lib/exports/csv';
import { documentMarkdown } from '../../lib/exports/markdown';
import { documentText } from '../../lib/exports/text';
import { paystubDocument } from '../fixtures/output-documents/paystub';
import { apiFor } from '../support/api-server';
import { testStack } from '../support/stack';

const stack = testStack();
let exportsUrl: string;
let exportsApp: FastifyInstance;
/** A submitter's development token: reading output needs the submitter role. */
let token: string;
const stored: Record<string, StoredOutput> = {
  paystub: paystubDocument,
  legacy: { version: 1, documentId: 'legacy', status: 'SUCCEEDED' },
};

beforeAll(async () => {
  Object.assign(process.env, stackEnv(stack));
  token = await fetchDevToken(stack.auth.issuer, 'sam');
  const fake = {
    output: async (id: string) => {
      if (id === 'running') throw new NotReadyError('document running has no output yet: it is PROCESSING');
      if (id === 'failed') throw new NotFoundError('document failed has no output (status FAILED)');
      const doc = stored[id];
      if (!doc) throw new NotFoundError(`no document ${id}`);
      return doc;
    },
  } as unknown as DocketClient;
  ({ api: exportsApp, url: exportsUrl } = await apiFor(fake));
});
afterAll(() => exportsApp?.close());

/** A GET whose answer may not be JSON: status, the headers that matter here, and the body as text. */
async function getText(url: string) {
  const res = await fetch(`${exportsUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    cacheControl: res.headers.get('cache-control'),
    body: await res.text(),
  };
}

describe('GET /documents/{id}/output exports a schema 2 document', () => {
  test.each([
    ['json', 'application/json; charset=utf-8', `${JSON.stringify(paystubDocument, null, 2)}\n`],
    ['markdown', 'text/markdown; charset=utf-8', documentMarkdown(paystubDocument)],
    ['csv&table=2', 'text/csv; charset=utf-8', tableCsv(paystubDocument.tables[1]!)],
    ['text', 'text/plain; charset=utf-8', documentText(paystubDocument)],
  ])('format=%s answers %s, never cached', async (format, contentType, body) => {
    expect(await getText(`/documents/paystub/output?format=${format}`)).toEqual({
      status: 200,
      contentType,
      cacheControl: 'no-store',
      body,
    });
  });

  test('answers 400 for a table the document does not have, 404 without output, 409 before it is done', async () => {
    const missing = await getText('/documents/paystub/output?format=csv&table=5');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({
      message: 'there is no table 5: document paystub.jpg-c9dccc403169 has 4 tables (1-4)',
    });
    const failed = await getText('/documents/failed/output');
    expect(failed.status).toBe(404);
    const running = await getText('/documents/running/output?format=markdown');
    expect({ status: running.status, body: JSON.parse(running.body) as unknown }).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'document running has no output yet: it is PROCESSING',
      },
    });
  });

  test('answers 406 for an export of an output written before schema 2, and gives its JSON', async () => {
    const old = await getText('/documents/legacy/output?format=markdown');
    expect(old.status).toBe(406);
    expect(JSON.parse(old.body)).toMatchObject({
      message: expect.stringContaining('schema version 1') as string,
    });
    expect((await getText('/documents/legacy/output')).status).toBe(200);
  });
});
