// The informer's local cache: objects keyed `namespace/name`, with a namespace index and any
// number of custom indexes (e.g. pods by spec.nodeName). Readers get the Lister view.

import { objectKey, type KubeObject } from '../api/meta.js';

/** IndexFunc returns the index values an object is filed under (none, one or several). */
export type IndexFunc<T> = (obj: T) => string[];

/** NAMESPACE_INDEX is the built-in index on metadata.namespace ('' for cluster-scoped objects). */
export const NAMESPACE_INDEX = 'namespace';

/** Lister is the read-only view of a store that controllers use instead of API reads. */
export interface Lister<T> {
  get(key: string): T | undefined;
  getByName(namespace: string | undefined, name: string): T | undefined;
  list(): T[];
  listByNamespace(namespace: string): T[];
  byIndex(indexName: string, value: string): T[];
  keys(): string[];
}

/** ReplaceDiff is what a relist changed: the events a relist must emit. */
export interface ReplaceDiff<T> {
  added: T[];
  updated: { old: T; cur: T }[];
  deleted: T[];
}

/** fieldIndexer indexes objects by the string at a dotted path, e.g. fieldIndexer('spec.nodeName'). */
export function fieldIndexer<T>(path: string): IndexFunc<T> {
  const parts = path.split('.');
  return (obj) => {
    let v: unknown = obj;
    for (const p of parts) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[p] : undefined;
    return typeof v === 'string' && v !== '' ? [v] : [];
  };
}

/**
 * diffReplace compares the cached objects with a fresh list. Objects whose resourceVersion is
 * unchanged are not reported; keys absent from the list are deleted (the tombstones).
 */
export function diffReplace<T extends KubeObject>(cached: ReadonlyMap<string, T>, fresh: readonly T[]): ReplaceDiff<T> {
  const diff: ReplaceDiff<T> = { added: [], updated: [], deleted: [] };
  const seen = new Set<string>();
  for (const cur of fresh) {
    const key = objectKey(cur);
    seen.add(key);
    const old = cached.get(key);
    if (!old) diff.added.push(cur);
    else if (old.metadata.resourceVersion !== cur.metadata.resourceVersion) diff.updated.push({ old, cur });
  }
  for (const [key, old] of cached) if (!seen.has(key)) diff.deleted.push(old);
  return diff;
}

/** IndexedStore is a keyed object cache with secondary indexes. */
export class IndexedStore<T extends KubeObject> implements Lister<T> {
  private items = new Map<string, T>();
  private indexers = new Map<string, IndexFunc<T>>();
  private indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.addIndexer(NAMESPACE_INDEX, (o) => [o.metadata.namespace ?? '']);
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  /** addIndexer registers an index and files the objects already cached under it. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.items) this.fileUnder(name, fn(obj), key);
  }

  hasIndexer(name: string): boolean {
    return this.indexers.has(name);
  }

  /** upsert stores obj and returns the object it replaced, if any. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) this.fileUnder(name, fn(obj), key);
    return old;
  }

  /** remove deletes key and returns the object it held, if any. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** replace swaps in a fresh list and returns what changed. */
  replace(fresh: readonly T[]): ReplaceDiff<T> {
    const diff = diffReplace(this.items, fresh);
    for (const old of diff.deleted) this.remove(objectKey(old));
    for (const obj of [...diff.added, ...diff.updated.map((u) => u.cur)]) this.upsert(obj);
    return diff;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listByNamespace(namespace: string): T[] {
    return this.byIndex(NAMESPACE_INDEX, namespace);
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])].map((k) => this.items.get(k) as T);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  private fileUnder(name: string, values: string[], key: string): void {
    const index = this.indices.get(name)!;
    for (const v of values) {
      if (!index.has(v)) index.set(v, new Set());
      index.get(v)!.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const keys = index.get(v);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(v);
      }
    }
  }
}
