// The activity-side Textract rate: turns spaced 1/rate apart, halved on throttling, regained on success.
import { AdaptiveRate } from '../../activities/rate-governor';

function fakeClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

const throttle = Object.assign(new Error('Rate exceeded'), {
  name: 'ProvisionedThroughputExceededException',
});

describe('AdaptiveRate', () => {
  test('hands out turns 1/rate apart', async () => {
    const clock = fakeClock();
    const rate = new AdaptiveRate({ maxPerSecond: 4, ...clock });
    for (let i = 0; i < 3; i++) await rate.take();
    expect(clock.waits).toEqual([250, 250]);
  });

  test('halves on a throttle (not below the floor) and creeps back on success', async () => {
    const clock = fakeClock();
    const rate = new AdaptiveRate({ maxPerSecond: 10, minPerSecond: 2, increase: 1, ...clock });
    await expect(rate.call(() => Promise.reject(throttle))).rejects.toBe(throttle);
    expect(rate.rate).toBe(5);
    for (let i = 0; i < 3; i++)
      await expect(rate.call(() => Promise.reject(throttle))).rejects.toBe(throttle);
    expect(rate.rate).toBe(2);
    for (let i = 0; i < 3; i++) await rate.call(async () => 'ok');
    expect(rate.rate).toBe(5);
    for (let i = 0; i < 20; i++) await rate.call(async () => 'ok');
    expect(rate.rate).toBe(10);
    expect(rate.throttles).toBe(4);
  });

  test('other errors pass through without lowering the rate', async () => {
    const rate = new AdaptiveRate({ maxPerSecond: 10, ...fakeClock() });
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    await expect(rate.call(() => Promise.reject(denied))).rejects.toBe(denied);
    expect(rate.rate).toBe(10);
  });
});
