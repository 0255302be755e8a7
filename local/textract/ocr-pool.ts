/**
 * A pool of OCR workers, one per core by default, fully offline. Native Tesseract 5 processes when a
 * binary is found (native-ocr.ts: faster at the same accuracy), otherwise tesseract.js workers whose
 * English model comes from the installed @tesseract.js-data/eng package; nothing is cached or fetched.
 */
import os from 'node:os';
import path from 'node:path';
import { createWorker, OEM, type Block as TesseractBlock, type Worker } from 'tesseract.js';
import type { RecognisedLine, RecognisedPage, RecognisedWord } from './blocks';
import { keepWord } from './native-ocr';
import { TesseractProcess } from './native-process';

export interface OcrPoolOptions {
  /** @default the number of cores */
  size?: number;
  /**
   * Tesseract page segmentation mode. '4' (one column of lines of varying size) scored best against
   * real Textract on the corpus forms, receipt and paystub once inverted-text retries were off, just
   * ahead of '6' (one uniform block) and '11' (sparse text); '3' (auto) matched it at twice the time.
   * @default '4'
   */
  psm?: string;
  /** Words below this confidence (0..100) are dropped as noise from rules, logos and photos. @default 20 */
  minConfidence?: number;
  /** Workers idle this long are terminated, giving their memory (hundreds of MB) back. @default 60000 */
  idleMs?: number;
  /** A native Tesseract 5 binary (see `findTesseract`); tesseract.js when absent. */
  tesseractBin?: string;
}

/** How one image is read. */
export interface RecogniseOptions {
  /** Page segmentation mode for this image (a cropped block: '6'). @default the pool's `psm` */
  psm?: string;
}

/** The image to recognise, with its pixel size so boxes can become page fractions. */
export interface OcrImage {
  data: Buffer;
  width: number;
  height: number;
}

const langPath = path.join(
  path.dirname(require.resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
);

/** Runs recognitions on at most `size` workers at once; workers start on first use. */
export class OcrPool {
  private readonly size: number;
  private readonly psm: string;
  private readonly minConfidence: number;
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private readonly all: Promise<Worker>[] = [];
  private closed = false;
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly tesseractBin: string | undefined;
  private nativeRunning = 0;
  private readonly nativeWaiting: (() => void)[] = [];
  /**
   * Native processes between pages, the model loaded, with the segmentation mode each runs; retired
   * with the workers when idle. At most `size` of each mode are kept.
   */
  private readonly nativeIdle: { proc: TesseractProcess; psm: string }[] = [];
  private nativeTimer: NodeJS.Timeout | undefined;

  constructor(options: OcrPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? os.availableParallelism());
    this.psm = options.psm ?? '4';
    this.idleMs = options.idleMs ?? 60_000;
    this.minConfidence = options.minConfidence ?? 20;
    this.tesseractBin = options.tesseractBin;
  }

  /** Which engine reads the pages. */
  get engine(): 'native' | 'tesseract.js' {
    return this.tesseractBin ? 'native' : 'tesseract.js';
  }

  /** Recognises one page image into lines of words with boxes as page fractions. */
  async recognise(image: OcrImage, options: RecogniseOptions = {}): Promise<RecognisedPage> {
    const psm = options.psm ?? this.psm;
    if (this.tesseractBin) return this.recogniseNative(this.tesseractBin, image, psm);
    const worker = await this.acquire();
    try {
      if (psm !== this.psm) await worker.setParameters({ tessedit_pageseg_mode: psm as never });
      const { data } = await worker.recognize(image.data, {}, { blocks: true, text: false });
      return { lines: this.toLines(data.blocks ?? [], image) };
    } finally {
      if (psm !== this.psm) await worker.setParameters({ tessedit_pageseg_mode: this.psm as never });
      this.release(worker);
    }
  }

  /** At most `size` native processes at once; the rest wait their turn. */
  private async recogniseNative(bin: string, image: OcrImage, psm: string): Promise<RecognisedPage> {
    if (this.closed) throw new Error('the OCR pool is shut down');
    // A finishing page hands its slot straight to the next waiting one.
    if (this.nativeRunning < this.size) this.nativeRunning++;
    else await new Promise<void>((r) => this.nativeWaiting.push(r));
    clearTimeout(this.nativeTimer);
    let proc: TesseractProcess | undefined;
    for (let i = this.nativeIdle.length - 1; i >= 0 && !proc; i--) {
      const idle = this.nativeIdle[i]!;
      if (idle.psm !== psm || !idle.proc.alive) continue;
      this.nativeIdle.splice(i, 1);
      proc = idle.proc;
    }
    proc ??= new TesseractProcess(bin, { psm, minConfidence: this.minConfidence });
    try {
      return { lines: await proc.recognise(image) };
    } finally {
      if (proc.alive && !this.closed) {
        this.nativeIdle.push({ proc, psm });
        // The longest idle of its mode goes when more are idle than could run at once.
        const same = this.nativeIdle.filter((idle) => idle.psm === psm);
        if (same.length > this.size) {
          this.nativeIdle.splice(this.nativeIdle.indexOf(same[0]!), 1);
          void same[0]!.proc.close();
        }
      } else void proc.close();
      const next = this.nativeWaiting.shift();
      if (next) next();
      else this.nativeRunning--;
      if (this.nativeRunning === 0 && this.nativeIdle.length > 0) {
        clearTimeout(this.nativeTimer);
        this.nativeTimer = setTimeout(() => this.retireNative(), this.idleMs).unref();
      }
    }
  }

  /** Ends the idle native processes, giving their memory back; the next page starts new ones. */
  private retireNative(): void {
    if (this.nativeRunning > 0) return;
    for (const { proc } of this.nativeIdle.splice(0)) void proc.close();
  }

  /** Terminates every worker; recognitions still queued never start. */
  async terminate(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.nativeTimer);
    await Promise.all(this.nativeIdle.splice(0).map(({ proc }) => proc.close()));
    const workers = await Promise.allSettled(this.all);
    for (const w of workers) if (w.status === 'fulfilled') await w.value.terminate();
  }

  private async acquire(): Promise<Worker> {
    if (this.closed) throw new Error('the OCR pool is shut down');
    clearTimeout(this.idleTimer);
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.all.length < this.size) {
      const starting = this.startWorker();
      this.all.push(starting);
      return starting;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) return next(worker);
    this.idle.push(worker);
    if (this.idle.length === this.all.length) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => void this.retire(), this.idleMs).unref();
    }
  }

  /** Terminates every worker while all are idle; the next recognition starts new ones. */
  private async retire(): Promise<void> {
    if (this.idle.length !== this.all.length || this.waiting.length > 0) return;
    const workers = this.idle.splice(0);
    this.all.length = 0;
    for (const worker of workers) await worker.terminate();
  }

  private async startWorker(): Promise<Worker> {
    const worker = await createWorker('eng', OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
    await worker.setParameters({
      tessedit_pageseg_mode: this.psm as never,
      // Textract reports words as printed; keep tesseract from inventing spacing inside numbers.
      preserve_interword_spaces: '0',
      // Tesseract 5 re-reads every low-confidence word as white-on-black text. On the corpus that
      // cost ~10% of OCR time and produced extra garbage words from shaded boxes and cheque patterns.
      tessedit_do_invert: '0',
      // Rows as proportional print, as native-ocr.ts reads them (no fixed-pitch detection).
      textord_all_prop: '1',
    });
    return worker;
  }

  private toLines(blocks: TesseractBlock[], image: OcrImage): RecognisedLine[] {
    const lines: RecognisedLine[] = [];
    for (const block of blocks) {
      for (const paragraph of block.paragraphs) {
        for (const line of paragraph.lines) {
          const words: RecognisedWord[] = [];
          for (const word of line.words) {
            const text = word.text.trim();
            if (!keepWord(text, word.confidence, this.minConfidence)) continue;
            words.push({
              text,
              confidence: word.confidence,
              box: {
                left: word.bbox.x0 / image.width,
                top: word.bbox.y0 / image.height,
                width: (word.bbox.x1 - word.bbox.x0) / image.width,
                height: (word.bbox.y1 - word.bbox.y0) / image.height,
              },
            });
          }
          if (words.length > 0) lines.push({ words });
        }
      }
    }
    return lines;
  }
}
