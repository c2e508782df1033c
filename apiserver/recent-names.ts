// Names remembered for a while: e.g. the namespaces this server deleted in the last 30 s, which
// must be looked up in etcd until its watch cache has surely caught up.

/** How long a deleted namespace is looked up live (upstream NamespaceLifecycle: forceLiveLookupTTL). */
export const NAMESPACE_LIVE_LOOKUP_MS = 30_000;

/** RecentNames holds names added in the last ttlMs. */
export class RecentNames {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(name: string): void {
    const now = this.now();
    // Names nobody asks about again would otherwise stay for the server's life.
    for (const [n, until] of this.until) if (until <= now) this.until.delete(n);
    this.until.set(name, now + this.ttlMs);
  }

  /** has tells whether name was added less than ttlMs ago (and forgets it once expired). */
  has(name: string): boolean {
    const until = this.until.get(name);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.until.delete(name);
    return false;
  }
}
