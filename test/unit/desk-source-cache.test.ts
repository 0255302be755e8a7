/** The desk keeps the sources being reviewed in memory briefly: bounded in count, bytes and age. */
import { SourceCache } from '../../clients/desk/source';

let now = 0;
const cache = (maxEntries = 2, maxBytes = 100) =>
  new SourceCache({ maxEntries, maxBytes, ttlMs: 1000 }, () => now);
const loader = (size: number) => jest.fn(async () => new Uint8Array(size));

beforeEach(() => {
  now = 0;
});

test('a page after another reads the source once', async () => {
  const sources = cache();
  const load = loader(10);
  await sources.get('a', load);
  now = 999;
  await sources.get('a', load);
  expect(load).toHaveBeenCalledTimes(1);
});

test('after its time a source is read again', async () => {
  const sources = cache();
  const load = loader(10);
  await sources.get('a', load);
  now = 1000;
  await sources.get('a', load);
  expect(load).toHaveBeenCalledTimes(2);
});

test('the oldest source goes first when there are too many, or too many bytes', async () => {
  const sources = cache(2, 100);
  const [a, b, c] = [loader(10), loader(10), loader(10)];
  await sources.get('a', a);
  await sources.get('b', b);
  await sources.get('c', c);
  await sources.get('b', b);
  await sources.get('a', a);
  expect([a.mock.calls.length, b.mock.calls.length]).toEqual([2, 1]);

  const big = cache(4, 100);
  const [x, y] = [loader(60), loader(60)];
  await big.get('x', x);
  await big.get('y', y);
  await big.get('x', x);
  expect(x).toHaveBeenCalledTimes(2);
});

test('a failed read is not kept: the next request tries again', async () => {
  const sources = cache();
  const failing = jest.fn(async (): Promise<Uint8Array> => {
    throw new Error('denied');
  });
  await expect(sources.get('a', failing)).rejects.toThrow('denied');
  const load = loader(10);
  await expect(sources.get('a', load)).resolves.toHaveLength(10);
});
