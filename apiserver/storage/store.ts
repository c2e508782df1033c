// The narrow storage interface over etcd (after apiserver's pkg/storage/etcd3/store.go).
// resourceVersion is etcd's mod_revision and is never stored in the value; every write is a
// transaction guarded by a revision, so a stale writer loses with 409 and nothing is lost.
import { isDeepStrictEqual } from 'node:util';
import type { Etcd3, IKeyValue } from 'etcd3';
import type { KubeObject } from '../../api/meta.js';
import { conflict, OBJECT_MODIFIED, type GroupResource } from '../../api/errors.js';
import { translateEtcdError } from './etcd-errors.js';
import { identityTransformer, type Transformer } from './transformer.js';

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface ListPage {
  items: KubeObject[];
  revision: number;
  /** Set when the page is full and more keys follow; the next page starts after it. */
  lastKey?: string;
}

export interface ListOptions {
  revision?: number;
  /** Exclusive start key for paging. */
  after?: string;
  limit?: number;
  /** Applied before counting towards limit, as upstream filters while paging. */
  filter?: (obj: KubeObject) => boolean;
}

/** A pure function of the current object. Throwing aborts the update; returning it unchanged skips the write. */
export type TryUpdate = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export type StoreOperation = 'create' | 'get' | 'list' | 'update' | 'delete' | 'compact';
export type OpObserver = (op: StoreOperation, seconds: number) => void;

const MAX_UPDATE_ATTEMPTS = 16;

export function decodeKv(kv: IKeyValue, transformer: Transformer = identityTransformer): KubeObject {
  const obj = JSON.parse(transformer.fromStorage(kv.value).toString()) as KubeObject;
  obj.metadata.resourceVersion = String(kv.mod_revision);
  return obj;
}

/** The stored bytes: the object without its resourceVersion. */
export function encodeObject(obj: KubeObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

export class Store {
  constructor(
    readonly client: Etcd3,
    private readonly gr: GroupResource,
    private readonly observe: OpObserver = () => {},
    /** Encryption at rest for this resource's values (Secrets), identity otherwise. */
    readonly transformer: Transformer = identityTransformer,
  ) {}

  private decode(kv: IKeyValue): KubeObject {
    return decodeKv(kv, this.transformer);
  }

  private async timed<T>(op: StoreOperation, fn: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      return await fn();
    } catch (err) {
      throw translateEtcdError(err);
    } finally {
      this.observe(op, Number(process.hrtime.bigint() - start) / 1e9);
    }
  }

  /** Creates key only if absent; `alsoCreate` keys (e.g. an IP allocation) are claimed atomically with it. */
  async create(key: string, obj: KubeObject, name: string, alsoCreate: string[] = []): Promise<KubeObject> {
    const value = this.transformer.toStorage(Buffer.from(encodeObject(obj)));
    const res = await this.timed('create', async () => {
      let txn = this.client.if(key, 'Create', '==', 0);
      for (const k of alsoCreate) txn = txn.and(k, 'Create', '==', 0);
      const puts = [this.client.put(key).value(value), ...alsoCreate.map((k) => this.client.put(k).value(key))];
      return txn.then(...puts).commit();
    });
    if (!res.succeeded) throw new AlreadyExistsInStore(key, name);
    return withRevision(obj, Number(res.header.revision));
  }

  async get(key: string): Promise<KubeObject | undefined> {
    const res = await this.timed('get', () => this.client.get(key).exec());
    const kv = res.kvs[0];
    return kv ? this.decode(kv) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListPage> {
    const items: KubeObject[] = [];
    let after = opts.after;
    let revision = opts.revision;
    const pageSize = opts.limit ? Math.max(opts.limit, 100) : 0;
    for (;;) {
      const res = await this.timed('list', () => this.rangePage(prefix, after, revision, pageSize));
      revision = Number(res.header.revision);
      if (opts.revision) revision = opts.revision;
      for (const kv of res.kvs) {
        const obj = this.decode(kv);
        if (opts.filter && !opts.filter(obj)) continue;
        items.push(obj);
        if (opts.limit && items.length === opts.limit) {
          const more = res.more || kv !== res.kvs[res.kvs.length - 1];
          return { items, revision, lastKey: more ? kv.key.toString() : undefined };
        }
      }
      if (!res.more || res.kvs.length === 0) return { items, revision };
      after = res.kvs[res.kvs.length - 1]!.key.toString();
    }
  }

  private rangePage(prefix: string, after: string | undefined, revision: number | undefined, limit: number) {
    // Paging resumes at after + '\0': the range start is inclusive.
    const start = after === undefined ? prefix : after + '\0';
    let b = this.client.getAll().inRange({ start, end: prefixEnd(prefix) }).sort('Key', 'Ascend');
    if (revision) b = b.revision(revision);
    if (limit) b = b.limit(limit);
    return b.exec();
  }

  /**
   * Reads the current object, applies tryUpdate and writes the result if the key has not moved
   * since the read; on a race it re-reads and tries again (GuaranteedUpdate). A cached copy, when
   * given, saves the first read, as upstream's watch-cache "origState": if it was stale, the
   * guarded write (or a check in tryUpdate) fails and the loop continues from a fresh read.
   */
  async guaranteedUpdate(
    key: string,
    name: string,
    tryUpdate: TryUpdate,
    opts: { dryRun?: boolean; notFound: () => Error; cached?: KubeObject },
  ): Promise<KubeObject> {
    let current = opts.cached;
    let fromCache = current !== undefined;
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      if (!current) {
        current = await this.get(key);
        fromCache = false;
      }
      if (!current) throw opts.notFound();
      const outcome = await this.tryOnce(key, current, tryUpdate, opts.dryRun, fromCache);
      if (outcome) return outcome;
      current = undefined;
    }
    throw conflict(this.gr, name, OBJECT_MODIFIED);
  }

  /** One read-modify-write step; undefined means "read again and retry". */
  private async tryOnce(
    key: string,
    current: KubeObject,
    tryUpdate: TryUpdate,
    dryRun: boolean | undefined,
    fromCache: boolean,
  ): Promise<KubeObject | undefined> {
    const rev = Number(current.metadata.resourceVersion);
    let next: KubeObject;
    try {
      next = await tryUpdate(structuredClone(current));
    } catch (err) {
      if (fromCache) return undefined; // judged against a possibly stale copy: judge again
      throw err;
    }
    const value = encodeObject(next);
    if (dryRun || unchanged(value, current, next)) return fromCache ? undefined : dryRun ? withRevision(next, rev) : current;
    const res = await this.timed('update', () =>
      this.client
        .if(key, 'Mod', '==', rev)
        .then(this.client.put(key).value(this.transformer.toStorage(Buffer.from(value))))
        .commit(),
    );
    return res.succeeded ? withRevision(next, Number(res.header.revision)) : undefined;
  }

  /** Deletes key if it still is at `rev`; false when it moved (the caller re-reads and decides again). */
  async deleteAt(key: string, rev: number, alsoDelete: string[] = []): Promise<number | undefined> {
    const res = await this.timed('delete', () =>
      this.client
        .if(key, 'Mod', '==', rev)
        .then(this.client.delete().key(key), ...alsoDelete.map((k) => this.client.delete().key(k)))
        .commit(),
    );
    return res.succeeded ? Number(res.header.revision) : undefined;
  }

  async currentRevision(): Promise<number> {
    const res = await this.timed('get', () => this.client.get('/registry/revision-probe').exec());
    return Number(res.header.revision);
  }
}

export class AlreadyExistsInStore extends Error {
  constructor(
    readonly key: string,
    readonly objectName: string,
  ) {
    super(`key ${key} already exists`);
  }
}

/** Same bytes, or the same object with keys in another order: no write, no new revision. */
function unchanged(value: string, current: KubeObject, next: KubeObject): boolean {
  const cur = encodeObject(current);
  if (value === cur) return true;
  // Deep-equal objects serialize to the same characters in another order, so to the same length:
  // a different length is a real change (a binding, most updates) and needs no deep comparison.
  if (value.length !== cur.length) return false;
  const { resourceVersion: _a, ...m1 } = current.metadata;
  const { resourceVersion: _b, ...m2 } = next.metadata;
  return isDeepStrictEqual({ ...current, metadata: m1 }, { ...next, metadata: m2 });
}

export function withRevision(obj: KubeObject, rev: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } };
}

export function prefixEnd(prefix: string): string {
  const buf = Buffer.from(prefix);
  buf[buf.length - 1]! += 1;
  return buf.toString();
}
