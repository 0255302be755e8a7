// Escalation: tells people a document has waited past its profile's review SLA, through an SNS topic
// and/or a webhook configured on the worker (never in the workflow input).
import { createHmac } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { Context, log } from '@temporalio/activity';

/** What an escalation says: ids, the profile and times only; never field values or file names. */
export interface EscalationNotice {
  documentId: string;
  profile: string;
  status: string;
  /** When the document became overdue (its SLA, ISO 8601). */
  overdueSince: string;
  /** When review fails with REVIEW_TIMEOUT (ISO 8601). */
  reviewDueAt: string;
}

export interface EscalationResult {
  /** Where the notice went: `sns`, `webhook`, or nothing when neither is configured. */
  delivered: ('sns' | 'webhook')[];
}

export interface EscalationOptions {
  /** SNS client and topic; both or neither. */
  sns?: SNSClient;
  topicArn?: string;
  webhookUrl?: string;
  /** Signs the webhook body: header `X-Docket-Signature: sha256=<hex HMAC-SHA256 of the body>`. */
  webhookSecret?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** How long the webhook may take to answer. @default 10000 */
  webhookTimeoutMs?: number;
}

/** The header that carries the webhook body's HMAC-SHA256 signature. */
export const escalationSignatureHeader = 'x-docket-signature';

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes with the shared secret. */
export function signEscalation(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Where notices go, in words for the worker's startup log. */
export function describeEscalation(options: EscalationOptions): string {
  const targets = [
    ...(options.topicArn ? ['SNS topic'] : []),
    ...(options.webhookUrl ? [`webhook${options.webhookSecret ? ' (signed)' : ' (unsigned)'}`] : []),
  ];
  return targets.length > 0 ? targets.join(' and ') : 'none';
}

export function createEscalationActivities(options: EscalationOptions = {}) {
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    /**
     * Publishes the notice to every configured target. Throws when one fails, so the workflow's
     * bounded retry policy tries again; the targets already reached are heartbeated, so a retry
     * skips them. The workflow never fails the document over it. With no target configured it
     * delivers nothing and says so (the worker also warned at startup).
     */
    escalateReview: async (notice: EscalationNotice): Promise<EscalationResult> => {
      const body = JSON.stringify({ type: 'docket.review.overdue', ...notice });
      const ctx = Context.current();
      const previous: unknown = ctx.info.heartbeatDetails;
      const delivered: EscalationResult['delivered'] = Array.isArray(previous)
        ? previous.filter((t): t is 'sns' | 'webhook' => t === 'sns' || t === 'webhook')
        : [];
      if (options.sns && options.topicArn && !delivered.includes('sns')) {
        await options.sns.send(
          new PublishCommand({
            TopicArn: options.topicArn,
            Subject: `docket: review overdue (${notice.profile})`,
            Message: body,
            MessageAttributes: {
              profile: { DataType: 'String', StringValue: notice.profile },
            },
          }),
        );
        delivered.push('sns');
        ctx.heartbeat([...delivered]);
      }
      if (options.webhookUrl && !delivered.includes('webhook')) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (options.webhookSecret)
          headers[escalationSignatureHeader] = signEscalation(body, options.webhookSecret);
        const res = await doFetch(options.webhookUrl, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(options.webhookTimeoutMs ?? 10_000),
        });
        if (!res.ok) throw new Error(`the escalation webhook answered HTTP ${res.status}`);
        delivered.push('webhook');
        ctx.heartbeat([...delivered]);
      }
      if (delivered.length === 0) {
        log.warn('review overdue: no escalation target configured', { documentId: notice.documentId });
      } else {
        log.info('review escalated', { documentId: notice.documentId, delivered });
      }
      return { delivered };
    },
  };
}
