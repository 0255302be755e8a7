// Shared fixtures for document workflow tests: a profile, inputs and stub activities with an
// in-memory dedup claim store that behaves like the S3 one.
import { createQuotaActivities } from '../../activities/quota';
import { ApplicationFailure } from '@temporalio/common';
import type { DocumentActivities } from '../../activities';
import type { ClaimInput, ClaimResult } from '../../activities/s3';
import { FailureType, type DocumentWorkflowInput, type S3Location } from '../../lib/contract';
import type { ExtractedField, ExtractionSummary } from '../../lib/extraction';
import { TextractApi, TextractFeature, type DocumentProfile } from '../../lib/profile';

export const invoiceProfile: DocumentProfile = {
  name: 'invoice',
  textract: {
    api: TextractApi.ANALYSIS,
    features: [TextractFeature.FORMS, TextractFeature.QUERIES],
    queries: [{ text: 'What is the invoice number?', alias: 'invoice_number' }],
  },
  defaultThreshold: 80,
  fieldThresholds: { total: 90 },
  requiredFields: ['invoice_number'],
  reviewDeadline: '2 days',
  output: { bucket: 'docket-output', kmsKeyId: 'alias/docket' },
};

export function documentInput(
  documentId: string,
  profile: DocumentProfile = invoiceProfile,
): DocumentWorkflowInput {
  return { documentId, source: { bucket: 'docket-input', key: `in/${documentId}.pdf` }, profile };
}

/** A form field on page 1; its id is made from the name unless given (ids only need to be distinct). */
export function field(name: string, value: string, confidence: number, id = `p1-${name}`): ExtractedField {
  return { id, name, value, confidence, page: 1, source: 'FORM' };
}

export const confidentFields = [field('invoice_number', 'INV-1', 99), field('total', '12.00', 97)];

export function summaryOf(fields: ExtractedField[], jobId = 'job-1'): ExtractionSummary {
  return {
    jobId,
    pages: 1,
    partsWritten: 1,
    resultsBucket: 'docket-results',
    resultsPrefix: `documents/x/textract/${jobId}`,
    lineCount: 10,
    tableCount: 0,
    fieldCount: fields.length,
    minConfidence: Math.min(...fields.map((f) => f.confidence)),
    fields,
    fieldsOmitted: 0,
    omittedMinConfidence: null,
  };
}

type Calls = Record<keyof DocumentActivities, unknown[]>;

/** Stub activities recording their calls; override any of them per test. */
export function stubActivities(
  overrides: Partial<DocumentActivities> & { checksum?: string; fields?: ExtractedField[] } = {},
) {
  const { checksum = 'a'.repeat(64), fields = confidentFields, ...replaced } = overrides;
  const claims = new Map<string, { documentId: string; output?: S3Location }>();
  const calls = new Proxy({} as Calls, {
    get: (target, name: string) => (target[name as keyof Calls] ??= []),
  });
  const claim = ({ documentId, checksum: sum }: ClaimInput): ClaimResult => {
    const held = claims.get(sum);
    if (!held || held.documentId === documentId) {
      claims.set(sum, held ?? { documentId });
      return { outcome: 'CLAIMED' };
    }
    return held.output
      ? { outcome: 'COMPLETED', original: { documentId: held.documentId, output: held.output } }
      : { outcome: 'HELD', original: { documentId: held.documentId } };
  };
  const base: DocumentActivities = {
    // The real lease (it only talks to Temporal), so workflow tests run the quota workflow too.
    ...createQuotaActivities({ maxConcurrentJobs: 100 }),
    computeChecksum: async () => ({ checksum, size: 1234, contentType: 'application/pdf' }),
    claimDocument: async (input) => claim(input),
    checksumAndClaim: async ({ documentId, source }) => {
      const sum = await activities.computeChecksum({ source });
      return {
        ...sum,
        claim: claim({ documentId, checksum: sum.checksum }),
        governor: { maxConcurrentJobs: 100 },
      };
    },
    awaitOriginal: async (input) => {
      const result = claim(input);
      if (result.outcome === 'HELD')
        throw ApplicationFailure.retryable('still processing', FailureType.ORIGINAL_STILL_PROCESSING);
      return result;
    },
    releaseClaim: async ({ documentId, checksum: sum }) => {
      if (claims.get(sum)?.documentId === documentId) claims.delete(sum);
    },
    completeClaim: async ({ documentId, checksum: sum, output }) => {
      claims.set(sum, { documentId, output });
    },
    startTextractJob: async ({ documentId }) => ({ jobId: `job-${documentId}`, api: TextractApi.ANALYSIS }),
    waitForTextractJob: async () => ({ status: 'SUCCEEDED', pages: 1, warnings: [], polls: 3 }),
    checkTextractJob: async () => ({ status: 'SUCCEEDED', pages: 1, warnings: [], polls: 1 }),
    collectTextractResults: async ({ jobId }) => summaryOf(fields, jobId),
    collectFinishedTextractResults: async ({ jobId }) => ({
      ...summaryOf(fields, jobId),
      job: { status: 'SUCCEEDED', pages: 1, warnings: [] },
    }),
    rebuildExtraction: async ({ from }) => summaryOf(fields, from.textract.jobId),
    recordExtraction: async () => undefined,
    escalateReview: async () => ({ delivered: [] }),
    writeDocumentOutput: async (input) => {
      return { bucket: input.output.bucket, key: `documents/${input.documentId}/document.json.encrypted` };
    },
    // As the real one: the output, then the claim's completion and the record, through the fakes above
    // (a test's replacement of one of them applies here too).
    writeOutputAndRecord: async ({ output, claim: done, record }) => {
      const written = await activities.writeDocumentOutput(output);
      if (done) await activities.completeClaim({ ...done, output: written });
      if (record) await activities.recordExtraction(record);
      return written;
    },
  };
  const activities = Object.fromEntries(
    Object.entries({ ...base, ...replaced }).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        calls[name as keyof Calls].push(args[0]);
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as DocumentActivities;
  return { activities, calls, claims };
}
