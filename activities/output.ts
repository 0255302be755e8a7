// The final document: assembled from the normalized result and the review, encrypted with the
// Encryption SDK, written with SSE-KMS at a deterministic key (lib/output-document.ts reads it back).
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { KMSClient } from '@aws-sdk/client-kms';
import { log } from '@temporalio/activity';
import type { ReviewItem } from '../lib/confidence-routing';
import type { DocumentSource, DuplicateOf, ReviewAuditEntry, S3Location } from '../lib/contract';
import type { OutputPage, OutputTable } from '../lib/document-model';
import { partKey, type NormalizedPart, type NormalizedTable, type TextractWarning } from '../lib/extraction';
import {
  outputLocation,
  type OutputDocument,
  type OutputEncryptionContext,
  type OutputField,
} from '../lib/output-document';
import type { ProfileOutput } from '../lib/profile';
import { KmsEnvelope } from '../lib/aws/kms';
import { classified } from '../lib/aws/errors';
import { getJson } from '../lib/aws/s3';

interface OutputCommon {
  documentId: string;
  checksum: string;
  source: DocumentSource;
  output: ProfileOutput;
  /** Workflow time, so a rewrite produces the same document. */
  completedAt: string;
}

export type WriteOutputInput =
  | (OutputCommon & {
      kind: 'EXTRACTED';
      textract: { jobId: string; status: string; pages: number; warnings: TextractWarning[] };
      results: { bucket: string; prefix: string; partsWritten: number };
      corrections: Record<string, string>;
      review: { items: ReviewItem[]; audit: ReviewAuditEntry[] };
    })
  | (OutputCommon & { kind: 'DUPLICATE'; duplicateOf: DuplicateOf });

export interface OutputActivitiesOptions {
  s3: S3Client;
  kms: KMSClient;
}

export function createOutputActivities({ s3, kms }: OutputActivitiesOptions) {
  const envelope = new KmsEnvelope({ kms });
  return {
    /** Assembles, encrypts and writes the output document; returns its location. */
    writeDocumentOutput: async (input: WriteOutputInput): Promise<S3Location> => {
      const document = input.kind === 'EXTRACTED' ? await assemble(s3, input) : duplicateDocument(input);
      const location = outputLocation(input.output, input.documentId);
      const context: OutputEncryptionContext = { documentId: input.documentId, checksum: input.checksum };
      const body = await envelope.encryptJson(input.output.kmsKeyId, context, document);
      await classified(`writing s3://${location.bucket}/${location.key}`, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: location.bucket,
            Key: location.key,
            Body: body,
            ContentType: 'application/octet-stream',
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: input.output.kmsKeyId,
          }),
        ),
      );
      log.info('output written', { kind: input.kind, bytes: body.length });
      return location;
    },
  };
}

// Reads the schema 2 normalized parts but still writes the schema 1 document (best value per name,
// tables as rows of texts) until the streamed schema 2 writer replaces this.
async function assemble(
  s3: S3Client,
  input: Extract<WriteOutputInput, { kind: 'EXTRACTED' }>,
): Promise<OutputDocument> {
  const best = new Map<string, V1Field>();
  const tables: OutputDocument['tables'] = [];
  for (let part = 1; part <= input.results.partsWritten; part++) {
    const chunk = await getJson<NormalizedPart>(
      s3,
      input.results.bucket,
      partKey(input.results.prefix, 'normalized', part),
    );
    for (const page of chunk.pages) for (const field of v1Fields(page)) keepBest(best, field);
    for (const table of chunk.tables) tables.push(v1Table(table));
  }
  const fields: Record<string, OutputField> = {};
  for (const [name, { name: _n, ...field }] of best) fields[name] = { ...field, corrected: false };
  for (const [name, value] of Object.entries(input.corrections)) {
    const found = fields[name];
    fields[name] = found
      ? { ...found, value, corrected: true, extractedValue: found.value }
      : { value, confidence: 100, page: 0, source: 'FORM', corrected: true };
  }
  return {
    version: 1,
    documentId: input.documentId,
    status: 'SUCCEEDED',
    source: input.source,
    checksum: input.checksum,
    completedAt: input.completedAt,
    textract: input.textract,
    fields,
    tables,
    review: input.review,
  };
}

type V1Field = Omit<OutputField, 'corrected' | 'extractedValue'> & { name: string };

/** A page's named form fields (confidence: the lower of key and value) and query answers. */
function v1Fields(page: OutputPage): V1Field[] {
  const form = page.fields
    .filter((f) => f.name)
    .map((f): V1Field => ({
      name: f.name,
      value: f.value.text,
      confidence: Math.min(f.key.confidence, f.value.confidence),
      page: f.page,
      source: 'FORM',
    }));
  const answers = page.queries.map((a): V1Field => ({
    name: a.alias,
    value: a.text,
    confidence: a.confidence,
    page: a.page,
    source: 'QUERY',
  }));
  return [...form, ...answers];
}

/** Schema 1 keeps one value per name: the most confident. */
function keepBest(map: Map<string, V1Field>, field: V1Field): void {
  const current = map.get(field.name);
  if (!current || field.confidence > current.confidence) map.set(field.name, field);
}

/** A logical table as schema 1 rows: each row's cells (a merged cell once) by column. */
function v1Table(table: OutputTable): NormalizedTable & { page: number } {
  const rows: string[][] = Array.from({ length: table.rowCount }, () => []);
  const cells = [...table.cells].sort((a, b) => a.row - b.row || a.column - b.column);
  for (const cell of cells) rows[cell.row - 1]?.push(cell.text);
  return { page: table.parts[0]?.page ?? 0, confidence: table.confidence, rows };
}

function duplicateDocument(input: Extract<WriteOutputInput, { kind: 'DUPLICATE' }>): OutputDocument {
  return {
    version: 1,
    documentId: input.documentId,
    status: 'DUPLICATE',
    source: input.source,
    checksum: input.checksum,
    completedAt: input.completedAt,
    fields: {},
    tables: [],
    review: { items: [], audit: [] },
    duplicateOf: input.duplicateOf,
  };
}
