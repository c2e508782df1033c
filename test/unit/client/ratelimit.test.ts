import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/clock.js';
import {
  BucketRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from '../../../client/ratelimit.js';

describe('ItemExponentialRateLimiter', () => {
  it('doubles per item from 5 ms and caps at 1000 s', () => {
    const l = new ItemExponentialRateLimiter<string>(5, 1000_000);
    const delays = Array.from({ length: 20 }, () => l.when('a'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays[17]).toBe(655_360); // 5 × 2^17
    expect(delays[18]).toBe(1000_000); // 5 × 2^18 = 1 310 720 ms, over the cap
    expect(l.when('b')).toBe(5); // items are independent
    expect(l.numRequeues('a')).toBe(20);
    l.forget('a');
    expect(l.when('a')).toBe(5);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through, then spaces items at 1/qps, refilling with time', () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter<string>(10, 100, clock);
    const burst = Array.from({ length: 100 }, () => l.when());
    expect(burst.every((d) => d === 0)).toBe(true);
    expect(l.when()).toBeCloseTo(100); // one token in debt at 10/s
    expect(l.when()).toBeCloseTo(200);
    clock.step(1000); // refills 10 tokens, paying off the 2 in debt
    expect(l.when()).toBe(0);
    expect(l.numRequeues()).toBe(0);
  });
});

describe('MaxOfRateLimiter', () => {
  it('returns the longest delay and forgets in every limiter', () => {
    const clock = new FakeClock();
    const l = new MaxOfRateLimiter<string>(new ItemExponentialRateLimiter(5, 1000), new BucketRateLimiter(1, 1, clock));
    expect(l.when('a')).toBe(5); // bucket has its one token
    expect(l.when('a')).toBe(1000); // bucket in debt by one token at 1/s = 1000 ms > 10 ms
    expect(l.numRequeues('a')).toBe(2);
    l.forget('a');
    expect(l.numRequeues('a')).toBe(0);
  });

  it('defaultControllerRateLimiter starts at 5 ms per item', () => {
    const l = defaultControllerRateLimiter<string>(new FakeClock());
    expect([l.when('a'), l.when('a'), l.when('b')]).toEqual([5, 10, 5]);
  });
});
