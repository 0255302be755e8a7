/*
 * Records what restorePoints (local/textract/number-points.ts) is given while the points benchmark's
 * pages are recognised, and hands the lines on unchanged, so a capture holds OCR's own reading.
 *
 * recognise.ts calls restorePoints in the middle of reading an image and exports nothing below
 * recogniseDocument, so there is no seam to record at without changing the product. Instead, loading
 * this module puts a stand-in for number-points.ts into Node's module cache, and recognise.ts, loaded
 * after it, imports the stand-in: capture.ts must import this module before anything that loads
 * recognise.ts. Nothing else in the capture process imports number-points.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Module from 'node:module';
import type { RecognisedLine } from '@docket/local/textract/blocks';
import type { GreyImage } from '@docket/local/textract/grey-image';
import type * as numberPoints from '@docket/local/textract/number-points';

export interface Recorded {
  image: GreyImage;
  lines: RecognisedLine[];
}

/** Pages are read concurrently: each reading's record goes to the store its own call set up. */
const current = new AsyncLocalStorage<{ recorded?: Recorded }>();

const standIn: Pick<typeof numberPoints, 'restorePoints'> = {
  restorePoints(image, lines) {
    const store = current.getStore();
    if (store) store.recorded = { image: structuredClone(image), lines: structuredClone([...lines]) };
    return [...lines];
  },
};

const target = require.resolve('@docket/local/textract/number-points');
const stub = new Module(target);
stub.filename = target;
stub.loaded = true;
stub.exports = standIn;
require.cache[target] = stub;

/** Runs `read` and returns its result with what restorePoints was given during it. */
export async function recording<T>(read: () => Promise<T>): Promise<{ result: T; recorded?: Recorded }> {
  const store: { recorded?: Recorded } = {};
  const result = await current.run(store, read);
  return { result, ...(store.recorded ? { recorded: store.recorded } : {}) };
}
