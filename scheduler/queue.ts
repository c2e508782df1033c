// The scheduling queue (upstream internal/queue/scheduling_queue.go, PriorityQueue):
//  - active: pods ready to try, highest priority first, then oldest first;
//  - backoff: pods that failed recently, each waiting 1 s × 2^(attempts−1) up to 10 s; one
//    clock timer for the earliest expiry moves them back (no polling);
//  - unschedulable: pods no node fits; they leave only when a cluster event could make them fit
//    (moveAllToActiveOrBackoff), to backoff if their backoff has not expired, else to active.
// A pod that failed in a cycle that began before the latest cluster event goes to backoff, not
// unschedulable, so an event during its cycle is not lost (upstream's moveRequestCycle).

import { objectKey } from '../api/meta.js';
import type { Pod } from '../api/types/index.js';
import { realClock, type Clock, type TimerHandle } from '../client/clock.js';
import { KeyedHeap } from './heap.js';
import { podPriority } from './priority.js';

/** QueuedPodInfo is a pod with its queueing history. */
export interface QueuedPodInfo {
  pod: Pod;
  key: string;
  /** When the pod first entered the queue (orders pods of equal priority). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the current backoff ends (ms on the queue's clock). */
  backoffUntil: number;
}

/** QueueOptions; backoffs default to upstream's 1 s initial, 10 s max. */
export interface QueueOptions {
  clock?: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** QueueLengths are the sizes of the three queues (for /metrics). */
export interface QueueLengths {
  active: number;
  backoff: number;
  unschedulable: number;
}

function activeLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = podPriority(a.pod);
  const pb = podPriority(b.pod);
  return pa !== pb ? pa > pb : a.timestamp < b.timestamp;
}

/** SchedulingQueue hands out pods one at a time through pop(). */
export class SchedulingQueue {
  private readonly active = new KeyedHeap<QueuedPodInfo>((q) => q.key, activeLess);
  private readonly backoff = new KeyedHeap<QueuedPodInfo>((q) => q.key, (a, b) => a.backoffUntil < b.backoffUntil);
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly clock: Clock;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private timer?: { at: number; handle: TimerHandle };
  private cycle = 0;
  private moveRequestCycle = -1;
  private closed = false;

  constructor(opts: QueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.initialBackoff = opts.initialBackoffMs ?? 1000;
    this.maxBackoff = opts.maxBackoffMs ?? 10_000;
  }

  /** schedulingCycle counts pops; callers pass it back to addUnschedulable. */
  get schedulingCycle(): number {
    return this.cycle;
  }

  /** add queues a new pending pod (ignored if the queue already knows it). */
  add(pod: Pod): void {
    const key = objectKey(pod);
    if (this.closed || this.known(key)) return;
    this.pushActive({ pod, key, timestamp: this.clock.now(), attempts: 0, backoffUntil: 0 });
  }

  /** update refreshes a queued pod; an unschedulable pod whose spec or labels changed is retried. */
  update(pod: Pod): void {
    const key = objectKey(pod);
    const q = this.active.get(key) ?? this.backoff.get(key) ?? this.unschedulable.get(key) ?? this.inFlight.get(key);
    if (!q) return this.add(pod);
    const changed = q.pod.spec !== pod.spec || q.pod.metadata.labels !== pod.metadata.labels;
    q.pod = pod;
    if (this.active.has(key)) this.active.push(q);
    if (this.unschedulable.has(key) && changed) {
      this.unschedulable.delete(key);
      this.requeue(q);
    }
  }

  /** delete forgets the pod wherever it is, including while it is being scheduled. */
  delete(pod: Pod): void {
    const key = objectKey(pod);
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** pop waits for the highest-priority active pod; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.active.size > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** done ends a pod's scheduling attempt that succeeded (it was assumed and is binding). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * addUnschedulable returns a failed pod: to backoff when a cluster event happened since
   * podCycle (or when the failure was an error), else to the unschedulable set.
   */
  addUnschedulable(q: QueuedPodInfo, podCycle: number, isError = false): void {
    if (this.closed || !this.inFlight.has(q.key)) return; // deleted while in flight
    this.inFlight.delete(q.key);
    q.backoffUntil = this.clock.now() + this.backoffFor(q.attempts);
    if (isError || this.moveRequestCycle >= podCycle) this.pushBackoff(q);
    else this.unschedulable.set(q.key, q);
  }

  /** moveAllToActiveOrBackoff retries every unschedulable pod after a cluster event. */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.cycle;
    const pods = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const q of pods) this.requeue(q);
  }

  lengths(): QueueLengths {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** close releases pop() waiters and drops timers. */
  close(): void {
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
    this.waiters.splice(0).forEach((w) => w(undefined));
  }

  /** backoffFor is 1 s × 2^(attempts−1) capped at 10 s (upstream calculateBackoffDuration). */
  backoffFor(attempts: number): number {
    let d = this.initialBackoff;
    for (let i = 1; i < attempts && d < this.maxBackoff; i++) d *= 2;
    return Math.min(d, this.maxBackoff);
  }

  private known(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  private requeue(q: QueuedPodInfo): void {
    if (q.backoffUntil > this.clock.now()) this.pushBackoff(q);
    else this.pushActive(q);
  }

  private take(): QueuedPodInfo {
    const q = this.active.pop()!;
    q.attempts++;
    this.cycle++;
    this.inFlight.set(q.key, q);
    return q;
  }

  private pushActive(q: QueuedPodInfo): void {
    this.active.push(q);
    while (this.waiters.length > 0 && this.active.size > 0) this.waiters.shift()!(this.take());
  }

  private pushBackoff(q: QueuedPodInfo): void {
    this.backoff.push(q);
    this.armTimer();
  }

  // One timer, for the earliest backoff expiry; re-armed whenever the head changes.
  private armTimer(): void {
    const head = this.backoff.peek();
    if (!head || (this.timer && this.timer.at <= head.backoffUntil)) return;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    const at = head.backoffUntil;
    this.timer = { at, handle: this.clock.setTimeout(() => this.flushBackoff(), Math.max(0, at - this.clock.now())) };
  }

  private flushBackoff(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (let h = this.backoff.peek(); h && h.backoffUntil <= now; h = this.backoff.peek()) this.pushActive(this.backoff.pop()!);
    this.armTimer();
  }
}
