/**
 * Named document profiles. Built-in ones cover the common cases; DOCKET_PROFILES_FILE adds or
 * replaces profiles from JSON. The workflow receives the resolved profile, so changing this
 * configuration never alters a running document.
 */
import fs from 'node:fs';
import type { Duration } from '@temporalio/common';
// Temporal's own Duration parser (the `ms` package): a duration passes here exactly when the SDK
// will accept it in the workflow, so a profile cannot fail only once a document reaches that step.
import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { ConfigError } from '../lib/config';
import { textractMaxPages } from '../lib/textract-limits';
import {
  defaultReviewDeadline,
  minHeartbeatTimeout,
  textractCollectTimeout,
  textractPollTimeout,
  TextractApi,
  TextractFeature,
  type DocumentProfile,
} from '../lib/profile';

export interface ProfileDefaults {
  outputBucket: string;
  kmsKeyId: string;
}

/** The profiles docket ships with; their output goes to the configured bucket and key. */
export function builtInProfiles(d: ProfileDefaults): Record<string, DocumentProfile> {
  const output = { bucket: d.outputBucket, kmsKeyId: d.kmsKeyId };
  return {
    text: { name: 'text', textract: { api: TextractApi.TEXT_DETECTION }, defaultThreshold: 0, output },
    forms: {
      name: 'forms',
      textract: { api: TextractApi.ANALYSIS, features: [TextractFeature.FORMS, TextractFeature.TABLES] },
      defaultThreshold: 80,
      output,
    },
    invoice: {
      name: 'invoice',
      textract: {
        api: TextractApi.ANALYSIS,
        features: [TextractFeature.FORMS, TextractFeature.TABLES, TextractFeature.QUERIES],
        queries: [
          { text: 'What is the invoice number?', alias: 'invoice_number' },
          { text: 'What is the total amount due?', alias: 'total' },
        ],
      },
      defaultThreshold: 80,
      requiredFields: ['invoice_number'],
      output,
    },
  };
}

/**
 * An object that refuses keys it does not know: zod would otherwise drop them silently, and a
 * misspelled `"defaultTreshold"` or an unsupported setting would quietly fall back to a default.
 */
function strictObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeys(issue.keys, known) : undefined),
  });
}

/** One line per unknown key (describeIssue gives each its own problem line). */
function unknownKeys(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const close = closestName(key, known);
      return `unknown key "${key}" (${close ? `did you mean "${close}"?` : `known keys: ${known.join(', ')}`})`;
    })
    .join('\n');
}

/** The known name a misspelling most likely meant: same letters ignoring case, or a few edits away. */
function closestName(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Milliseconds of a duration as the Temporal SDK reads it; undefined when it refuses the value. */
function durationMs(value: Duration): number | undefined {
  try {
    const ms = msToNumber(value);
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

const durationForms = '"15 seconds", "2 minutes", "7 days" or a positive number of milliseconds';

/**
 * A Duration as profiles hold it: a string Temporal's parser accepts or positive milliseconds, kept
 * as written (the workflow history then shows "15 seconds", not 15000), optionally bounded.
 */
function duration(
  bounds: { atLeast?: { value: Duration; why: string }; below?: { value: Duration; why: string } } = {},
) {
  return z
    .union([z.string(), z.number()], { error: `must be a duration: ${durationForms}` })
    .transform((value, ctx) => {
      const shown = typeof value === 'number' ? `${value} ms` : JSON.stringify(value);
      const ms = durationMs(value as Duration);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `${shown} is not a duration; use ${durationForms}` });
        return z.NEVER;
      }
      if (ms <= 0) {
        ctx.addIssue({ code: 'custom', message: `${shown} must be longer than zero` });
        return z.NEVER;
      }
      const { atLeast, below } = bounds;
      if (atLeast && ms < msToNumber(atLeast.value)) {
        ctx.addIssue({
          code: 'custom',
          message: `${shown} must be at least ${atLeast.value}: ${atLeast.why}`,
        });
        return z.NEVER;
      }
      if (below && ms >= msToNumber(below.value)) {
        ctx.addIssue({
          code: 'custom',
          message: `${shown} must be shorter than ${below.value}, ${below.why}`,
        });
        return z.NEVER;
      }
      return value as Duration;
    });
}

// The poll and the collection share the heartbeat timeout: the shorter start-to-close bounds it.
const heartbeatLimit =
  msToNumber(textractCollectTimeout) <= msToNumber(textractPollTimeout)
    ? { value: textractCollectTimeout, activity: 'the Textract result collection' }
    : { value: textractPollTimeout, activity: 'the Textract poll' };

const threshold = z.number().min(0).max(100);

/** One profile as a file defines it: every level strict, durations checked with Temporal's parser. */
const fileProfileSchema = strictObject({
  textract: z.discriminatedUnion('api', [
    strictObject({ api: z.literal(TextractApi.TEXT_DETECTION) }),
    strictObject({
      api: z.literal(TextractApi.ANALYSIS),
      features: z.array(z.enum(Object.values(TextractFeature) as [TextractFeature])).min(1),
      queries: z
        .array(
          strictObject({
            text: z.string().min(1),
            alias: z.string().min(1),
            pages: z.array(z.string()).optional(),
          }),
        )
        .optional(),
      adapters: z
        .array(
          strictObject({
            adapterId: z.string().min(1),
            version: z.string().min(1),
            pages: z.array(z.string()).optional(),
          }),
        )
        .optional(),
    }),
  ]),
  defaultThreshold: threshold,
  fieldThresholds: z.record(z.string(), threshold).optional(),
  requiredFields: z.array(z.string()).optional(),
  reviewDeadline: duration().optional(),
  reviewSla: duration().optional(),
  claimIdle: duration().optional(),
  criticalFields: z.array(z.string().min(1)).optional(),
  sampleRate: z.number().min(0).max(1).optional(),
  heartbeatTimeout: duration({
    atLeast: { value: minHeartbeatTimeout, why: 'a single S3 or Textract call can take longer' },
    below: {
      value: heartbeatLimit.value,
      why:
        `the start-to-close timeout of ${heartbeatLimit.activity} it also applies to: ` +
        'a heartbeat timeout that long never fires before the attempt itself times out',
    },
  }).optional(),
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(textractMaxPages, `must be at most ${textractMaxPages}: Textract's asynchronous page limit`)
    .optional(),
  maxCostPerDocument: z.number().positive().finite().optional(),
  output: strictObject({
    bucket: z.string().min(3),
    prefix: z.string().optional(),
    kmsKeyId: z.string().min(1),
  }).optional(),
}).superRefine((p, ctx) => {
  const deadline = p.reviewDeadline ?? defaultReviewDeadline;
  if (p.reviewSla !== undefined && msToNumber(p.reviewSla) >= msToNumber(deadline)) {
    ctx.addIssue({
      code: 'custom',
      path: ['reviewSla'],
      message: `must be shorter than reviewDeadline (${String(deadline)}): the SLA warns before the deadline fails the document`,
    });
  }
});

const profileFileSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_.-]+$/, 'profile names are letters, digits, _ . -'),
  fileProfileSchema,
  { error: 'must be one JSON object of profiles by name' },
);

/** `textract.queries[0].alias` for the path below a profile. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** The value at `path` in the parsed JSON, to tell a missing key from a wrong one. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The problems of one zod issue, each naming the profile and the key at fault. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  const [name, ...below] = issue.path;
  if (name === undefined) return [`the file ${issue.message}`];
  if (issue.code === 'invalid_key') {
    return [`profile name "${String(name)}": ${issue.issues[0]?.message ?? issue.message}`];
  }
  const profile = `profile "${String(name)}"`;
  if (issue.code === 'invalid_type' && below.length > 0 && valueAt(raw, issue.path) === undefined) {
    return [`${profile}: ${pathText(below)} is required`];
  }
  const where = below.length > 0 ? `${pathText(below)}: ` : '';
  // An object with several unknown keys is one issue whose message has a line per key.
  return issue.message.split('\n').map((message) => `${profile}: ${where}${message}`);
}

/**
 * Built-in profiles plus those of `file` (which win by name). Every key of a file profile is checked:
 * an unknown or misspelled key, or a duration Temporal would refuse, is a ConfigError naming the
 * profile and the key, never a setting silently dropped.
 */
export function loadProfiles(d: ProfileDefaults, file?: string): Record<string, DocumentProfile> {
  const profiles = builtInProfiles(d);
  if (!file) return profiles;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `DOCKET_PROFILES_FILE=${file} could not be read as JSON: ${(err as Error).message}`,
    );
  }
  const parsed = profileFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, raw));
    throw new ConfigError(
      `DOCKET_PROFILES_FILE=${file} is not valid:${problems.length === 1 ? ' ' : '\n  '}${problems.join('\n  ')}`,
    );
  }
  for (const [name, p] of Object.entries(parsed.data)) {
    profiles[name] = {
      ...p,
      name,
      output: p.output ?? { bucket: d.outputBucket, kmsKeyId: d.kmsKeyId },
    };
  }
  return profiles;
}
