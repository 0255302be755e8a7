/*
 * The two identities of a document's processing (issue 14):
 *
 * - extraction identity: the bytes (checksum) plus what Textract is asked for (API, feature types,
 *   queries, adapters). Two documents with the same extraction identity get the same Textract result,
 *   so the second one reuses the stored raw parts instead of paying for another job.
 * - output identity: the extraction identity plus what docket does with the result: the profile's
 *   routing (thresholds, fields, review settings), the KMS key and the output destination. Two
 *   documents with the same output identity produce the same output: the second is a DUPLICATE.
 *
 * Both are SHA-256 of a canonical JSON (sorted keys; lists sorted where Textract ignores their order),
 * so reordering a profile file's features or queries changes neither. Node only: the workflow never
 * computes them (the checksum activity does and hands them over).
 */
import { createHash } from 'node:crypto';
import { defaultOutputPrefix, TextractApi, type DocumentProfile, type ProfileTextract } from './profile';

/** Bumped when the canonical form changes, so old and new hashes can never collide. */
const identityVersion = 1;

/** What Textract is asked for, in canonical form (order-insensitive where Textract is). */
export function extractionRequest(textract: ProfileTextract): unknown {
  if (textract.api === TextractApi.TEXT_DETECTION) return { api: textract.api };
  const sortedUnique = (values: readonly string[] | undefined) => [...new Set(values ?? [])].sort();
  return {
    api: textract.api,
    features: sortedUnique(textract.features),
    // Answers are keyed by alias: the order of queries does not change what Textract returns.
    queries: (textract.queries ?? [])
      .map((q) => ({ text: q.text, alias: q.alias, pages: sortedUnique(q.pages ?? ['*']) }))
      .sort((a, b) => compare(`${a.alias}\n${a.text}`, `${b.alias}\n${b.text}`)),
    adapters: (textract.adapters ?? [])
      .map((a) => ({ adapterId: a.adapterId, version: a.version, pages: sortedUnique(a.pages ?? ['*']) }))
      .sort((a, b) => compare(`${a.adapterId}\n${a.version}`, `${b.adapterId}\n${b.version}`)),
  };
}

/** The checksum plus what Textract is asked for: equal identities mean an equal Textract result. */
export function extractionIdentity(checksum: string, textract: ProfileTextract): string {
  return digest({ v: identityVersion, checksum, textract: extractionRequest(textract) });
}

/** What docket does with an extraction: routing, review settings, key and destination. */
export function outputSettings(profile: DocumentProfile): unknown {
  const sorted = (values: readonly string[] | undefined) => [...new Set(values ?? [])].sort();
  return {
    defaultThreshold: profile.defaultThreshold,
    fieldThresholds: profile.fieldThresholds ?? {},
    requiredFields: sorted(profile.requiredFields),
    criticalFields: sorted(profile.criticalFields),
    sampleRate: profile.sampleRate ?? 0,
    reviewDeadline: profile.reviewDeadline ?? null,
    reviewSla: profile.reviewSla ?? null,
    claimIdle: profile.claimIdle ?? null,
    output: {
      bucket: profile.output.bucket,
      prefix: profile.output.prefix ?? defaultOutputPrefix,
      kmsKeyId: profile.output.kmsKeyId,
    },
  };
}

/** The extraction identity plus the output settings: equal identities mean an equal output (DUPLICATE). */
export function outputIdentity(extractionId: string, profile: DocumentProfile): string {
  return digest({ v: identityVersion, extraction: extractionId, output: outputSettings(profile) });
}

/** Both identities of a document processed with a profile. */
export function documentIdentities(
  checksum: string,
  profile: DocumentProfile,
): { extractionId: string; outputId: string } {
  const extractionId = extractionIdentity(checksum, profile.textract);
  return { extractionId, outputId: outputIdentity(extractionId, profile) };
}

/** JSON with sorted object keys (arrays keep their order: callers sort those that have none). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** `value` with object keys sorted and undefined members dropped, for JSON that ignores key order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
