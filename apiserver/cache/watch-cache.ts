// One watch cache per resource, as kube-apiserver's cacher: a single etcd watch feeds an indexed
// in-memory store and a window of recent events. Every event is serialized once and the same
// line is written to every watcher it matches; watches resume from any resourceVersion still in
// the window, and older ones fall back to a direct etcd watch (410 once etcd has compacted).
import type { Etcd3, IKeyValue, Watcher as EtcdWatcher } from 'etcd3';
import type { KubeObject, WatchEventType } from '../../api/meta.js';
import { decodeKv, prefixEnd } from '../storage/store.js';
import { identityTransformer, type Transformer } from '../storage/transformer.js';
import { EventWindow, type CacheEvent } from './event-window.js';
import { Indexer, type IndexFunc } from './indexer.js';
import { CacheWatcher, type WatchFilter, type WatchSink } from './cache-watcher.js';

export interface CachedObject {
  key: string;
  obj: KubeObject;
  json: string;
  /** The JSON as bytes, made on the first list that needs it and reused by every later one. */
  buf?: Buffer;
}

export interface WatchCacheOptions {
  windowSize?: number;
  indexers?: Record<string, IndexFunc>;
  /** Kind and apiVersion stamped on bookmark events. */
  kind: string;
  apiVersion: string;
  transformer?: Transformer;
}

export interface WatchRequest {
  /** undefined or '0': send the current state as ADDED events first; a number: events after it. */
  resourceVersion?: string;
  filter: WatchFilter;
  sink: WatchSink;
  bookmarks: boolean;
}

export class WatchCache {
  private readonly objects = new Map<string, CachedObject>();
  private readonly indexer: Indexer;
  private readonly window: EventWindow;
  private readonly watchers = new Set<CacheWatcher>();
  private etcdWatcher?: EtcdWatcher;
  private revisionWaiters: { rev: number; resolve: () => void }[] = [];
  /** The etcd revision the cache reflects. */
  revision = 0;
  private ready = false;

  constructor(
    private readonly client: Etcd3,
    readonly prefix: string,
    private readonly opts: WatchCacheOptions,
    /** Client for per-request etcd watches, kept apart so their cancellations cannot disturb the cache's stream. */
    private readonly directClient: Etcd3 = client,
  ) {
    this.window = new EventWindow(opts.windowSize ?? 10_000);
    this.indexer = new Indexer(opts.indexers ?? {});
  }

  async start(): Promise<void> {
    const res = await this.client.getAll().prefix(this.prefix).exec();
    this.revision = Number(res.header.revision);
    this.objects.clear();
    this.indexer.clear();
    for (const kv of res.kvs) this.put(kv.key.toString(), this.decode(kv));
    this.window.reset(this.revision);
    this.etcdWatcher = await this.client
      .watch()
      .prefix(this.prefix)
      .startRevision(String(this.revision + 1))
      .create();
    this.etcdWatcher.on('data', (res) => {
      for (const ev of res.events) this.apply(ev.type, ev.kv);
      this.advance(Number(res.header.revision));
    });
    this.etcdWatcher.on('error', (err) => this.restart(err));
    this.ready = true;
  }

  /** A fatal etcd watch error: drop every watcher (clients re-watch and maybe relist) and reload. */
  private restart(err: Error): void {
    console.error(`watch cache ${this.prefix}: etcd watch failed, reloading: ${err.message}`);
    this.ready = false;
    for (const w of this.watchers) w.close();
    this.watchers.clear();
    void this.etcdWatcher?.cancel().catch(() => {});
    void this.start().catch((e: Error) => console.error(`watch cache ${this.prefix}: reload failed: ${e.message}`));
  }

  private decode(kv: IKeyValue): KubeObject {
    return decodeKv(kv, this.opts.transformer ?? identityTransformer);
  }

  isReady(): boolean {
    return this.ready;
  }

  async stop(): Promise<void> {
    this.ready = false;
    for (const w of this.watchers) w.close();
    this.watchers.clear();
    // Closing the etcd client ends the stream anyway; do not hang on a cancel it never answers.
    await Promise.race([this.etcdWatcher?.cancel().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
  }

  private put(key: string, obj: KubeObject): CachedObject {
    const entry = { key, obj, json: JSON.stringify(obj) };
    const prev = this.objects.get(key);
    this.objects.set(key, entry);
    this.indexer.update(key, prev?.obj, obj);
    return entry;
  }

  private apply(type: 'Put' | 'Delete', kv: IKeyValue): void {
    const key = kv.key.toString();
    const rev = Number(kv.mod_revision);
    const prev = this.objects.get(key);
    if (type === 'Put') {
      const entry = this.put(key, this.decode(kv));
      this.dispatch({ type: prev ? 'MODIFIED' : 'ADDED', rev, key, obj: entry.obj, json: entry.json, prev: prev?.obj });
      return;
    }
    if (!prev) return;
    this.objects.delete(key);
    this.indexer.update(key, prev.obj, undefined);
    // A deleted object carries the revision of its deletion, as upstream.
    const obj = { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(rev) } };
    this.dispatch({ type: 'DELETED', rev, key, obj, json: JSON.stringify(obj), prev: prev.obj });
  }

  private dispatch(ev: CacheEvent): void {
    this.window.push(ev);
    this.revision = Math.max(this.revision, ev.rev);
    for (const w of this.watchers) w.deliver(ev);
  }

  private advance(rev: number): void {
    this.revision = Math.max(this.revision, rev);
    const due = this.revisionWaiters.filter((w) => w.rev <= this.revision);
    this.revisionWaiters = this.revisionWaiters.filter((w) => w.rev > this.revision);
    for (const w of due) w.resolve();
  }

  /** Resolves once the cache has seen rev, or false after timeoutMs (upstream's "too large resource version"). */
  waitForRevision(rev: number, timeoutMs: number): Promise<boolean> {
    if (rev <= this.revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.revisionWaiters = this.revisionWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        rev,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.revisionWaiters.push(waiter);
    });
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Objects sorted by key, optionally narrowed by an index (e.g. namespace). */
  list(index?: { name: string; value: string }): CachedObject[] {
    const keys = index ? [...this.indexer.keys(index.name, index.value)] : [...this.objects.keys()];
    keys.sort();
    return keys.map((k) => this.objects.get(k)!);
  }

  hasIndex(name: string): boolean {
    return this.indexer.has(name);
  }

  get size(): number {
    return this.objects.size;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Starts a watch; returns undefined when rv is older than the window (the caller goes to etcd). */
  watch(req: WatchRequest): CacheWatcher | undefined {
    const rv = req.resourceVersion;
    const fromState = rv === undefined || rv === '' || rv === '0';
    let backlog: CacheEvent[] = [];
    if (!fromState) {
      const events = this.window.since(Number(rv));
      if (!events) return undefined;
      backlog = events;
    }
    const w = new CacheWatcher(req.filter, req.sink, () => this.watchers.delete(w), {
      kind: this.opts.kind,
      apiVersion: this.opts.apiVersion,
      bookmarks: req.bookmarks,
      revision: () => this.revision,
    });
    if (fromState) {
      for (const o of this.list()) w.deliver({ type: 'ADDED', rev: 0, key: o.key, obj: o.obj, json: o.json });
    } else {
      for (const ev of backlog) w.deliver(ev);
    }
    this.watchers.add(w);
    return w;
  }

  /** A watch straight from etcd for a resourceVersion older than the window. */
  async watchFromEtcd(req: WatchRequest): Promise<CacheWatcher> {
    const rv = Number(req.resourceVersion);
    const w = new CacheWatcher(req.filter, req.sink, () => void ew.cancel().catch(() => {}), {
      kind: this.opts.kind,
      apiVersion: this.opts.apiVersion,
      bookmarks: req.bookmarks,
      revision: () => rv,
    });
    const ew: EtcdWatcher = await this.directClient
      .watch()
      .inRange({ start: this.prefix, end: prefixEnd(this.prefix) })
      .startRevision(String(rv + 1))
      .withPreviousKV()
      .create();
    ew.on('data', (res) => {
      for (const ev of res.events) w.deliver(directEvent(ev.type, ev.kv, ev.prev_kv, this.opts.transformer));
    });
    ew.on('error', () => w.expire(rv));
    return w;
  }
}

function directEvent(type: 'Put' | 'Delete', kv: IKeyValue, prevKv?: IKeyValue, transformer?: Transformer): CacheEvent {
  const rev = Number(kv.mod_revision);
  const prev = prevKv ? decodeKv(prevKv, transformer) : undefined;
  let eventType: WatchEventType = 'DELETED';
  let obj: KubeObject;
  if (type === 'Put') {
    obj = decodeKv(kv, transformer);
    eventType = prev ? 'MODIFIED' : 'ADDED';
  } else {
    obj = { ...prev!, metadata: { ...prev!.metadata, resourceVersion: String(rev) } };
  }
  return { type: eventType as CacheEvent['type'], rev, key: kv.key.toString(), obj, json: JSON.stringify(obj), prev };
}
