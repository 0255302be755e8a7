// The activity-side half of the Textract rate governor: a token bucket per operation family whose
// rate follows AIMD. Temporal's maxTaskQueueActivitiesPerSecond caps activity starts across every
// worker, but is fixed when a worker starts and cannot see calls made inside one activity (result
// pages, status polls) or by other clients of the account; this bucket covers both.
import { isThrottlingError } from '../lib/aws/errors';

export interface AdaptiveRateOptions {
  /** The configured (ceiling) rate, per second. */
  maxPerSecond: number;
  /** Lowest rate a run of throttles can push it to. @default maxPerSecond / 10 */
  minPerSecond?: number;
  /** Rate regained per successful call (additive increase). @default maxPerSecond / 50 */
  increase?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    });
  });

/** Token bucket (burst: one token) whose rate halves on a throttle and creeps back on success. */
export class AdaptiveRate {
  private perSecond: number;
  private nextFreeAt = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  throttles = 0;

  constructor(private readonly options: AdaptiveRateOptions) {
    if (!(options.maxPerSecond > 0)) throw new Error('maxPerSecond must be positive');
    this.perSecond = options.maxPerSecond;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  get rate(): number {
    return this.perSecond;
  }

  /** Waits for this call's turn. Turns are handed out in call order, 1/rate apart. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = at + 1000 / this.perSecond;
    if (at > now) await this.sleep(at - now, signal);
  }

  /** Multiplicative decrease: someone else shares the account's quota. */
  throttled(): void {
    this.throttles++;
    const min = this.options.minPerSecond ?? this.options.maxPerSecond / 10;
    this.perSecond = Math.max(min, this.perSecond / 2);
  }

  /** Additive increase back toward the configured rate. */
  succeeded(): void {
    const step = this.options.increase ?? this.options.maxPerSecond / 50;
    this.perSecond = Math.min(this.options.maxPerSecond, this.perSecond + step);
  }

  /** Runs one call in its turn and adapts to its outcome; errors pass through unchanged. */
  async call<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.take(signal);
    try {
      const result = await run();
      this.succeeded();
      return result;
    } catch (err) {
      if (isThrottlingError(err)) this.throttled();
      throw err;
    }
  }
}

export interface TextractRates {
  start?: AdaptiveRate;
  get?: AdaptiveRate;
}

/** The buckets for the configured rates (an unset rate: no bucket, calls go straight out). */
export function textractRates(rates: { startPerSecond?: number; getPerSecond?: number }): TextractRates {
  return {
    ...(rates.startPerSecond ? { start: new AdaptiveRate({ maxPerSecond: rates.startPerSecond }) } : {}),
    ...(rates.getPerSecond ? { get: new AdaptiveRate({ maxPerSecond: rates.getPerSecond }) } : {}),
  };
}
