import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/clock.js';
import { ItemExponentialRateLimiter } from '../../../client/ratelimit.js';
import { WorkQueue } from '../../../client/workqueue.js';

function queue(clock = new FakeClock()): WorkQueue<string> {
  return new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter<string>(5, 1000) });
}

describe('WorkQueue', () => {
  it('hands items out in FIFO order and dedupes adds before get', async () => {
    const q = queue();
    for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
    expect(q.len()).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['a', 'b', 'c']);
  });

  it('re-queues an item added while processing once, only after done', async () => {
    const q = queue();
    q.add('a');
    const item = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0); // never handed to a second worker while processing
    q.done(item!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('resolves a waiting get when an item arrives', async () => {
    const q = queue();
    const pending = q.get();
    q.add('x');
    expect(await pending).toBe('x');
  });

  it('drains queued items after shutDown, then returns undefined and ignores adds', async () => {
    const q = queue();
    q.add('a');
    q.add('b');
    q.shutDown();
    q.add('c');
    expect(q.shuttingDown()).toBe(true);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['a', 'b', undefined]);
  });

  it('releases idle getters on shutDown', async () => {
    const q = queue();
    const pending = [q.get(), q.get()];
    q.shutDown();
    expect(await Promise.all(pending)).toEqual([undefined, undefined]);
  });

  it('shutDownWithDrain waits for items being processed', async () => {
    const q = queue();
    q.add('a');
    await q.get();
    let drained = false;
    const p = q.shutDownWithDrain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done('a');
    await p;
    expect(drained).toBe(true);
  });

  it('addAfter adds when the clock reaches the delay, keeping the earliest of two', () => {
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    clock.step(49);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
    clock.step(1000);
    expect(q.len()).toBe(1);
  });

  it('shutDown drops delayed items', () => {
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 10);
    q.shutDown();
    clock.step(100);
    expect(q.len()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('addRateLimited backs off exponentially until forget', () => {
    const clock = new FakeClock();
    const q = queue(clock);
    q.addRateLimited('a'); // 5 ms
    q.addRateLimited('a'); // 10 ms, but the 5 ms wait is earlier and wins
    expect(q.numRequeues('a')).toBe(2);
    clock.step(5);
    expect(q.len()).toBe(1);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });
});
