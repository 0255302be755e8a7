// The Textract quota workflow on the time-skipping server, with stand-in lease holders: grants in
// request order up to the cap, idempotent requests, release, reaping of ended holders, continue-as-new.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createQuotaActivities } from '../../activities/quota';
import {
  jobEndedSignal,
  type QuotaState,
  quotaStateQuery,
  requestLeaseUpdate,
  textractQuotaWorkflowId,
} from '../../lib/quota';
import { bundle, createTimeSkippingEnv } from '../support/temporal';
import {
  finishSignal,
  holdingQuery,
  type leaseHolderWorkflow,
  type textractQuotaWorkflow,
} from '../support/workflows/lease-holder';

jest.setTimeout(90_000);

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([
    createTimeSkippingEnv(),
    bundle(require.resolve('../support/workflows/lease-holder')),
  ]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

async function withQuota<T>(
  cap: number,
  body: (tq: string) => Promise<T>,
  activities: Partial<ReturnType<typeof createQuotaActivities>> = {},
): Promise<T> {
  const taskQueue = `quota-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: { ...createQuotaActivities({ maxConcurrentJobs: cap }), ...activities },
  });
  try {
    return await worker.runUntil(body(taskQueue));
  } finally {
    // A quota workflow left running with work pending would hold the test server's clock.
    await env.client.workflow
      .getHandle(textractQuotaWorkflowId(taskQueue))
      .terminate('test over')
      .catch(() => undefined);
  }
}

const quotaState = (tq: string): Promise<QuotaState> =>
  env.client.workflow.getHandle(textractQuotaWorkflowId(tq)).query(quotaStateQuery);

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts holders one after another, each once the quota workflow has seen the previous one. */
async function startHolders(tq: string, names: string[]) {
  const handles = [];
  for (const name of names) {
    const handle = await env.client.workflow.start<typeof leaseHolderWorkflow>('leaseHolderWorkflow', {
      taskQueue: tq,
      workflowId: `${name}-${randomUUID()}`,
    });
    await until(`${name} known to the quota workflow`, async () => {
      const s = await quotaState(tq).catch(() => undefined);
      return s && [...s.holders, ...s.waiters].some((h) => h.workflowId === handle.workflowId)
        ? true
        : undefined;
    });
    handles.push(handle);
  }
  return handles;
}

const ids = (hs: { workflowId: string }[]) => hs.map((h) => h.workflowId);

describe('textract quota workflow', () => {
  test('grants up to the cap in request order; a release passes the lease to the first waiter', async () => {
    await withQuota(2, async (tq) => {
      const [a, b, c, d] = await startHolders(tq, ['a', 'b', 'c', 'd']);
      if (!a || !b || !c || !d) throw new Error('holders not started');
      let s = await quotaState(tq);
      expect(ids(s.holders)).toEqual(ids([a, b]));
      expect(ids(s.waiters)).toEqual(ids([c, d]));
      expect(await a.query(holdingQuery)).toBe(true);
      expect(await c.query(holdingQuery)).toBe(false);

      await a.signal(finishSignal, {});
      await a.result();
      await until('c granted', async () => ((await c.query(holdingQuery)) ? true : undefined));
      s = await quotaState(tq);
      expect(ids(s.holders)).toEqual(ids([b, c]));
      expect(ids(s.waiters)).toEqual(ids([d]));
      expect(await d.query(holdingQuery)).toBe(false);

      // Cancelling a waiter gives its place up: it never gets a lease.
      await d.cancel();
      await until('d gone', async () => ((await quotaState(tq)).waiters.length === 0 ? true : undefined));
      for (const h of [b, c]) await h.signal(finishSignal, {});
      await until('all released', async () =>
        (await quotaState(tq)).holders.length === 0 ? true : undefined,
      );
      expect((await quotaState(tq)).granted).toBe(3);
    });
  });

  test('a repeated request of the same run is granted again without taking a second lease', async () => {
    await withQuota(1, async (tq) => {
      const [a, b] = await startHolders(tq, ['a', 'b']);
      if (!a || !b) throw new Error('holders not started');
      const runId = (await a.describe()).runId;
      const quota = env.client.workflow.getHandle<typeof textractQuotaWorkflow>(textractQuotaWorkflowId(tq));
      const again = await quota.executeUpdate(requestLeaseUpdate, {
        args: [{ workflowId: a.workflowId, runId, maxConcurrentJobs: 1 }],
      });
      expect(again).toEqual({ granted: true });
      const waiterAgain = await quota.executeUpdate(requestLeaseUpdate, {
        args: [{ workflowId: b.workflowId, runId: (await b.describe()).runId, maxConcurrentJobs: 1 }],
      });
      expect(waiterAgain).toEqual({ granted: false });
      const s = await quotaState(tq);
      expect(ids(s.holders)).toEqual(ids([a]));
      expect(ids(s.waiters)).toEqual(ids([b]));
      await a.signal(finishSignal, {});
      await until('b granted', async () => ((await b.query(holdingQuery)) ? true : undefined));
      await b.signal(finishSignal, {});
    });
  });

  test('a job ended (the listener’s notice) frees its document’s lease for the next waiter, once', async () => {
    await withQuota(1, async (tq) => {
      const [a, b, c] = await startHolders(tq, ['a', 'b', 'c']);
      if (!a || !b || !c) throw new Error('holders not started');
      const quota = env.client.workflow.getHandle(textractQuotaWorkflowId(tq));
      // A notice naming a waiter, or no one, frees nothing.
      await quota.signal(jobEndedSignal, { workflowId: b.workflowId, jobId: 'job-b' });
      await quota.signal(jobEndedSignal, { workflowId: 'nobody', jobId: 'job-x' });
      let s = await quotaState(tq);
      expect(ids(s.holders)).toEqual(ids([a]));
      expect(ids(s.waiters)).toEqual(ids([b, c]));
      // The holder's notice: its lease passes on before the holder itself releases anything.
      await quota.signal(jobEndedSignal, { workflowId: a.workflowId, jobId: 'job-a' });
      await until('b granted', async () => ((await b.query(holdingQuery)) ? true : undefined));
      // A duplicate of it changes nothing: b keeps the lease, c waits.
      await quota.signal(jobEndedSignal, { workflowId: a.workflowId, jobId: 'job-a' });
      s = await quotaState(tq);
      expect(ids(s.holders)).toEqual(ids([b]));
      expect(ids(s.waiters)).toEqual(ids([c]));
      for (const h of [a, b]) await h.signal(finishSignal, {});
      await until('c granted', async () => ((await c.query(holdingQuery)) ? true : undefined));
      await c.signal(finishSignal, {});
    });
  });

  test('the lease of a run that ended without releasing is reaped for the next waiter', async () => {
    await withQuota(1, async (tq) => {
      await env.client.workflow.start<typeof textractQuotaWorkflow>('textractQuotaWorkflow', {
        taskQueue: tq,
        workflowId: textractQuotaWorkflowId(tq),
        args: [{ maxConcurrentJobs: 1, reapInterval: '1 second' }],
      });
      const [a, b] = await startHolders(tq, ['a', 'b']);
      if (!a || !b) throw new Error('holders not started');
      await a.terminate('as an operator would');
      await until('b granted', async () => ((await b.query(holdingQuery)) ? true : undefined));
      const s = await quotaState(tq);
      expect(ids(s.holders)).toEqual(ids([b]));
      expect(s.reaped).toBe(1);
      await b.signal(finishSignal, {});
    });
  });

  test('grants go on while the check for ended holders waits behind other activities', async () => {
    let checking = false;
    let finishCheck = () => {};
    const checked = new Promise<void>((resolve) => (finishCheck = resolve));
    const slowCheck = async () => {
      checking = true;
      await checked; // as if queued behind a thousand documents' activities
      return [];
    };
    await withQuota(
      1,
      async (tq) => {
        await env.client.workflow.start<typeof textractQuotaWorkflow>('textractQuotaWorkflow', {
          taskQueue: tq,
          workflowId: textractQuotaWorkflowId(tq),
          args: [{ maxConcurrentJobs: 1, reapInterval: '1 second' }],
        });
        const [a, b, c] = await startHolders(tq, ['a', 'b', 'c']);
        if (!a || !b || !c) throw new Error('holders not started');
        await until('the check running', async () => (checking ? true : undefined));
        const quota = env.client.workflow.getHandle(textractQuotaWorkflowId(tq));
        await quota.signal(jobEndedSignal, { workflowId: a.workflowId, jobId: 'job-a' });
        await until('b granted during the check', async () =>
          (await b.query(holdingQuery)) ? true : undefined,
        );
        await b.signal(finishSignal, {});
        await until('c granted during the check', async () =>
          (await c.query(holdingQuery)) ? true : undefined,
        );
        expect(ids((await quotaState(tq)).holders)).toEqual(ids([c]));
        finishCheck();
        for (const h of [a, c]) await h.signal(finishSignal, {});
        await until('all released', async () =>
          (await quotaState(tq)).holders.length === 0 ? true : undefined,
        );
      },
      { endedLeaseHolders: slowCheck },
    );
  });

  test('continues as new with its leases and waiters', async () => {
    await withQuota(1, async (tq) => {
      const quotaId = textractQuotaWorkflowId(tq);
      const quota = await env.client.workflow.start<typeof textractQuotaWorkflow>('textractQuotaWorkflow', {
        taskQueue: tq,
        workflowId: quotaId,
        args: [{ maxConcurrentJobs: 1, historyLimit: 20 }],
      });
      const firstRun = quota.firstExecutionRunId;
      const holders = await startHolders(tq, ['a', 'b', 'c', 'd']);
      const [a, b, c, d] = holders;
      if (!a || !b || !c || !d) throw new Error('holders not started');
      await a.signal(finishSignal, {});
      await until('b granted', async () => ((await b.query(holdingQuery)) ? true : undefined));
      const current = await env.client.workflow.getHandle(quotaId).describe();
      expect(current.runId).not.toBe(firstRun);
      const s = await quotaState(tq);
      expect(ids(s.holders)).toEqual(ids([b]));
      expect(ids(s.waiters)).toEqual(ids([c, d]));
      for (const h of [b, c, d]) {
        await h.signal(finishSignal, {});
        await h.result();
      }
      expect((await quotaState(tq)).granted).toBe(4);
    });
  });
});
