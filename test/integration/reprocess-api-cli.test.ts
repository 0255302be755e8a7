// Reprocess as operators use it: `docket reprocess` and POST /documents/:id/reprocess (operator role
// only) start a new run of the same document id that writes the next output version, listed by
// `docket output <id> --versions`; once retention removed the raw parts, both refuse and say why.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { FastifyInstance } from 'fastify';
import { apiAuthOptions } from '../../clients/api/auth';
import { loadApiConfig } from '../../clients/api/config';
import { buildApi } from '../../clients/api/server';
import { loadClientConfig } from '../../clients/config';
import { DocketClient } from '../../clients/documents';
import { storedRecord, reprocessContextOf } from '../../clients/reprocess';
import { partKey } from '../../lib/extraction';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { freePort } from '@docket/local/stack/ports';
import { stackEnv } from '@docket/local/stack/stack';
import { runDocket } from '../support/docket-cli';
import { uniqueCorpusDocument } from '../fixtures/textract/harness';
import { LifecycleSuite } from '../support/lifecycle';

const suite = new LifecycleSuite('reprocess-api');
const run = randomUUID().slice(0, 8);
const taskQueue = `reprocess-${run}`;
const profileName = `reprocess-${run}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-reprocess-'));
const profilesFile = path.join(dir, 'profiles.json');
fs.writeFileSync(
  profilesFile,
  JSON.stringify({
    [profileName]: { textract: { api: 'ANALYSIS', features: ['FORMS'] }, defaultThreshold: 0 },
  }),
);
const env = () => ({
  ...process.env,
  ...stackEnv(suite.stack),
  AWS_ACCESS_KEY_ID: suite.account,
  DOCKET_TASK_QUEUE: taskQueue,
  DOCKET_PROFILES_FILE: profilesFile,
});
let docket: DocketClient;
let app: FastifyInstance;
let baseUrl: string;
const tokens = { alice: '', olga: '' };

beforeAll(async () => {
  await suite.setUp();
  // The SDK clients of DocketClient read the stack's endpoints and region from the environment.
  Object.assign(process.env, stackEnv(suite.stack));
  docket = await DocketClient.connect(loadClientConfig(env()));
  for (const user of ['alice', 'olga'] as const)
    tokens[user] = await fetchDevToken(suite.stack.auth.issuer, user);
  const port = await freePort('127.0.0.1');
  const config = loadApiConfig({ ...env(), DOCKET_API_PORT: String(port) });
  app = buildApi(docket, { auth: apiAuthOptions(config.auth) });
  baseUrl = await app.listen({ host: '127.0.0.1', port });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await docket?.close();
  await suite.tearDown();
});

async function post(url: string, as: keyof typeof tokens, body?: unknown) {
  const res = await fetch(`${baseUrl}${url}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tokens[as]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('CLI and API reprocess write versions 2 and 3 beside version 1; an expired result is refused with why', async () => {
  const source = await suite.upload(
    `e2e/${run}/sample-invoice.pdf`,
    uniqueCorpusDocument('sample-invoice.pdf'),
  );
  const documentId = `e2e-reprocess-${run}`;
  await suite.withWorker(async () => {
    await docket.start({ source: `s3://${source.bucket}/${source.key}`, profile: profileName, documentId });
    expect((await docket.result(documentId)).status).toBe('SUCCEEDED');

    const cli = await runDocket(['reprocess', documentId, '--json'], env());
    expect(cli).toMatchObject({ code: 0 });
    expect(JSON.parse(cli.stdout)).toMatchObject({ documentId, version: 2, profile: profileName });
    expect((await docket.result(documentId)).status).toBe('SUCCEEDED');

    // Reviewers may not reprocess; operators may.
    expect((await post(`/documents/${documentId}/reprocess`, 'alice')).status).toBe(403);
    const api = await post(`/documents/${documentId}/reprocess`, 'olga', { profile: profileName });
    expect(api).toMatchObject({ status: 202, body: { documentId, version: 3 } });
    const third = await docket.result(documentId);
    expect(third.output?.key).toMatch(new RegExp(`/${documentId}/v3/document\\.json\\.encrypted$`));

    const listed = await runDocket(['output', documentId, '--versions', '--json'], env());
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { version: number }[]).map((v) => v.version)).toEqual([1, 2, 3]);
    // Version 1 is still there and decrypts.
    const v1 = (JSON.parse(listed.stdout) as { location: { bucket: string; key: string } }[])[0]!.location;
    expect((await suite.readOutput(v1, documentId)).documentId).toBe(documentId);

    const { raw } = (await storedRecord(reprocessContextOf(docket), documentId)).extraction;
    await suite.aws.s3.send(
      new DeleteObjectCommand({ Bucket: raw.bucket, Key: partKey(raw.prefix, 'raw', 1) }),
    );
    const gone = await post(`/documents/${documentId}/reprocess`, 'olga');
    expect(gone.status).toBe(410);
    expect(gone.body.message).toMatch(/raw part 1 of \d+ .* is gone .*lifecycle rule/);
    const refused = await runDocket(['reprocess', documentId], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is gone from bucket .* lifecycle rule/);
  }, taskQueue);
}, 240_000);
