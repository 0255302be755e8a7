/**
 * Recorded responses: real Textract output served instead of OCR when one exists for a document,
 * so tables, signatures and layout from real responses reach the pipeline. Looked up by the object's
 * file name in a fixture folder (`form.png.analysis.json`, `form.png.text-detection.json`, `form.json`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Block } from '@aws-sdk/client-textract';

/** A real response reduced to what the service pages through. */
export interface RecordedResponse {
  pages: number;
  blocks: Block[];
}

const textBlockTypes = new Set(['PAGE', 'LINE', 'WORD']);

/** Parses a recorded Textract response (Get*, Analyze*, Detect* shaped); undefined when it is not one. */
export function parseRecorded(json: unknown): RecordedResponse | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { Blocks, DocumentMetadata } = json as { Blocks?: unknown; DocumentMetadata?: { Pages?: unknown } };
  if (!Array.isArray(Blocks)) return undefined;
  const blocks = Blocks as Block[];
  const pages =
    typeof DocumentMetadata?.Pages === 'number'
      ? DocumentMetadata.Pages
      : Math.max(1, ...blocks.map((b) => b.Page ?? 1));
  return { pages, blocks };
}

/** Keeps only PAGE, LINE and WORD blocks (what text detection returns), pruning dangling relationships. */
export function textDetectionView(recorded: RecordedResponse): RecordedResponse {
  const kept = recorded.blocks.filter((b) => textBlockTypes.has(b.BlockType ?? ''));
  const ids = new Set(kept.map((b) => b.Id));
  const blocks = kept.map((b) => {
    if (!b.Relationships) return b;
    const relationships = b.Relationships.map((r) => ({
      ...r,
      Ids: (r.Ids ?? []).filter((id) => ids.has(id)),
    })).filter((r) => r.Ids.length > 0);
    const { Relationships: _dropped, ...rest } = b;
    return relationships.length > 0 ? { ...rest, Relationships: relationships } : rest;
  });
  return { pages: recorded.pages, blocks };
}

/** Ensures every block carries `Page`, as async results do even when the recording was synchronous. */
export function withPages(recorded: RecordedResponse): RecordedResponse {
  if (recorded.blocks.every((b) => b.Page !== undefined)) return recorded;
  return {
    pages: recorded.pages,
    blocks: recorded.blocks.map((b) => (b.Page === undefined ? { ...b, Page: 1 } : b)),
  };
}

/** Reads recorded responses from a folder, caching what it parsed. */
export class FixtureLibrary {
  private readonly cache = new Map<string, RecordedResponse | undefined>();

  constructor(readonly dir: string | undefined) {
    // A mistyped folder would silently turn every recorded response into OCR.
    if (dir !== undefined && !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`recorded responses folder ${dir} does not exist or is not a folder`);
    }
  }

  /** The recorded response for an object key, shaped for the API asked (analysis or text detection). */
  find(objectKey: string, analysis: boolean): RecordedResponse | undefined {
    if (!this.dir) return undefined;
    const base = path.posix.basename(objectKey);
    const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
    if (!analysis) {
      const own = this.load(`${base}.text-detection.json`);
      if (own) return own;
    }
    for (const name of [`${base}.analysis.json`, `${base}.json`, `${stem}.json`]) {
      const found = this.load(name);
      if (found) return analysis ? found : textDetectionView(found);
    }
    return undefined;
  }

  private load(name: string): RecordedResponse | undefined {
    if (!this.dir || name.startsWith('.')) return undefined;
    if (this.cache.has(name)) return this.cache.get(name);
    const file = path.join(this.dir, name);
    let recorded: RecordedResponse | undefined;
    try {
      recorded = parseRecorded(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      recorded = undefined;
    }
    this.cache.set(name, recorded);
    return recorded;
  }
}
