// Audit sampling and the review summary on the time-skipping server, with stub activities: a clean
// document picked by its checksum goes to review, an unsampled one gives the commands of a rate-0 one,
// and the summary names corrected fields without their values.
import { randomUUID } from 'node:crypto';
import { approveSignal, correctSignal, DocumentStatus, reviewUpdate } from '../../lib/contract';
import type { DocumentProfile } from '../../lib/profile';
import { documentInput, field, invoiceProfile, stubActivities } from '../support/document-fixtures';
import { workflowTestEnv } from '../support/workflow-env';

jest.setTimeout(90_000);

const { withWorker, start, waitForStatus } = workflowTestEnv();

const lowTotal = [field('invoice_number', 'INV-1', 99), field('total', '12.00', 60)];
const alice = { reviewer: 'Alice', reviewerId: 'sub-alice' };
const profile = (extra: Partial<DocumentProfile>): DocumentProfile => ({ ...invoiceProfile, ...extra });

describe('audit sampling and the review summary', () => {
  const sampledChecksum = `00000001${'a'.repeat(56)}`; // fraction ≈ 0: below any rate > 0
  const unsampledChecksum = `f0000000${'a'.repeat(56)}`; // fraction 0.94

  test('a clean document whose checksum falls under sampleRate goes to review as a sample', async () => {
    const stub = stubActivities({ checksum: sampledChecksum });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`sampled-${randomUUID()}`, profile({ sampleRate: 0.1 })));
      const state = await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      expect(state.sampled).toBe(true);
      expect(state.review).toEqual([{ field: '(audit sample)', reason: 'SAMPLED', threshold: 80 }]);
      // The reviewer finds an error the thresholds let through, in a named field and an unnamed one.
      await handle.executeUpdate(reviewUpdate, {
        args: [{ action: 'correct', ...alice, fields: { total: '12.10' } }],
      });
      await handle.executeUpdate(reviewUpdate, { args: [{ action: 'approve', ...alice }] });
      const result = await handle.result();
      expect(result).toMatchObject({ status: DocumentStatus.SUCCEEDED, fieldsReviewed: 1, corrections: 1 });
      expect(result.review).toEqual({
        profile: 'invoice',
        sampled: true,
        correctedFields: ['total'],
        reviewers: 1,
      });
    });
  });

  test('an unsampled clean document gives the exact commands of a rate-0 one', async () => {
    // The commands a document's run gave, in order: its events less workflow tasks and received signals,
    // whose interleaving depends on timing alone.
    const timing = new Set(['5', '6', '7', '26'].map(Number));
    const commands = async (tq: string, p: DocumentProfile) => {
      const handle = await start(tq, documentInput(`clean-${randomUUID()}`, p));
      // By query, not result(): awaiting a result lets the test server skip time, and a skip past its
      // default run timeout (10 years) ends the idle quota workflow, which changes the next history.
      const state = await waitForStatus(handle, DocumentStatus.SUCCEEDED);
      expect(state.sampled).toBeFalsy();
      expect(state.review).toEqual([]);
      const events = (await handle.fetchHistory()).events ?? [];
      return {
        all: events.length,
        commands: events.map((e) => Number(e.eventType)).filter((t) => !timing.has(t)),
      };
    };
    const stub = stubActivities({ checksum: unsampledChecksum });
    await withWorker(stub.activities, async (tq) => {
      // The queue's first document starts its quota workflow (more commands): compared are two after it.
      const first = await commands(tq, invoiceProfile);
      stub.claims.clear();
      const atZero = await commands(tq, invoiceProfile);
      stub.claims.clear();
      const atTenth = await commands(tq, profile({ sampleRate: 0.1 }));
      expect(atTenth.commands).toEqual(atZero.commands);
      // Without the local activity that starts the quota workflow (its signal now arrives). The history
      // budget is document-workflow.test.ts's.
      expect(atZero.commands.length).toBe(first.commands.length - 1);
    });
  });

  test('corrected fields the profile does not name are summarised as other', async () => {
    const fields = [...lowTotal, field('Vendor', 'Northwind', 99)];
    const stub = stubActivities({ fields });
    await withWorker(stub.activities, async (tq) => {
      const handle = await start(tq, documentInput(`summary-${randomUUID()}`));
      await waitForStatus(handle, DocumentStatus.AWAITING_REVIEW);
      await handle.signal(correctSignal, { ...alice, fields: { Vendor: 'Southwind', total: '12.00' } });
      await handle.signal(approveSignal, alice);
      const result = await handle.result();
      expect(result.review).toEqual({
        profile: 'invoice',
        sampled: false,
        correctedFields: ['other', 'total'],
        reviewers: 1,
      });
      expect(JSON.stringify(result)).not.toContain('Vendor');
    });
  });
});
