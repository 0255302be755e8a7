/**
 * Named document profiles. Built-in ones cover the common cases; DOCKET_PROFILES_FILE adds or
 * replaces profiles from JSON. The workflow receives the resolved profile, so changing this
 * configuration never alters a running document.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { TextractApi, TextractFeature, type DocumentProfile } from '../lib/profile';
import { ConfigError } from '../lib/config';

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

const threshold = z.number().min(0).max(100);
const profileFileSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_.-]+$/, 'profile names are letters, digits, _ . -'),
  z.object({
    textract: z.discriminatedUnion('api', [
      z.object({ api: z.literal(TextractApi.TEXT_DETECTION) }),
      z.object({
        api: z.literal(TextractApi.ANALYSIS),
        features: z.array(z.enum(Object.values(TextractFeature) as [TextractFeature])).min(1),
        queries: z
          .array(
            z.object({
              text: z.string().min(1),
              alias: z.string().min(1),
              pages: z.array(z.string()).optional(),
            }),
          )
          .optional(),
      }),
    ]),
    defaultThreshold: threshold,
    fieldThresholds: z.record(z.string(), threshold).optional(),
    requiredFields: z.array(z.string()).optional(),
    reviewDeadline: z.string().optional(),
    output: z
      .object({ bucket: z.string().min(3), prefix: z.string().optional(), kmsKeyId: z.string().min(1) })
      .optional(),
  }),
);

/** Built-in profiles plus those of `file` (which win by name). */
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
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`DOCKET_PROFILES_FILE=${file} is not valid:\n  ${problems.join('\n  ')}`);
  }
  for (const [name, p] of Object.entries(parsed.data)) {
    profiles[name] = {
      ...p,
      name,
      reviewDeadline: p.reviewDeadline as DocumentProfile['reviewDeadline'],
      output: p.output ?? { bucket: d.outputBucket, kmsKeyId: d.kmsKeyId },
    };
  }
  return profiles;
}
