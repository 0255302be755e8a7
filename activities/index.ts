// The activities factory: the worker passes real AWS clients, tests pass clients pointed at the local
// stack or fakes.
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TextractClient } from '@aws-sdk/client-textract';
import { createEscalationActivities, type EscalationOptions } from './escalation';
import { createOutputActivities } from './output';
import { createReuseActivities } from './reuse';
import { createS3Activities } from './s3';
import { createTextractActivities } from './textract';

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
  /** Whether a document's workflow still runs (stale dedup claims). @default asks Temporal */
  documentRunning?: (documentId: string) => Promise<boolean>;
  /** Where overdue-review notices go (the worker's SNS topic and/or webhook). @default nowhere */
  escalation?: EscalationOptions;
}

/** Builds every activity of the document workflow. */
export function createActivities(options: ActivitiesOptions) {
  return {
    ...createS3Activities(options),
    ...createTextractActivities(options),
    ...createOutputActivities(options),
    ...createReuseActivities(options),
    ...createEscalationActivities(options.escalation),
  };
}

/** The activity functions, as the workflow sees them through `proxyActivities`. */
export type DocumentActivities = ReturnType<typeof createActivities>;
