// A tiny workflow that exercises what the real lifecycle relies on: search attribute upserts,
// current details and durable timers.
import type { Duration } from '@temporalio/common';
import { setCurrentDetails, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { type DocumentStatus, DocumentStatusKey, PageCountKey } from '../../../lib/contract';

export interface ProbeInput {
  status: DocumentStatus;
  pages: number;
  sleepFor?: Duration;
}

export async function probeWorkflow(input: ProbeInput): Promise<{ workflowId: string; sleptMs: number }> {
  const started = Date.now(); // workflow time: deterministic, and skipped by the time-skipping server
  if (input.sleepFor !== undefined) await sleep(input.sleepFor);
  upsertSearchAttributes([
    { key: DocumentStatusKey, value: input.status },
    { key: PageCountKey, value: input.pages },
  ]);
  setCurrentDetails(`probe finished with status ${input.status}`);
  return { workflowId: workflowInfo().workflowId, sleptMs: Date.now() - started };
}
