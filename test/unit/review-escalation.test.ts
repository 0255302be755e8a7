// The escalation activity with fakes: what it sends to SNS and to the webhook, the webhook's
// signature, and what happens when a target fails or none is configured.
import { createHmac } from 'node:crypto';
import type { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  createEscalationActivities,
  describeEscalation,
  type EscalationNotice,
  type EscalationResult,
  escalationSignatureHeader,
} from '../../activities/escalation';
import { quietActivityEnvironment } from '../support/quiet-logs';

const notice: EscalationNotice = {
  documentId: 'doc-1',
  profile: 'invoice',
  status: 'AWAITING_REVIEW',
  overdueSince: '2026-12-01T10:00:00.000Z',
  reviewDueAt: '2026-12-03T09:00:00.000Z',
};
const topicArn = 'arn:aws:sns:us-east-1:123456789012:docket-escalations';

function fakeSns(fail?: Error) {
  const published: PublishCommand[] = [];
  const client = {
    send: (command: PublishCommand) => {
      published.push(command);
      return fail ? Promise.reject(fail) : Promise.resolve({ MessageId: 'm-1' });
    },
  } as unknown as SNSClient;
  return { client, published };
}

function fakeWebhook(status = 200) {
  const requests: { url: string; headers: Record<string, string>; body: string }[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    requests.push({ url, headers: init.headers as Record<string, string>, body: init.body as string });
    return Promise.resolve(new Response(null, { status }));
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

test('publishes the notice to the SNS topic, with nothing but ids, the profile and times', async () => {
  const sns = fakeSns();
  const { escalateReview } = createEscalationActivities({ sns: sns.client, topicArn });
  const result: EscalationResult = await quietActivityEnvironment().run(escalateReview, notice);
  expect(result.delivered).toEqual(['sns']);
  expect(sns.published).toHaveLength(1);
  const input = sns.published[0]!.input;
  expect(input.TopicArn).toBe(topicArn);
  expect(JSON.parse(input.Message!)).toEqual({ type: 'docket.review.overdue', ...notice });
});

test('POSTs the notice to the webhook with an HMAC-SHA256 signature of the exact body', async () => {
  const hook = fakeWebhook();
  const secret = 'shared-secret';
  const { escalateReview } = createEscalationActivities({
    webhookUrl: 'https://hooks.example/docket',
    webhookSecret: secret,
    fetch: hook.fetch,
  });
  const result: EscalationResult = await quietActivityEnvironment().run(escalateReview, notice);
  expect(result.delivered).toEqual(['webhook']);
  const [req] = hook.requests;
  expect(req?.url).toBe('https://hooks.example/docket');
  const expected = `sha256=${createHmac('sha256', secret).update(req!.body).digest('hex')}`;
  expect(req?.headers[escalationSignatureHeader]).toBe(expected);
  expect(JSON.parse(req!.body)).toMatchObject(notice);
  // Another secret gives another signature: a receiver can tell a forged body.
  expect(expected).not.toBe(`sha256=${createHmac('sha256', 'other').update(req!.body).digest('hex')}`);
});

test('an unsigned webhook carries no signature header; both targets get the notice', async () => {
  const hook = fakeWebhook();
  const sns = fakeSns();
  const { escalateReview } = createEscalationActivities({
    sns: sns.client,
    topicArn,
    webhookUrl: 'https://hooks.example/docket',
    fetch: hook.fetch,
  });
  const result: EscalationResult = await quietActivityEnvironment().run(escalateReview, notice);
  expect(result.delivered).toEqual(['sns', 'webhook']);
  expect(hook.requests[0]?.headers[escalationSignatureHeader]).toBeUndefined();
});

test('a failing target throws, so the workflow retries it', async () => {
  const down = createEscalationActivities({
    webhookUrl: 'https://hooks.example/docket',
    fetch: fakeWebhook(503).fetch,
  });
  await expect(quietActivityEnvironment().run(down.escalateReview, notice)).rejects.toThrow('HTTP 503');
  const snsDown = createEscalationActivities({
    sns: fakeSns(Object.assign(new Error('unreachable'), { name: 'InternalError' })).client,
    topicArn,
  });
  await expect(quietActivityEnvironment().run(snsDown.escalateReview, notice)).rejects.toThrow('unreachable');
});

test('with no target it delivers nothing, and the worker can say so at startup', async () => {
  const { escalateReview } = createEscalationActivities({});
  expect(await quietActivityEnvironment().run(escalateReview, notice)).toEqual({ delivered: [] });
  expect(describeEscalation({})).toBe('none');
  expect(describeEscalation({ topicArn, webhookUrl: 'https://x', webhookSecret: 's' })).toBe(
    'SNS topic and webhook (signed)',
  );
});

test('a retry skips the targets an earlier attempt reached (heartbeated)', async () => {
  const sns = fakeSns();
  const hook = fakeWebhook();
  const { escalateReview } = createEscalationActivities({
    sns: sns.client,
    topicArn,
    webhookUrl: 'https://hooks.example/docket',
    fetch: hook.fetch,
  });
  const env = quietActivityEnvironment({ heartbeatDetails: ['sns'], attempt: 2 });
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  const result: EscalationResult = await env.run(escalateReview, notice);
  expect(result.delivered).toEqual(['sns', 'webhook']);
  expect(sns.published).toHaveLength(0);
  expect(hook.requests).toHaveLength(1);
  expect(beats.at(-1)).toEqual(['sns', 'webhook']);
});

test('the first attempt heartbeats each target it reached before a later one fails', async () => {
  const sns = fakeSns();
  const { escalateReview } = createEscalationActivities({
    sns: sns.client,
    topicArn,
    webhookUrl: 'https://hooks.example/docket',
    fetch: fakeWebhook(500).fetch,
  });
  const env = quietActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  await expect(env.run(escalateReview, notice)).rejects.toThrow('HTTP 500');
  expect(beats).toEqual([['sns']]);
});
