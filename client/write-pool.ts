// A bounded pool for fire-and-forget API writes (events, status patches, bindings): at most
// `limit` run at once and at most `backlog` wait; beyond that a write is dropped and counted, so
// a slow API server never stalls the loop that asked for the write nor grows memory without bound
// (upstream's event broadcaster drops under pressure the same way).

/** WritePool runs at most `limit` async writes at once, queueing up to `backlog` more. */
export class WritePool {
  private running = 0;
  private waiting: (() => Promise<unknown>)[] = [];
  private idle: (() => void)[] = [];
  /** dropped counts writes refused because the backlog was full. */
  dropped = 0;
  /** failed counts writes that rejected. */
  failed = 0;

  constructor(
    private readonly limit: number,
    private readonly backlog: number,
  ) {}

  /** run queues fn; false when it was dropped. */
  run(fn: () => Promise<unknown>): boolean {
    if (this.waiting.length >= this.backlog) return (this.dropped++, false);
    this.waiting.push(fn);
    this.next();
    return true;
  }

  /** drain resolves when nothing is running or queued. */
  drain(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private next(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      const fn = this.waiting.shift()!;
      this.running++;
      fn()
        .catch(() => this.failed++)
        .finally(() => {
          this.running--;
          this.next();
          if (this.running === 0 && this.waiting.length === 0) this.idle.splice(0).forEach((r) => r());
        });
    }
  }
}
