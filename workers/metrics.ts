/*
 * docket's own metrics, served on the worker's Prometheus endpoint beside the SDK's:
 *   docket_textract_calls{operation}           every Textract request the worker's client sends
 *   docket_textract_throttles{operation}       of those, answered with throttling or quota errors
 *   docket_review_queue_size{namespace}        documents AWAITING_REVIEW (a visibility count, refreshed)
 *   docket_textract_notifications{outcome}     completion messages the listener handled, by outcome
 * The workflow adds docket_documents_finished{status} and docket_pages_processed (workflows/tracker.ts).
 * Labels carry operation names and statuses only, never document content.
 */
import net from 'node:net';
import type { TextractClient } from '@aws-sdk/client-textract';
import { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { DocumentStatus, DocumentStatusKey } from '../lib/contract';

/**
 * The address the Prometheus endpoint will listen on: `host:0` becomes a free port of that host,
 * found by binding it for a moment (the SDK's exporter cannot say which port it got). Several workers
 * on one host can so run with the same configuration; each prints its own address.
 */
export async function resolveMetricsAddress(address: string): Promise<string> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at);
  if (address.slice(at + 1) !== '0') return address;
  const port = await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const bound = server.address();
      server.close(() => resolve(typeof bound === 'object' && bound ? bound.port : 0));
    });
  });
  return `${host}:${port}`;
}

/** Textract errors that mean "slow down", not "this request is wrong". */
const throttleErrors = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
]);

/** Counts every Textract call and every throttled one, by operation. */
export function countTextractCalls(textract: TextractClient, meter: MetricMeter): void {
  const calls = meter.createCounter(
    'docket_textract_calls',
    'requests',
    'Textract requests sent, by operation',
  );
  const throttles = meter.createCounter(
    'docket_textract_throttles',
    'requests',
    'Textract requests answered with a throttling or quota error, by operation',
  );
  textract.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
      calls.add(1, { operation });
      try {
        return await next(args);
      } catch (err) {
        if (throttleErrors.has((err as Error).name)) throttles.add(1, { operation });
        throw err;
      }
    },
    // Inside the SDK's retry middleware (finalizeRequest, high priority): every attempt sent counts,
    // and every throttled answer the SDK retried by itself too.
    { step: 'finalizeRequest', priority: 'low', name: 'docketTextractMetrics' },
  );
}

/** A counter of the completion listener's messages by outcome (signalled, malformed, duplicate, …). */
export function countNotifications(meter: MetricMeter): (outcome: string) => void {
  const counter = meter.createCounter(
    'docket_textract_notifications',
    'messages',
    'Textract completion messages handled by the listener, by outcome',
  );
  return (outcome) => counter.add(1, { outcome });
}

export const reviewQueueQuery = `${DocumentStatusKey.name}="${DocumentStatus.AWAITING_REVIEW}"`;

/**
 * Refreshes docket_review_queue_size every intervalMs from a visibility count. Returns a stop
 * function. A failed count keeps the last value and is reported through onError.
 */
export function watchReviewQueue(options: {
  connection: NativeConnection;
  namespace: string;
  meter: MetricMeter;
  intervalMs: number;
  onError: (err: unknown) => void;
}): () => void {
  const client = new Client({ connection: options.connection, namespace: options.namespace });
  const gauge = options.meter.createGauge(
    'docket_review_queue_size',
    'int',
    'documents',
    'Documents awaiting review in the namespace',
  );
  let stopped = false;
  const refresh = async () => {
    try {
      const { count } = await client.workflow.count(reviewQueueQuery);
      if (!stopped) gauge.set(count, { namespace: options.namespace });
    } catch (err) {
      options.onError(err);
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
