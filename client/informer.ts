// One informer per resource: list, then watch from the list's resourceVersion, keeping an
// indexed local cache and telling handlers what changed.

import { StatusError } from '../api/errors.js';
import { objectKey, type KubeList, type KubeObject, type WatchEvent } from '../api/meta.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { delay, realClock, type Clock } from './clock.js';
import type { ListerWatcher } from './lister-watcher.js';
import { statusErrorFromStatus } from './status.js';
import { IndexedStore, type IndexFunc, type Lister } from './store.js';

/** EventHandlers are told about changes after the store reflects them. They should only enqueue keys. */
export interface EventHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, cur: T): void;
  /** finalStateUnknown: the deletion was inferred by a relist, obj is the last state seen. */
  onDelete?(obj: T, finalStateUnknown: boolean): void;
}

/** InformerOptions; every field has a client-go-like default. */
export interface InformerOptions<T> {
  clock?: Clock;
  indexers?: Record<string, IndexFunc<T>>;
  /** Reconnect back-off; default 800 ms doubling to 30 s, as client-go's reflector. */
  backoff?: BackoffPolicy;
  /** Watch timeoutSeconds is min × (1 + random()), default min 300, as client-go. */
  minWatchTimeoutSeconds?: number;
  random?: () => number;
  /** Told about every list/watch failure; the informer itself never logs. */
  onError?: (err: unknown) => void;
}

/** A watch that ends within this time without events counts as a failure (client-go's "very short watch"). */
const SHORT_WATCH_MS = 1000;

/**
 * Informer keeps a local, indexed copy of one collection and notifies handlers of changes.
 *
 * Consistency contract (after client-go's tools/cache/shared_informer.go):
 *  - The store is eventually consistent: if the collection stops changing, the store eventually
 *    holds exactly the server's objects. At any moment it may lag behind the server.
 *  - Handlers receive add, update and delete in the order the server made the changes, but not
 *    necessarily every intermediate version: changes made while disconnected are coalesced by
 *    the relist into one update per object, and objects that vanished get one delete carrying
 *    the last state seen with finalStateUnknown = true (a tombstone).
 *  - When a handler runs the store already reflects the event, and may already reflect later
 *    ones seen by other readers; handlers should enqueue keys, and workers read the store.
 *  - hasSynced() turns true once the first complete list is in the store and has been delivered
 *    to the handlers registered at that time. A handler added later is first sent an add for
 *    every object already cached.
 *  - Objects in the store and passed to handlers are shared: never mutate them, clone first.
 *
 * Mechanics: list (every page), then watch from the list's resourceVersion with bookmarks. A
 * dropped stream resumes from the last resourceVersion seen (bookmarks advance it) after a
 * capped exponential back-off; 410 (an ERROR event or a 410 answer) relists and diffs.
 */
export class Informer<T extends KubeObject = KubeObject> {
  readonly store: IndexedStore<T>;
  private readonly clock: Clock;
  private readonly opts: InformerOptions<T>;
  private readonly abort = new AbortController();
  private handlers: EventHandlers<T>[] = [];
  private syncWaiters: ((synced: boolean) => void)[] = [];
  private rv = '';
  private synced = false;
  private failures = 0;
  private running?: Promise<void>;

  constructor(
    private readonly lw: ListerWatcher<T>,
    opts: InformerOptions<T> = {},
  ) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.store = new IndexedStore<T>(opts.indexers);
  }

  /** lister is the read-only view of the cache. */
  get lister(): Lister<T> {
    return this.store;
  }

  /** addEventHandler registers handlers, replaying cached objects to them as adds. */
  addEventHandler(h: EventHandlers<T>): void {
    this.handlers.push(h);
    for (const obj of this.store.list()) this.call(() => h.onAdd?.(obj));
  }

  onAdd(fn: (obj: T) => void): void {
    this.addEventHandler({ onAdd: fn });
  }

  onUpdate(fn: (old: T, cur: T) => void): void {
    this.addEventHandler({ onUpdate: fn });
  }

  onDelete(fn: (obj: T, finalStateUnknown: boolean) => void): void {
    this.addEventHandler({ onDelete: fn });
  }

  /** addIndexer adds an index; objects already cached are filed under it. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  /** start begins listing and watching; calling it again has no effect. */
  start(): void {
    this.running ??= this.run();
  }

  /** stop ends the watch and the loop; it resolves once the loop has exited. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.syncWaiters.splice(0).forEach((w) => w(false));
    await this.running;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** waitForSync resolves true once synced, or false if the informer is stopped first. */
  waitForSync(): Promise<boolean> {
    if (this.synced || this.stopped) return Promise.resolve(this.synced);
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** lastSyncResourceVersion is the resourceVersion the next watch would start from. */
  lastSyncResourceVersion(): string {
    return this.rv;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) await this.relist();
        needList = false;
        await this.watchOnce();
      } catch (err) {
        if (this.stopped) break;
        needList ||= isGone(err);
        this.opts.onError?.(err);
        await delay(this.clock, this.retryDelay(err), this.abort.signal);
      }
    }
  }

  // A first 410 relists at once (it is routine after compaction); anything else, or a 410
  // right after another failure, waits the back-off so a broken server is not hammered.
  private retryDelay(err: unknown): number {
    const wait = isGone(err) && this.failures === 0 ? 0 : backoffDelay(this.failures + 1, this.backoffPolicy());
    this.failures++;
    return wait;
  }

  private backoffPolicy(): BackoffPolicy {
    return this.opts.backoff ?? { initialMs: 800, maxMs: 30_000 };
  }

  private async relist(): Promise<void> {
    const list = await this.lw.list({});
    if (this.stopped) return;
    const diff = this.store.replace(withKinds(list));
    this.rv = list.metadata.resourceVersion ?? '';
    for (const obj of diff.added) this.dispatch((h) => h.onAdd?.(obj));
    for (const { old, cur } of diff.updated) this.dispatch((h) => h.onUpdate?.(old, cur));
    for (const obj of diff.deleted) this.dispatch((h) => h.onDelete?.(obj, true));
    this.markSynced();
  }

  private async watchOnce(): Promise<void> {
    const started = this.clock.now();
    let events = 0;
    const stream = this.lw.watch({
      resourceVersion: this.rv,
      allowWatchBookmarks: true,
      timeoutSeconds: this.watchTimeoutSeconds(),
      signal: this.abort.signal,
    });
    for await (const ev of stream) {
      if (this.stopped) return;
      this.apply(ev);
      events++;
      this.failures = 0;
    }
    if (!this.stopped && events === 0 && this.clock.now() - started < SHORT_WATCH_MS) {
      throw new Error('very short watch: the stream ended at once without events');
    }
  }

  private apply(ev: WatchEvent<T>): void {
    if (ev.type === 'ERROR') throw statusErrorFromStatus(ev.object as unknown as Record<string, unknown>);
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.applyUpsert(ev.object);
    if (ev.type === 'DELETED') this.applyDelete(ev.object);
    this.rv = ev.object.metadata?.resourceVersion || this.rv;
  }

  private applyUpsert(obj: T): void {
    const old = this.store.upsert(obj);
    if (old) this.dispatch((h) => h.onUpdate?.(old, obj));
    else this.dispatch((h) => h.onAdd?.(obj));
  }

  private applyDelete(obj: T): void {
    this.store.remove(objectKey(obj));
    this.dispatch((h) => h.onDelete?.(obj, false));
  }

  private watchTimeoutSeconds(): number {
    const min = this.opts.minWatchTimeoutSeconds ?? 300;
    return Math.floor(min * (1 + (this.opts.random ?? Math.random)()));
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.syncWaiters.splice(0).forEach((w) => w(true));
  }

  private dispatch(fn: (h: EventHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  // A throwing handler must not break the informer or starve the other handlers.
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}

/** isGone reports a 410: the requested resourceVersion is too old, so the caller must relist. */
export function isGone(err: unknown): boolean {
  return err instanceof StatusError && err.code === 410;
}

// List items usually omit kind and apiVersion; fill them in from the list so handlers see whole objects.
function withKinds<T extends KubeObject>(list: KubeList<T>): T[] {
  const kind = list.kind?.replace(/List$/, '');
  return list.items.map((o) => (o.kind || !kind ? o : { ...o, kind, apiVersion: o.apiVersion ?? list.apiVersion }));
}
