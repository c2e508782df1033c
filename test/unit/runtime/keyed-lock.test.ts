import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../../runtime/service/keyed-lock.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('KeyedLock', () => {
  it('runs work on one key in order, one at a time', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const g = gate();
    const a = lock.run('c1', async () => {
      order.push('a start');
      await g.promise;
      order.push('a end');
    });
    const b = lock.run('c1', async () => void order.push('b'));
    await Promise.resolve();
    expect(order).toEqual(['a start']);
    g.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('lets other keys run meanwhile and keeps going after a failure', async () => {
    const lock = new KeyedLock();
    const g = gate();
    const blocked = lock.run('c1', () => g.promise);
    expect(await lock.run('c2', async () => 'free')).toBe('free');
    const failed = lock.run('c1', async () => {
      throw new Error('boom');
    });
    const after = lock.run('c1', async () => 'after');
    g.open();
    await blocked;
    await expect(failed).rejects.toThrow('boom');
    expect(await after).toBe('after');
    await Promise.resolve();
    expect(lock.size).toBe(0);
  });
});
