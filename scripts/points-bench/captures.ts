/*
 * Where the points benchmark keeps a capture, and what one holds: written by capture.ts, read by
 * evaluate.ts. A capture is what restorePoints was given on one page, kept so the step can be scored
 * again in seconds after each change, without the minutes of OCR.
 */
import os from 'node:os';
import path from 'node:path';
import type { RecognisedLine } from '@docket/local/textract/blocks';
import type { QuarterTurns } from '@docket/local/textract/orientation';
import type { Degradation, PageSpec, TruthToken } from './pages';

export const defaultOut = path.join(os.tmpdir(), 'docket-points-bench');

export interface Capture {
  id: string;
  spec: PageSpec;
  degradation: Degradation;
  /** The page as generated, before degrading: truth boxes are fractions of it. */
  source: { width: number; height: number };
  /** The grey image restorePoints was given; its pixels are in the .grey file beside. */
  width: number;
  height: number;
  /** Quarter turns that brought the page upright for reading (truth boxes are on the page as drawn). */
  turns?: QuarterTurns;
  /** The lines restorePoints was given: OCR's reading, points lost or not. */
  lines: RecognisedLine[];
  truth: TruthToken[];
}

/** A capture's page image (as the recogniser got it), its grey pixels, and its JSON. */
export function captureFiles(dir: string, id: string, degradation: Degradation) {
  return {
    page: path.join(dir, 'pages', `${id}.${degradation === 'jpeg q25' ? 'jpg' : 'png'}`),
    grey: path.join(dir, 'cap', `${id}.grey`),
    json: path.join(dir, 'cap', `${id}.json`),
  };
}
