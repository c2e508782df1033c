// Secondary indexes of the watch cache: index name -> value -> keys.
import type { KubeObject } from '../../api/meta.js';

export type IndexFunc = (obj: KubeObject) => string | undefined;

export class Indexer {
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly funcs: Record<string, IndexFunc>) {
    for (const name of Object.keys(funcs)) this.indexes.set(name, new Map());
  }

  has(name: string): boolean {
    return this.indexes.has(name);
  }

  clear(): void {
    for (const idx of this.indexes.values()) idx.clear();
  }

  update(key: string, prev: KubeObject | undefined, next: KubeObject | undefined): void {
    for (const [name, fn] of Object.entries(this.funcs)) {
      const idx = this.indexes.get(name)!;
      const before = prev ? fn(prev) : undefined;
      const after = next ? fn(next) : undefined;
      if (before === after) continue;
      if (before !== undefined) idx.get(before)?.delete(key);
      if (after !== undefined) {
        if (!idx.has(after)) idx.set(after, new Set());
        idx.get(after)!.add(key);
      }
    }
  }

  keys(name: string, value: string): Set<string> {
    return this.indexes.get(name)?.get(value) ?? new Set();
  }
}
