import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/clock.js';
import { SchedulingQueue } from '../../../scheduler/queue.js';
import { mkPod } from './builders.js';

async function popName(q: SchedulingQueue) {
  return (await q.pop())?.pod.metadata.name;
}

describe('SchedulingQueue', () => {
  it('pops by priority, then by age', async () => {
    const clock = new FakeClock(1000);
    const q = new SchedulingQueue({ clock });
    q.add(mkPod('old-low', {}, { priority: 0 }));
    clock.step(1);
    q.add(mkPod('high', {}, { priority: 10 }));
    clock.step(1);
    q.add(mkPod('new-low', {}, { priority: 0 }));
    expect([await popName(q), await popName(q), await popName(q)]).toEqual(['high', 'old-low', 'new-low']);
  });

  it.each([
    { attempts: 1, ms: 1000 },
    { attempts: 2, ms: 2000 },
    { attempts: 4, ms: 8000 },
    { attempts: 5, ms: 10000 },
    { attempts: 9, ms: 10000 },
  ])('backoff after $attempts attempts is $ms ms', ({ attempts, ms }) => {
    expect(new SchedulingQueue({ clock: new FakeClock() }).backoffFor(attempts)).toBe(ms);
  });

  it('keeps unschedulable pods until a cluster event, then honours the backoff', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(mkPod('p'));
    const info = (await q.pop())!;
    q.addUnschedulable(info, q.schedulingCycle);
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 1 });
    clock.step(60_000);
    expect(q.lengths().unschedulable).toBe(1); // no polling
    q.moveAllToActiveOrBackoff();
    expect(q.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('moves to backoff when the event comes before the backoff ends, and to active after it', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(mkPod('p'));
    q.addUnschedulable((await q.pop())!, q.schedulingCycle);
    q.moveAllToActiveOrBackoff();
    expect(q.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    clock.step(999);
    expect(q.lengths().backoff).toBe(1);
    clock.step(1);
    expect(q.lengths()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('a cluster event during the pod cycle sends the failed pod to backoff, not unschedulable', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(mkPod('p'));
    const info = (await q.pop())!;
    const cycle = q.schedulingCycle;
    q.moveAllToActiveOrBackoff();
    q.addUnschedulable(info, cycle);
    expect(q.lengths()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
  });

  it('drops a pod deleted while it was being scheduled', async () => {
    const q = new SchedulingQueue({ clock: new FakeClock() });
    const p = mkPod('p');
    q.add(p);
    const info = (await q.pop())!;
    q.delete(p);
    q.addUnschedulable(info, q.schedulingCycle);
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  it('retries an unschedulable pod whose spec changed', async () => {
    const q = new SchedulingQueue({ clock: new FakeClock() });
    const p = mkPod('p');
    q.add(p);
    q.addUnschedulable((await q.pop())!, q.schedulingCycle);
    q.update({ ...p, spec: { ...p.spec, nodeSelector: { a: 'b' } } });
    expect(q.lengths().unschedulable).toBe(0);
  });

  it('pop waits for an add and resolves undefined on close', async () => {
    const q = new SchedulingQueue({ clock: new FakeClock() });
    const waiting = q.pop();
    q.add(mkPod('later'));
    expect((await waiting)?.pod.metadata.name).toBe('later');
    const closed = q.pop();
    q.close();
    expect(await closed).toBeUndefined();
  });
});
