// The rate-limited work queue every controller uses, with client-go's semantics
// (util/workqueue/doc.go, queue.go, delaying_queue.go, rate_limiting_queue.go):
//
//  - Fair: items are handed out in the order they were added.
//  - Stingy: an item added many times before a worker picks it up is processed once (dirty set).
//  - Exclusive: an item is never processed by two workers at once (processing set). If it is
//    added while being processed it is queued again, once, when the worker calls done().
//  - Shutdown: add() is ignored afterwards; get() keeps handing out what is already queued and
//    then resolves undefined, so workers drain the queue and exit.

import { realClock, type Clock, type TimerHandle } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './ratelimit.js';

/** WorkQueueOptions configures a WorkQueue; both default to client-go's defaults. */
export interface WorkQueueOptions<T> {
  clock?: Clock;
  rateLimiter?: RateLimiter<T>;
}

interface Waiting {
  at: number;
  handle: TimerHandle;
}

/** WorkQueue is a FIFO with dedupe, exclusive processing, delayed adds and per-item rate limiting. */
export class WorkQueue<T> {
  private queue: T[] = [];
  private dirty = new Set<T>();
  private processing = new Set<T>();
  private waiting = new Map<T, Waiting>();
  private getters: ((item: T | undefined) => void)[] = [];
  private drainers: (() => void)[] = [];
  private shutting = false;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<T>;

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** add marks item as needing processing. */
  add(item: T): void {
    if (this.shutting || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.handOut();
  }

  /** get waits for the next item and marks it processing; undefined once shut down and drained. */
  get(): Promise<T | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.shutting) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** done ends processing of item; if it was added meanwhile it is queued again. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.handOut();
    }
    if (this.processing.size === 0) this.drainers.splice(0).forEach((d) => d());
  }

  /** addAfter adds item once ms have passed; of several pending delays the earliest wins. */
  addAfter(item: T, ms: number): void {
    if (this.shutting) return;
    if (ms <= 0) return this.add(item);
    const at = this.clock.now() + ms;
    const prev = this.waiting.get(item);
    if (prev && prev.at <= at) return;
    if (prev) this.clock.clearTimeout(prev.handle);
    const handle = this.clock.setTimeout(() => {
      this.waiting.delete(item);
      this.add(item);
    }, ms);
    this.waiting.set(item, { at, handle });
  }

  /** addRateLimited adds item after the rate limiter says it may be retried. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(item));
  }

  /** forget clears item's retry history; call it when item was processed successfully. */
  forget(item: T): void {
    this.limiter.forget(item);
  }

  /** numRequeues is how many times item was rate-limited since it was last forgotten. */
  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }

  /** len is the number of items waiting to be handed out (not processing, not delayed). */
  len(): number {
    return this.queue.length;
  }

  /** shutDown stops accepting items, drops delayed ones and releases idle getters. */
  shutDown(): void {
    this.shutting = true;
    for (const w of this.waiting.values()) this.clock.clearTimeout(w.handle);
    this.waiting.clear();
    this.getters.splice(0).forEach((g) => g(undefined));
  }

  /** shutDownWithDrain shuts down and resolves once no item is being processed. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  /** shuttingDown reports whether shutDown was called. */
  shuttingDown(): boolean {
    return this.shutting;
  }

  private take(): T {
    const item = this.queue.shift() as T;
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.queue.length > 0) this.getters.shift()!(this.take());
  }
}
