// The activities factory: the worker passes real AWS clients, tests pass clients pointed at the local
// stack or fakes.
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TextractClient } from '@aws-sdk/client-textract';
import type { PriceTable } from '../lib/pricing';
import { createEscalationActivities, type EscalationOptions } from './escalation';
import { createOutputActivities, type WriteOutputInput } from './output';
import { createQuotaActivities } from './quota';
import type { TextractRates } from './rate-governor';
import { createReuseActivities, type RecordInput } from './reuse';
import { type ClaimInput, createS3Activities } from './s3';
import { createTextractActivities, type CompletionChecks, type NotificationChannelOptions } from './textract';
import { createTextractStatusActivities } from './textract-status';

export interface ActivitiesOptions {
  s3: S3Client;
  textract: TextractClient;
  kms: KMSClient;
  /** Bucket for dedup claims, Textract's OutputConfig and the collected result parts. */
  resultsBucket: string;
  /** First wait between Textract status polls. @default 1000 */
  pollInitialIntervalMs?: number;
  /** Longest wait between Textract status polls. @default 30000 */
  pollMaxIntervalMs?: number;
  /** Start Textract jobs with this NotificationChannel (completion by notification). @default polling only */
  notificationChannel?: NotificationChannelOptions;
  /** Fallback checks of notified jobs. @default first after 2 minutes, then every 5 minutes */
  completionChecks?: CompletionChecks;
  /** Whether a document's workflow still runs (stale dedup claims). @default asks Temporal */
  documentRunning?: (documentId: string) => Promise<boolean>;
  /** Prices for costs in outputs and the profiles' cost caps. @default defaultPrices (lib/pricing.ts) */
  prices?: PriceTable;
  /** Where overdue-review notices go (the worker's SNS topic and/or webhook). @default nowhere */
  escalation?: EscalationOptions;
  /** Adaptive client-side Textract rates (rate-governor.ts). @default none */
  rates?: TextractRates;
  /** The account's cap on concurrent Textract jobs, held as leases; 0: no leases. @default 0 */
  maxConcurrentJobs?: number;
}

/** The document's last step: its output, then what later documents read (see writeOutputAndRecord). */
export interface OutputAndRecordInput {
  output: WriteOutputInput;
  /** Complete this dedup claim with the output's location (absent for a reprocess, which claims nothing). */
  claim?: ClaimInput;
  /** The route and stored extraction the document used (absent before extraction identities). */
  record?: RecordInput;
}

/** Builds every activity of the document workflow. */
export function createActivities(options: ActivitiesOptions) {
  const s3 = createS3Activities(options);
  const output = createOutputActivities(options);
  const reuse = createReuseActivities(options);
  return {
    ...s3,
    ...createTextractActivities(options),
    ...createTextractStatusActivities(options),
    ...output,
    ...reuse,
    ...createEscalationActivities(options.escalation),
    ...createQuotaActivities(options),

    /**
     * Writes the output, then completes the claim (later documents with the same bytes end as its
     * duplicates) and records the extraction: one activity instead of an activity and two local ones,
     * one action fewer. Every part is idempotent, so a retry after a late failure repeats them all.
     */
    writeOutputAndRecord: async (input: OutputAndRecordInput) => {
      const written = await output.writeDocumentOutput(input.output);
      const { cost: _cost, ...location } = written;
      if (input.claim) await s3.completeClaim({ ...input.claim, output: location });
      if (input.record) await reuse.recordExtraction(input.record);
      return written;
    },
  };
}

/** The activity functions, as the workflow sees them through `proxyActivities`. */
export type DocumentActivities = ReturnType<typeof createActivities>;
