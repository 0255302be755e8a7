// The Textract quota governor through the real stack: worker processes sharing the account's rates
// and concurrent-job cap (the local Textract enforces and counts them), a worker killed while its
// documents hold leases, and leases released on completion, failure and cancellation.
import { randomBytes, randomUUID } from 'node:crypto';
import { DocumentStatus, statusQuery, type DocumentWorkflowInput } from '../../lib/contract';
import { type QuotaState, quotaStateQuery, textractQuotaWorkflowId } from '../../lib/quota';
import type { AccountCounters } from '@docket/local/textract/counters';
import { eventually, LifecycleSuite, type DocumentHandle } from '../support/lifecycle';

jest.setTimeout(300_000);

const suite = new LifecycleSuite('governor');

beforeAll(() => suite.setUp(), 120_000);
afterAll(() => suite.tearDown());

async function counters(): Promise<AccountCounters> {
  const url = `${suite.stack.textractEndpoint}/__docket/counters?account=${encodeURIComponent(suite.account)}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`local Textract counters: ${res.status}`);
  return (await res.json()) as AccountCounters;
}

async function resetCounters(): Promise<void> {
  const url = `${suite.stack.textractEndpoint}/__docket/counters?account=${encodeURIComponent(suite.account)}`;
  await fetch(url, { method: 'DELETE' });
}

const total = (c: AccountCounters, field: 'calls' | 'throttled' | 'limitExceeded') =>
  Object.values(c.operations).reduce((n, op) => n + op[field], 0);

async function documents(run: string, n: number, name = 'doc'): Promise<DocumentWorkflowInput[]> {
  const profile = suite.profile();
  return Promise.all(
    Array.from({ length: n }, async (_, i) => ({
      documentId: `e2e-gov-${name}-${i}-${run}`,
      source: await suite.upload(
        `e2e/${run}/${name}-${i}.pdf`,
        Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(512)]),
      ),
      profile,
    })),
  );
}

const quotaState = (taskQueue: string): Promise<QuotaState> =>
  suite.client.workflow.getHandle(textractQuotaWorkflowId(taskQueue)).query(quotaStateQuery);

const settled = (h: DocumentHandle) =>
  h.result().then(
    (r) => r.status,
    () => 'FAILED',
  );

test('two worker processes together keep to the configured rates and job cap: no call throttled', async () => {
  const run = randomUUID();
  // The account's quotas as the local Textract enforces them, and docket configured with the same.
  await suite.setFaults({
    tps: { StartDocumentAnalysis: 2, GetDocumentAnalysis: 4 },
    maxConcurrentJobs: 3,
    documents: [{ match: `*${run}/*`, jobMs: 1500, synthetic: { pages: 1 } }],
  });
  await resetCounters();
  const env = {
    DOCKET_TEXTRACT_START_TPS: '2',
    DOCKET_TEXTRACT_GET_TPS: '4',
    DOCKET_TEXTRACT_MAX_JOBS: '3',
    DOCKET_TEXTRACT_PROCESSES: '2',
  };
  const taskQueue = `e2e-gov-${run}`;
  await Promise.all([suite.spawnWorker(taskQueue, env), suite.spawnWorker(taskQueue, env)]);
  // The workers started the quota workflow: the first burst asks by plain signal.
  await eventually('the quota workflow running before any document asks', () =>
    quotaState(taskQueue).then(
      (state) => state,
      () => undefined,
    ),
  );
  expect(await quotaState(taskQueue)).toMatchObject({ maxConcurrentJobs: 3, granted: 0, holders: [] });
  const inputs = await documents(run, 12);
  const handles = await Promise.all(inputs.map((input) => suite.start(taskQueue, input)));
  const statuses = await Promise.all(handles.map(settled));
  expect(statuses).toEqual(inputs.map(() => DocumentStatus.SUCCEEDED));

  const c = await counters();
  expect(c.operations.StartDocumentAnalysis?.calls).toBeGreaterThanOrEqual(12);
  expect(total(c, 'throttled')).toBe(0);
  expect(total(c, 'limitExceeded')).toBe(0);
  expect(c.peakConcurrentJobs).toBeLessThanOrEqual(3);
  // Every lease came back at completion.
  const state = await quotaState(taskQueue);
  expect(state).toMatchObject({ holders: [], waiters: [], granted: 12 });
});

test('the job cap holds across a kill -9 of a worker holding leases; failure and cancellation release', async () => {
  const run = randomUUID();
  await suite.setFaults({
    maxConcurrentJobs: 2,
    documents: [
      {
        match: `*${run}/broken-*`,
        status: 'FAILED',
        statusMessage: 'forced',
        jobMs: 500,
        synthetic: { pages: 1 },
      },
      { match: `*${run}/*`, jobMs: 4000, synthetic: { pages: 1 } },
    ],
  });
  await resetCounters();
  const env = { DOCKET_TEXTRACT_MAX_JOBS: '2' };
  const taskQueue = `e2e-gov-crash-${run}`;
  const first = await suite.spawnWorker(taskQueue, env);
  const inputs = await documents(run, 5);
  const handles = await Promise.all(inputs.map((input) => suite.start(taskQueue, input)));
  // Killed while two documents hold leases for running jobs and three wait in line: the leases are
  // in the quota workflow's state, not in the dead process.
  await eventually('two documents holding leases for running jobs, three waiting', async () => {
    const state = await quotaState(taskQueue).catch(() => undefined);
    if (!state || state.holders.length !== 2 || state.waiters.length !== 3) return undefined;
    const holders = handles.filter((h) => state.holders.some((x) => x.workflowId === h.workflowId));
    const jobs = await Promise.all(holders.map((h) => h.query(statusQuery).then((s) => s.textractJobId)));
    return jobs.length === 2 && jobs.every(Boolean) ? true : undefined;
  });
  await first.kill();
  await suite.spawnWorker(taskQueue, env);

  // A failed job and a cancelled waiter give their leases (or places) back too.
  const [broken] = await documents(run, 1, 'broken');
  const [cancelled] = await documents(run, 1, 'cancelled');
  if (!broken || !cancelled) throw new Error('documents not uploaded');
  const failing = await suite.start(taskQueue, broken);
  const cancelling = await suite.start(taskQueue, cancelled);
  await eventually('the last document waiting for a lease', async () => {
    const state = await quotaState(taskQueue);
    return state.waiters.some((w) => w.workflowId === cancelling.workflowId) ? true : undefined;
  });
  await cancelling.cancel();

  expect(await Promise.all(handles.map(settled))).toEqual(inputs.map(() => DocumentStatus.SUCCEEDED));
  expect(await settled(failing)).toBe('FAILED');
  expect((await failing.query(statusQuery)).failure?.type).toBe('TextractJobFailed');
  expect(await settled(cancelling)).toBe('FAILED');

  const c = await counters();
  expect(total(c, 'limitExceeded')).toBe(0);
  expect(c.peakConcurrentJobs).toBeLessThanOrEqual(2);
  const state = await quotaState(taskQueue);
  expect(state.holders).toEqual([]);
  expect(state.waiters).toEqual([]);
  expect(await suite.replayAll()).toEqual([]);
});
