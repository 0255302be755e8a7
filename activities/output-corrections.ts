// Reviewers' corrections, applied to the output's pages as they stream past (activities/output-json.ts)
// and listed in the document's `corrections` once every page has been read.
import { ApplicationFailure } from '@temporalio/common';
import { FailureType, type ReviewCorrection } from '../lib/contract';
import type { OutputCorrection, OutputPage } from '../lib/document-model';
import type { NormalizedPart } from '../lib/extraction';

/** The normalized result's parts (`normalized/NNNNN.json`), read one at a time, in order. */
export interface PartSource {
  count: number;
  read(part: number): Promise<NormalizedPart>;
}

/** The names among `corrections` that may be query aliases: those without a field id. */
export function unresolvedNames(corrections: readonly ReviewCorrection[]): Set<string> {
  return new Set(corrections.filter((c) => c.fieldId === undefined).map((c) => c.name));
}

/**
 * The top answer's id of each alias in `aliases` that the document answers, from a pass over the
 * parts (one part held at a time). Only needed when a correction names a field without its id.
 */
export async function topAnswerIds(
  aliases: ReadonlySet<string>,
  parts: PartSource,
): Promise<Map<string, string>> {
  const best = new Map<string, { id: string; confidence: number }>();
  for (let part = 1; part <= parts.count && aliases.size > 0; part++) {
    for (const page of (await parts.read(part)).pages) {
      for (const answer of page.queries) {
        if (!aliases.has(answer.alias)) continue;
        const current = best.get(answer.alias);
        if (!current || answer.confidence > current.confidence) {
          best.set(answer.alias, { id: answer.id, confidence: answer.confidence });
        }
      }
    }
  }
  return new Map([...best].map(([alias, { id }]) => [alias, id]));
}

interface Entry {
  input: ReviewCorrection;
  /** The id it applies to; undefined for a missing field. */
  fieldId?: string;
  /** What Textract had, once the target has streamed past. */
  extractedText: string | null;
  applied: boolean;
}

/** The corrections of one document, applied page by page. */
export class CorrectionApplier {
  private readonly entries: Entry[] = [];
  private readonly byId = new Map<string, Entry>();

  /** @param topAnswers what {@link topAnswerIds} found for the names without id. */
  constructor(corrections: readonly ReviewCorrection[], topAnswers: ReadonlyMap<string, string>) {
    const byTarget = new Map<string, Entry>();
    for (const input of corrections) {
      const fieldId = input.fieldId ?? topAnswers.get(input.name);
      const target = fieldId === undefined ? `name:${input.name}` : `id:${fieldId}`;
      const entry: Entry = { input, fieldId, extractedText: null, applied: false };
      const earlier = byTarget.get(target);
      if (earlier) Object.assign(earlier, entry);
      else {
        byTarget.set(target, entry);
        this.entries.push(entry);
      }
    }
    for (const entry of this.entries) if (entry.fieldId !== undefined) this.byId.set(entry.fieldId, entry);
  }

  /** The page with its corrected fields and answers replaced (the page itself when none are). */
  apply(page: OutputPage): OutputPage {
    if (this.byId.size === 0) return page;
    let changed = false;
    const fields = page.fields.map((field) => {
      const entry = this.byId.get(field.id);
      if (!entry) return field;
      changed = true;
      const { text, reviewer, reviewerId, at } = this.taken(entry, field.value.text);
      return {
        ...field,
        value: { ...field.value, text },
        correction: {
          extractedText: field.value.text,
          reviewer,
          ...(reviewerId === undefined ? {} : { reviewerId }),
          at,
        },
      };
    });
    const queries = page.queries.map((answer) => {
      const entry = this.byId.get(answer.id);
      if (!entry) return answer;
      changed = true;
      return { ...answer, text: this.taken(entry, answer.text).text };
    });
    return changed ? { ...page, fields, queries } : page;
  }

  /**
   * The document's `corrections`, once every page has been through {@link apply}. A field id the
   * document does not have fails without retry: the workflow and the stored result disagree, and
   * writing the output without the correction would silently lose a reviewer's work.
   */
  list(): OutputCorrection[] {
    const unknown = this.entries.filter((e) => e.fieldId !== undefined && !e.applied);
    if (unknown.length > 0) {
      throw ApplicationFailure.create({
        type: FailureType.INVALID_INPUT,
        nonRetryable: true,
        message: `corrections name field ids the document does not have: ${unknown.map((e) => e.fieldId).join(', ')}`,
      });
    }
    return this.entries.map(({ input, fieldId, extractedText }) => ({
      ...(fieldId === undefined ? {} : { fieldId }),
      name: input.name,
      extractedText,
      text: input.text,
      reviewer: input.reviewer,
      ...(input.reviewerId === undefined ? {} : { reviewerId: input.reviewerId }),
      at: input.at,
    }));
  }

  private taken(entry: Entry, extractedText: string): ReviewCorrection {
    entry.applied = true;
    entry.extractedText = extractedText;
    return entry.input;
  }
}
