/*
 * The renderer's worker thread (renderer.ts): renders one page per message. Drawing a page is CPU
 * work for tens to hundreds of milliseconds; here it does not hold up the API's other requests.
 */
import { parentPort } from 'node:worker_threads';
import { pdfjs } from './pdf';
import { PageRenderError, renderPage, type RenderRequest } from './render';

export interface WorkerRequest {
  id: number;
  request: RenderRequest;
}

export type WorkerAnswer =
  | { id: number; ok: true; png: Uint8Array; width: number; height: number; pages: number }
  | { id: number; ok: false; message: string; reason?: PageRenderError['reason'] };

const port = parentPort;
if (!port) throw new Error('render-worker runs as a worker thread of PageRenderer');
// Loading pdfjs takes over a second: done as the thread starts, not while a reviewer waits for page 1.
pdfjs().catch(() => undefined);
port.on('message', ({ id, request }: WorkerRequest) => {
  renderPage(request).then(
    // Copied, not transferred: the PNG is memory the canvas library owns.
    (page) => port.postMessage({ id, ok: true, ...page } satisfies WorkerAnswer),
    (err: unknown) => {
      const answer: WorkerAnswer =
        err instanceof PageRenderError
          ? { id, ok: false, message: err.message, reason: err.reason }
          : { id, ok: false, message: err instanceof Error ? err.name : 'render failed' };
      port.postMessage(answer);
    },
  );
});
