// Time as a parameter (STYLE.md §5.10): queues, back-offs, informers and leader election take a
// Clock so tests drive time with FakeClock instead of sleeping. Date.now() appears only here.

/** TimerHandle is an opaque token returned by Clock.setTimeout. */
export type TimerHandle = { readonly id: number };

/** Clock is the source of time and timers for everything in client/. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(h: TimerHandle): void;
}

/** realClock uses the wall clock and Node timers; timers are unref'd so they never keep a process alive. */
export const realClock: Clock = (() => {
  const timers = new Map<number, NodeJS.Timeout>();
  let next = 0;
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = ++next;
      const t = setTimeout(() => {
        timers.delete(id);
        fn();
      }, ms);
      t.unref();
      timers.set(id, t);
      return { id };
    },
    clearTimeout(h) {
      clearTimeout(timers.get(h.id));
      timers.delete(h.id);
    },
  };
})();

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * FakeClock is a manual clock for tests. step(ms) advances time and fires every timer that
 * falls due, in due-time order (ties in creation order); timers set by a firing callback that
 * are due within the step fire too.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: FakeTimer[] = [];
  private nextId = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = { id: ++this.nextId, at: this.current + Math.max(0, ms), fn };
    this.timers.push(t);
    return { id: t.id };
  }

  clearTimeout(h: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== h.id);
  }

  /** step advances the clock by ms, firing due timers in order. */
  step(ms: number): void {
    const target = this.current + ms;
    for (let t = this.nextDue(target); t; t = this.nextDue(target)) {
      this.timers = this.timers.filter((x) => x !== t);
      this.current = t.at;
      t.fn();
    }
    this.current = target;
  }

  /** pending is the number of timers not yet fired. */
  pending(): number {
    return this.timers.length;
  }

  private nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.at <= limit && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
    }
    return best;
  }
}

/** delay resolves after ms on the given clock, or early (without rejecting) when signal aborts. */
export function delay(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const onAbort = (): void => {
      clock.clearTimeout(h);
      resolve();
    };
    const h = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
