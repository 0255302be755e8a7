// In-process workers for the Textract-call queues of the quota governor (lib/quota.ts), for tools that
// run a document worker in their own process (benchmarks, the history recorder, tests): without them a
// document waits at Start* forever, as nothing serves `<queue>-textract-start` / `-get`.
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { textractGetQueue, textractStartQueue } from '../lib/quota';

/** What the Textract-queue workers share with the document worker: no workflows, no task queue. */
export type TextractQueueWorkerOptions = Omit<
  WorkerOptions,
  'taskQueue' | 'workflowBundle' | 'workflowsPath'
>;

/** One worker per Textract-call queue of `taskQueue`, without a server-side rate. */
export function createTextractQueueWorkers(
  options: TextractQueueWorkerOptions,
  taskQueue: string,
): Promise<Worker[]> {
  return Promise.all(
    [textractStartQueue(taskQueue), textractGetQueue(taskQueue)].map((queue) =>
      Worker.create({ ...options, taskQueue: queue }),
    ),
  );
}

/** Runs helper workers (the Textract-call queues) while `main` runs, then shuts them down. */
export async function runAlongside<T>(workers: Worker[], main: Promise<T>): Promise<T> {
  const runs = workers.map((w) => w.run());
  try {
    return await main;
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await Promise.allSettled(runs);
  }
}
