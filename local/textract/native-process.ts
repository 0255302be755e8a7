/**
 * One long-lived native `tesseract` process reading page after page. Tesseract streams a list of
 * image files from its stdin (`stream_filelist`) and writes each page's TSV to stdout as soon as the
 * page is read, so the English model is loaded once per process instead of once per page (about
 * 0.15-0.2 CPU s saved on every page; local/textract/README.md, "Measured limits").
 *
 * Pages are handed over as PGM files in a private temporary folder. After each page a 1x1 blank page
 * is listed too: a page's TSV ends where the next page's first (level 1) row begins, and the blank
 * page's row closes the real page at once instead of when the next document arrives.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecognisedLine } from './blocks';
import { parseTsv, tesseractArgs, type OcrSettings } from './native-ocr';

interface Pending {
  file: string;
  image: { width: number; height: number };
  rows: string[];
  resolve: (lines: RecognisedLine[]) => void;
  reject: (err: Error) => void;
}

export class TesseractProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly dir: string;
  private readonly blank: string;
  private current: Pending | undefined;
  /** Level 1 rows seen: even ones open a real page, odd ones the blank page after it. */
  private pagesSeen = 0;
  private partial = '';
  private readonly stderr: string[] = [];
  private exited = false;
  private sequence = 0;

  constructor(
    bin: string,
    private readonly settings: OcrSettings,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docket-ocr-'));
    this.blank = path.join(this.dir, 'blank.pgm');
    fs.writeFileSync(this.blank, Buffer.concat([Buffer.from('P5\n1 1\n255\n', 'ascii'), Buffer.from([255])]));
    // One thread per process: the pool runs a process per core, and OpenMP threads would only contend.
    this.child = spawn(bin, [...tesseractArgs(settings), '-c', 'stream_filelist=1'], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onOutput(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderr.push(chunk);
      if (this.stderr.length > 20) this.stderr.shift();
    });
    // A process that dies closes stdin; its exit says why, not the EPIPE.
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (err) => this.fail(err));
    this.child.on('close', (code) => this.fail(new Error(`tesseract exited with ${code}: ${this.reason()}`)));
    this.hold(false);
  }

  /** An idle process does not keep Node running; one reading a page does. */
  private hold(busy: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr]) {
      const h = handle as unknown as { ref?: () => void; unref?: () => void };
      if (busy) h.ref?.();
      else h.unref?.();
    }
  }

  /** Whether the process can take another page. */
  get alive(): boolean {
    return !this.exited;
  }

  /** Reads one page (PGM bytes); one page at a time per process. */
  recognise(image: { data: Buffer; width: number; height: number }): Promise<RecognisedLine[]> {
    if (this.exited) return Promise.reject(new Error(`tesseract exited: ${this.reason()}`));
    if (this.current) return Promise.reject(new Error('a tesseract process reads one page at a time'));
    const file = path.join(this.dir, `page-${this.sequence++}.pgm`);
    fs.writeFileSync(file, image.data);
    return new Promise((resolve, reject) => {
      this.current = { file, image, rows: [], resolve, reject };
      this.hold(true);
      this.child.stdin.write(`${file}\n${this.blank}\n`);
    });
  }

  /** Ends the process once it has read what it was given; its files go with it. */
  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.hold(true);
    this.child.stdin.end();
    return closed;
  }

  private onOutput(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const row of lines) {
      if (row.startsWith('1\t')) {
        this.pagesSeen++;
        // The blank page's first row: the real page before it is complete.
        if (this.pagesSeen % 2 === 0) this.finishPage();
        continue;
      }
      if (this.pagesSeen % 2 === 1 && this.current) this.current.rows.push(row);
    }
  }

  private finishPage(): void {
    const page = this.current;
    if (!page) return;
    this.current = undefined;
    this.hold(false);
    fs.rmSync(page.file, { force: true });
    page.resolve(parseTsv(page.rows.join('\n'), page.image, this.settings.minConfidence));
  }

  private fail(err: Error): void {
    if (this.exited) return;
    this.exited = true;
    const page = this.current;
    this.current = undefined;
    fs.rmSync(this.dir, { recursive: true, force: true });
    page?.reject(err);
  }

  private reason(): string {
    const lines = this.stderr.join('').trim().split('\n');
    return lines.filter((l) => !/^(Page \d+ :|Estimating resolution)/.test(l)).slice(-1)[0] ?? '';
  }
}
