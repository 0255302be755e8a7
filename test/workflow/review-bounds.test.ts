// Bounded review on the time-skipping server with stub activities: after approval the document reads
// PROCESSING while its output is written, raw signals over the limits are ignored and counted (a
// flood keeps the state bounded and never quotes what was sent), and the per-document correction
// budget refuses the update that would exceed it while the document stays reviewable.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { WriteOutputInput } from '../../activities/output';
import {
  approveSignal,
  DocumentStatus,
  DocumentStatusKey,
  reviewUpdate,
  statusQuery,
} from '../../lib/contract';
import { reviewLimits } from '../../lib/review-input';
import { documentInput, field, stubActivities } from '../support/document-fixtures';
import { workflowTestEnv } from '../support/workflow-env';

jest.setTimeout(60_000);

const { env, withWorker, start, waitForStatus } = workflowTestEnv();

const lowTotal = [field('invoice_number', 'INV-1', 99), field('total', '12.00', 60)];

test('after approval the document reads PROCESSING, "approved; writing output", and a second approval is refused', async () => {
  let release!: () => void;
  const writing = new Promise<void>((resolve) => (release = resolve));
  let outputStarted = false;
  const stub = stubActivities({
    fields: lowTotal,
    writeDocumentOutput: async (input: WriteOutputInput) => {
      outputStarted = true;
      await writing;
      return { bucket: input.output.bucket, key: `documents/${input.documentId}/document.json.encrypted` };
    },
  });
  await withWorker(stub.activities, async (tq) => {
    const handle = await start(tq, documentInput(`post-approval-${randomUUID()}`));
    await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
    await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', reviewer: 'rita' }] });
    const state = await waitForStatus(handle, DocumentStatus.PROCESSING);
    expect(state.transitions.map((t) => t.status)).toEqual([
      DocumentStatus.RECEIVED,
      DocumentStatus.PROCESSING,
      DocumentStatus.AWAITING_REVIEW,
      DocumentStatus.PROCESSING,
    ]);
    // The list filters on the search attribute: it must not say AWAITING_REVIEW either.
    expect((await handle.describe()).typedSearchAttributes.get(DocumentStatusKey)).toBe(
      DocumentStatus.PROCESSING,
    );
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toBe('**PROCESSING** · approved; writing output');
    await expect(
      handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', reviewer: 'bob' }] }),
    ).rejects.toThrow(WorkflowUpdateFailedError);
    expect(outputStarted).toBe(true);
    release();
    expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
    const final = await handle.query(statusQuery);
    expect(final.reviewActions.map((a) => `${a.action}:${a.reviewer}`)).toEqual(['approve:rita']);
  });
});

test('raw signals over the limits are ignored and counted, the state stays bounded and quotes nothing sent', async () => {
  const stub = stubActivities({ fields: lowTotal });
  await withWorker(stub.activities, async (tq) => {
    const handle = await start(tq, documentInput(`flood-${randomUUID()}`));
    await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
    const raw = env().client.workflow.getHandle(handle.workflowId);
    const hugeName = 'Northwind-Traders'.repeat(36_000); // ~600 KB
    await raw.signal('correct', { reviewer: 'mallory', fields: { [hugeName]: 'x' } });
    await raw.signal('correct', { reviewer: 'mallory', fields: { total: 'v'.repeat(600_000) } });
    await raw.signal('approve', { reviewer: hugeName.slice(0, 5_000) });
    const flood = reviewLimits.ignoredMessagesKept + 10;
    for (let i = 0; i < flood; i++) await raw.signal('reject', { reviewer: 'mallory' });
    const state = await handle.query(statusQuery);
    expect(state.status).toBe(DocumentStatus.AWAITING_REVIEW);
    expect(state.reviewActions).toEqual([]);
    expect(state.ignoredCount).toBe(flood + 3);
    expect(state.ignoredMessages).toHaveLength(reviewLimits.ignoredMessagesKept);
    expect(state.ignoredMessages.at(-1)).toMatchObject({ name: 'reject', problem: 'reason is required' });
    const text = JSON.stringify(state);
    expect(text).not.toContain('Northwind');
    expect(text).not.toContain('vvvvvvvvvv');
    expect(text.length).toBeLessThan(10_000);

    await handle.signal(approveSignal, { reviewer: 'rita' });
    expect((await handle.result()).status).toBe(DocumentStatus.SUCCEEDED);
  });
});

test('the per-document correction budget refuses the update that would exceed it; the document stays reviewable', async () => {
  const stub = stubActivities({ fields: lowTotal });
  await withWorker(stub.activities, async (tq) => {
    const handle = await start(tq, documentInput(`budget-${randomUUID()}`));
    await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
    const value = 'v'.repeat(reviewLimits.valueLength);
    const fits = Math.floor(reviewLimits.correctionBytesPerDocument / (reviewLimits.valueLength + 2));
    for (let i = 0; i < fits; i++) {
      await handle.executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', reviewer: 'rita', fields: { total: value } }],
      });
    }
    const refused: unknown = await handle
      .executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', reviewer: 'rita', fields: { total: value } }],
      })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe(
      `a document's corrected values may total at most ${reviewLimits.correctionBytesPerDocument} bytes`,
    );
    expect((await handle.query(statusQuery)).status).toBe(DocumentStatus.AWAITING_REVIEW);
    await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', reviewer: 'rita' }] });
    const result = await handle.result();
    expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, corrections: fits });
    const output = stub.calls.writeDocumentOutput[0] as WriteOutputInput;
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(512 * 1024);
  });
});
