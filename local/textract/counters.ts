/**
 * What a benchmark or a test needs to judge a client against the quotas: calls and throttled calls
 * per account and operation, jobs refused over the concurrent-job cap, and the peak of concurrent jobs.
 */
import { TextractError, TextractErrorName } from './errors';

export interface OperationCounts {
  calls: number;
  /** Answered ProvisionedThroughputExceeded or Throttling. */
  throttled: number;
  /** Start* answered LimitExceeded (over the concurrent-job cap). */
  limitExceeded: number;
}

export interface AccountCounters {
  operations: Record<string, OperationCounts>;
  /** Most jobs starting or IN_PROGRESS at once. */
  peakConcurrentJobs: number;
  /** When the first and the latest call arrived (ms since the epoch). */
  firstCallAt?: number;
  lastCallAt?: number;
}

const throttlingNames = new Set<string>([
  TextractErrorName.ProvisionedThroughputExceeded,
  TextractErrorName.Throttling,
]);

export class Counters {
  private readonly accounts = new Map<string, AccountCounters>();

  private of(account: string): AccountCounters {
    let c = this.accounts.get(account);
    if (!c) this.accounts.set(account, (c = { operations: {}, peakConcurrentJobs: 0 }));
    return c;
  }

  /** Counts one call and how it was answered (`error` undefined: success). */
  call(account: string, operation: string, error?: unknown): void {
    const c = this.of(account);
    const now = Date.now();
    c.firstCallAt ??= now;
    c.lastCallAt = now;
    const op = (c.operations[operation] ??= { calls: 0, throttled: 0, limitExceeded: 0 });
    op.calls++;
    if (error instanceof TextractError) {
      if (throttlingNames.has(error.errorName)) op.throttled++;
      if (error.errorName === TextractErrorName.LimitExceeded) op.limitExceeded++;
    }
  }

  /** Records the account's number of concurrent jobs after a start. */
  concurrentJobs(account: string, n: number): void {
    const c = this.of(account);
    c.peakConcurrentJobs = Math.max(c.peakConcurrentJobs, n);
  }

  snapshot(account?: string): AccountCounters | Record<string, AccountCounters> {
    if (account !== undefined) return this.of(account);
    return Object.fromEntries(this.accounts);
  }

  reset(account?: string): void {
    if (account === undefined) this.accounts.clear();
    else this.accounts.delete(account);
  }
}
