/**
 * Native Tesseract 5 (Debian's `tesseract-ocr`, unpacked into .tools/ by scripts/bootstrap-tools.sh or
 * installed on the system): single-threaded `tesseract` processes reading PGM pages into TSV
 * (native-process.ts keeps them running from page to page). Measured faster than tesseract.js's
 * WebAssembly build at the same accuracy (local/textract/README.md), so it is used whenever found.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RecognisedLine, RecognisedWord } from './blocks';

/** The settings both engines read a page with. */
export interface OcrSettings {
  psm: string;
  minConfidence: number;
}

/**
 * Whether a recognised word is kept. Words below `minConfidence` are dropped as noise from rules,
 * logos and photos; lone punctuation is mostly specks and rules, but Textract does report confident
 * dashes.
 */
export function keepWord(text: string, confidence: number, minConfidence: number): boolean {
  if (text === '' || confidence < minConfidence) return false;
  return /[\p{L}\p{N}$%&@#]/u.test(text) || (text === '-' && confidence >= 60);
}

/**
 * The native binary to use: `explicit` when given ('off' for none), else the one the tools bootstrap
 * unpacked (`<tools>/tesseract/tesseract`), else `tesseract` on the PATH; undefined when none runs.
 */
export function findTesseract(explicit?: string, toolsDir?: string): string | undefined {
  if (explicit === 'off') return undefined;
  if (explicit) {
    if (!runs(explicit)) throw new Error(`the tesseract binary '${explicit}' does not run`);
    return explicit;
  }
  const candidates = [
    ...(toolsDir ? [path.join(toolsDir, 'tesseract', 'tesseract')] : []),
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, 'tesseract')),
  ];
  return candidates.find((bin) => fs.existsSync(bin) && runs(bin));
}

/** Tesseract 5 answers --version; 4 and older lack the LSTM settings used here. */
function runs(bin: string): boolean {
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 && /tesseract 5\./.test(`${result.stdout}${result.stderr}`);
}

/** The command line every native reading uses: LSTM only, TSV on stdout. */
export function tesseractArgs(settings: OcrSettings): string[] {
  return [
    'stdin',
    'stdout',
    '--oem',
    '1',
    '--psm',
    settings.psm,
    '-c',
    'preserve_interword_spaces=0',
    '-c',
    'tessedit_do_invert=0',
    // Every row taken as proportional print: fixed-pitch detection only splits rows for the legacy
    // engine's character cells. The LSTM reads the row whole, so of the 466 images the service sent
    // in a fidelity run only 8 words moved (all read under 50 confidence, their text the same), for
    // 2% fewer instructions on a page.
    '-c',
    'textord_all_prop=1',
    // The TSV renderer by setting, not by the 'tsv' config file, which a bare tessdata folder lacks.
    '-c',
    'tessedit_create_tsv=1',
  ];
}

/** Tesseract's TSV (one row per word, keyed by block, paragraph and line) as lines of kept words. */
export function parseTsv(
  tsv: string,
  image: { width: number; height: number },
  minConfidence: number,
): RecognisedLine[] {
  const lines = new Map<string, RecognisedWord[]>();
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols[0] !== '5' || cols.length < 12) continue;
    const [, , block, paragraph, line, , left, top, width, height, conf] = cols.map(Number);
    const text = cols.slice(11).join('\t').trim();
    const confidence = conf ?? -1;
    if (!keepWord(text, confidence, minConfidence)) continue;
    const key = `${block}.${paragraph}.${line}`;
    const words = lines.get(key) ?? [];
    words.push({
      text,
      confidence,
      box: {
        left: (left ?? 0) / image.width,
        top: (top ?? 0) / image.height,
        width: (width ?? 0) / image.width,
        height: (height ?? 0) / image.height,
      },
    });
    lines.set(key, words);
  }
  return [...lines.values()].map((words) => ({ words }));
}
