import { describe, expect, it } from 'vitest';
import { FakeClock, delay } from '../../../client/clock.js';

describe('FakeClock', () => {
  it('fires due timers in due order, including timers set while stepping', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@30'), 30);
    clock.setTimeout(() => {
      fired.push('a@10');
      clock.setTimeout(() => fired.push('c@15'), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 20);
    clock.clearTimeout(cancelled);
    clock.step(25);
    expect(fired).toEqual(['a@10', 'c@15']);
    expect(clock.now()).toBe(1025);
    clock.step(5);
    expect(fired).toEqual(['a@10', 'c@15', 'b@30']);
  });

  it('delay resolves on the clock, or early when aborted', async () => {
    const clock = new FakeClock();
    let done = false;
    const p = delay(clock, 100).then(() => (done = true));
    clock.step(99);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.step(1);
    await p;
    expect(done).toBe(true);
    const ac = new AbortController();
    const q = delay(clock, 1000, ac.signal);
    ac.abort();
    await q;
    expect(clock.pending()).toBe(0);
  });
});
