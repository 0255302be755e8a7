// The codec server as docker-compose runs it (`npm run codec-server`): the Web UI's origin may decode
// docket's encrypted payloads through it; other origins get no CORS grant; bad settings stop it.
import { spawn } from 'node:child_process';
import { defaultPayloadConverter } from '@temporalio/common';
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

test('decodes payloads with CORS granted to the UI origin, and stops on SIGTERM', async () => {
  const port = await freePort('127.0.0.1');
  const ui = 'http://127.0.0.1:8233';
  const proc = codecProcess({ DOCKET_CODEC_PORT: String(port), DOCKET_CODEC_ALLOWED_ORIGIN: ui });
  try {
    await eventually('the codec server to listen', async () =>
      proc.output().includes(`on http://127.0.0.1:${port}`) ? true : undefined,
    );
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
    const res = await fetch(`http://127.0.0.1:${port}/default/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ui },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ui);
    const [decoded, passed] = ((await res.json()) as { payloads: ReturnType<typeof toJson>[] }).payloads;
    expect(JSON.parse(Buffer.from(decoded!.data, 'base64').toString())).toEqual({ field: 'a value' });
    expect(passed).toEqual(toJson(plain));

    const bad = await fetch(`http://127.0.0.1:${port}/decode`, { method: 'POST', body: '{"payloads": 1}' });
    expect(bad.status).toBe(400);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  } finally {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  }
});

test('refuses to start without the UI origin, naming the variable', async () => {
  const proc = codecProcess({ DOCKET_CODEC_PORT: String(await freePort('127.0.0.1')) });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain('DOCKET_CODEC_ALLOWED_ORIGIN');
});
