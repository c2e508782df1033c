// Serialises work per key (a container or sandbox id): a stop racing a remove of the same
// container runs one after the other, while different containers proceed in parallel.

/** KeyedLock runs at most one function per key at a time, in call order. */
export class KeyedLock {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** size is the number of keys with work queued or running (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
