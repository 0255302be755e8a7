/**
 * Renders page images in one worker thread, started when first needed: the desk's API process asks
 * for a page, the worker draws it (render.ts) and hands back the PNG bytes. One thread bounds the CPU
 * and memory page rendering can take from the API; requests queue behind each other.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PageRenderError, type RenderedPage, type RenderRequest } from './render';
import type { WorkerAnswer, WorkerRequest } from './render-worker';

export interface PageRendererOptions {
  /**
   * How long one page may take, queueing included. Past it the request fails (`timedOut`) and the
   * worker thread is replaced: a document that makes the PDF library loop must not stop page images
   * for every reviewer. @default 30 s
   */
  timeoutMs?: number;
}

export class PageRenderer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly pending = new Map<
    number,
    { resolve: (page: RenderedPage) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor(options: PageRendererOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Renders one page; rejects with {@link PageRenderError} for a page that cannot be drawn. */
  render(request: RenderRequest): Promise<RenderedPage> {
    const worker = this.started();
    const id = this.nextId++;
    // Kept alive while a page is on its way; an idle renderer does not hold the process open.
    worker.ref();
    return new Promise<RenderedPage>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        reject(new PageRenderError(`the page took longer than ${this.timeoutMs} ms to render`, 'timedOut'));
        // The thread may be stuck in this page: replace it (pages queued behind it fail with it).
        void this.close();
      }, this.timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      // A copy moved to the worker: the caller's buffer stays usable.
      const bytes = new Uint8Array(request.bytes);
      const message: WorkerRequest = { id, request: { ...request, bytes } };
      worker.postMessage(message, [bytes.buffer]);
    });
  }

  /** Starts the worker thread now (it loads the PDF library), so the first page does not wait for it. */
  start(): void {
    this.started();
    // Nothing pending: the idle thread must not keep the process alive.
    this.worker?.unref();
  }

  /** Stops the worker; pages asked for afterwards start a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn();
    worker.on('message', (answer: WorkerAnswer) => {
      const waiting = this.pending.get(answer.id);
      if (!waiting) return;
      this.pending.delete(answer.id);
      clearTimeout(waiting.timer);
      if (this.pending.size === 0) worker.unref();
      if (answer.ok) {
        const { png, width, height, pages } = answer;
        waiting.resolve({ png, width, height, pages });
      } else {
        waiting.reject(
          answer.reason ? new PageRenderError(answer.message, answer.reason) : new Error(answer.message),
        );
      }
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        clearTimeout(waiting.timer);
        waiting.reject(new PageRenderError(`the page renderer stopped: ${err.message}`, 'timedOut'));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the page renderer stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }
}

/**
 * The worker from the compiled JavaScript; from TypeScript sources (jest, tsx scripts) through tsx's
 * CommonJS hook, which development installs have.
 */
function spawn(): Worker {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `render-worker${ext}`);
  if (ext === '.js') return new Worker(entry);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true });
}
