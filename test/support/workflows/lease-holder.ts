// A stand-in for the document workflow's use of the Textract lease: take a lease, hold it until told
// to finish, then release it (or not: `leak`, as a run ended without its finally block would).
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { leaseGrantedSignal } from '../../../lib/quota';
import { TextractLease } from '../../../workflows/textract-lease';

export { textractQuotaWorkflow } from '../../../workflows/textract-quota';

export const finishSignal = defineSignal<[{ leak?: boolean }]>('finish');
export const holdingQuery = defineQuery<boolean>('holding');

export async function leaseHolderWorkflow(): Promise<void> {
  const lease = new TextractLease();
  let holding = false;
  let finish: { leak?: boolean } | undefined;
  setHandler(leaseGrantedSignal, (grant) => lease.onGrant(grant));
  setHandler(finishSignal, (f) => void (finish = f));
  setHandler(holdingQuery, () => holding);
  try {
    await lease.acquire();
    holding = true;
    await condition(() => finish !== undefined);
  } finally {
    holding = false;
    if (!finish?.leak) await lease.release();
  }
}
