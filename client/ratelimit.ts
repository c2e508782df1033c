// Rate limiters for the work queue, with client-go's semantics (util/workqueue/default_rate_limiters.go).
// All durations are milliseconds; all time comes from an injected Clock.

import { realClock, type Clock } from './clock.js';

/** RateLimiter says how long an item must wait before its next retry. */
export interface RateLimiter<T> {
  /** when records a failure for item and returns the delay (ms) before it may be retried. */
  when(item: T): number;
  /** forget clears item's failure history: call it after a successful sync. */
  forget(item: T): void;
  /** numRequeues is how many failures are on record for item. */
  numRequeues(item: T): number;
}

/**
 * ItemExponentialRateLimiter waits base × 2^failures per item, capped at max.
 * With base 5 ms: 5, 10, 20, 40 ms ... reaching the 1000 s cap after 18 failures.
 */
export class ItemExponentialRateLimiter<T> implements RateLimiter<T> {
  private failures = new Map<T, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1000_000,
  ) {}

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseMs * 2 ** exp;
    return backoff > this.maxMs ? this.maxMs : backoff;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * BucketRateLimiter is a global token bucket (golang.org/x/time/rate): it starts full with
 * `burst` tokens and refills at `qps` per second. Every when() reserves a token, going into debt
 * when the bucket is empty, so the returned delay grows with the backlog. Items are not tracked.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** MaxOfRateLimiter waits as long as the strictest of its limiters. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(item)));
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item)));
  }
}

/** defaultControllerRateLimiter is client-go's default: max(per-item 5 ms × 2ⁿ ≤ 1000 s, 10 qps burst 100). */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialRateLimiter<T>(5, 1000_000), new BucketRateLimiter<T>(10, 100, clock));
}
