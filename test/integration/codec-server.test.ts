// The codec server as docker-compose runs it (`npm run codec-server`): an operator's token from the
// Web UI's origin may decode docket's encrypted payloads through it; no token, a bad token, the
// wrong role or another origin are refused; bad settings stop it.
import { spawn } from 'node:child_process';
import { defaultPayloadConverter } from '@temporalio/common';
import { fetchDevToken } from '@docket/local/auth/dev-issuer';
import { freePort } from '@docket/local/stack/ports';
import { stackEnv } from '@docket/local/stack/stack';
import { repoRoot } from '@docket/local/stack/tools';
import { newDataKeyCache } from '../../lib/aws/kms';
import { encryptedEncoding, KmsPayloadCodec } from '../../lib/payload-codec';
import { eventually } from '../support/lifecycle';
import { compiled, localAwsClients, testStack } from '../support/stack';

const stack = testStack();
const aws = localAwsClients(stack);
afterAll(() => {
  for (const c of Object.values(aws)) c.destroy();
});

function codecProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, [compiled('clients/codec-server.js')], {
    cwd: repoRoot,
    env: { ...process.env, ...stackEnv(stack), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const ui = 'http://127.0.0.1:8233';

/** A codec server process for the UI origin, listening. */
async function listeningCodec() {
  const port = await freePort('127.0.0.1');
  const proc = codecProcess({ DOCKET_CODEC_PORT: String(port), DOCKET_CODEC_ALLOWED_ORIGIN: ui });
  await eventually('the codec server to listen', async () =>
    proc.output().includes(`on http://127.0.0.1:${port}`) ? true : undefined,
  );
  return { ...proc, url: `http://127.0.0.1:${port}` };
}

test('decodes payloads for an operator with CORS granted to the UI origin, and stops on SIGTERM', async () => {
  const proc = await listeningCodec();
  const port = new URL(proc.url).port;
  const olga = await fetchDevToken(stack.auth.issuer, 'olga');
  try {
    const codec = new KmsPayloadCodec({
      kms: aws.kms,
      kmsKeyId: stack.resources.kmsAlias,
      cache: newDataKeyCache(),
    });
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ field: 'a value' })]);
    expect(Buffer.from(encoded!.metadata!.encoding!).toString()).toBe(encryptedEncoding);
    // Another codec's payload rides along and comes back as it went.
    const plain = defaultPayloadConverter.toPayload('not encrypted');
    const toJson = (p: typeof plain) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p.data!).toString('base64'),
    });
    const body = JSON.stringify({ payloads: [toJson(encoded!), toJson(plain)] });
    // As the UI sends it with "include cross-origin credentials": the session cookie of docket's API.
    const res = await fetch(`http://127.0.0.1:${port}/default/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ui, Cookie: `docket_session=${olga}` },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ui);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const [decoded, passed] = ((await res.json()) as { payloads: ReturnType<typeof toJson>[] }).payloads;
    expect(JSON.parse(Buffer.from(decoded!.data, 'base64').toString())).toEqual({ field: 'a value' });
    expect(passed).toEqual(toJson(plain));

    const bad = await fetch(`http://127.0.0.1:${port}/decode`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${olga}` },
      body: '{"payloads": 1}',
    });
    expect(bad.status).toBe(400);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  } finally {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  }
});

test('refuses no token, a bad token, the wrong role and another origin, and decrypts nothing for them', async () => {
  const proc = await listeningCodec();
  try {
    const codec = new KmsPayloadCodec({
      kms: aws.kms,
      kmsKeyId: stack.resources.kmsAlias,
      cache: newDataKeyCache(),
    });
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ secret: 'field value' })]);
    const body = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(encoded!.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(encoded!.data!).toString('base64'),
        },
      ],
    });
    const plain = Buffer.from(JSON.stringify({ secret: 'field value' })).toString('base64');
    const refusals: string[] = [];
    const decode = async (headers: Record<string, string>) => {
      const res = await fetch(`${proc.url}/default/decode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      });
      const text = await res.text();
      if (res.status !== 200) refusals.push(text);
      return { status: res.status, text, headers: res.headers };
    };
    const olga = await fetchDevToken(stack.auth.issuer, 'olga');
    const sam = await fetchDevToken(stack.auth.issuer, 'sam');
    const [head, claims, signature] = olga.split('.');
    const tampered = `${head}.${claims}.${signature!.slice(0, -4)}AAAA`;

    const none = await decode({ Origin: ui });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await decode({ Origin: ui, Authorization: `Bearer ${tampered}` })).status).toBe(401);
    expect((await decode({ Origin: ui, Cookie: 'docket_session=not-a-token' })).status).toBe(401);
    const expired = await fetchDevToken(stack.auth.issuer, 'olga', { expiresIn: -60 });
    expect((await decode({ Authorization: `Bearer ${expired}` })).text).toMatch(/expired/);
    const submitter = await decode({ Origin: ui, Authorization: `Bearer ${sam}` });
    expect(submitter.status).toBe(403);
    expect(submitter.text).toMatch(/requires the role operator/);
    // A page on another origin is refused even with an operator's token, and gets no CORS grant.
    const elsewhere = await decode({ Origin: 'http://127.0.0.1:9999', Authorization: `Bearer ${olga}` });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${proc.url}/default/decode`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:9999', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // The UI's preflight learns it may send credentials.
    const uiPreflight = await fetch(`${proc.url}/default/decode`, {
      method: 'OPTIONS',
      headers: { Origin: ui, 'Access-Control-Request-Method': 'POST' },
    });
    expect(uiPreflight.status).toBe(204);
    expect(uiPreflight.headers.get('access-control-allow-credentials')).toBe('true');
    // The same request with the operator's token is answered.
    const granted = await decode({ Origin: ui, Authorization: `Bearer ${olga}` });
    expect(granted.status).toBe(200);
    expect(granted.text).toContain(plain);
    expect(refusals).toHaveLength(6);
    for (const text of refusals) expect(text).not.toContain(plain);
  } finally {
    proc.child.kill('SIGKILL');
  }
});

test('refuses to start without an issuer, naming the variable', async () => {
  const proc = codecProcess({
    DOCKET_CODEC_PORT: String(await freePort('127.0.0.1')),
    DOCKET_CODEC_ALLOWED_ORIGIN: ui,
    DOCKET_AUTH_ISSUER: '',
  });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain('DOCKET_AUTH_ISSUER is required');
});

test('refuses to start without the UI origin, naming the variable', async () => {
  const proc = codecProcess({ DOCKET_CODEC_PORT: String(await freePort('127.0.0.1')) });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain('DOCKET_CODEC_ALLOWED_ORIGIN');
});
