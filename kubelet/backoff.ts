// Per-key exponential back-off with upstream's semantics (client-go util/flowcontrol/backoff.go),
// used for container restarts (CrashLoopBackOff) and image pulls (ImagePullBackOff). Time is an
// argument: the caller passes `now`, so the class holds state but never reads a clock.

/** BackoffSettings: first delay and cap in ms (upstream: 10 s doubling to 5 min). */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

/** DEFAULT_CRASH_BACKOFF is kubelet's container restart back-off. */
export const DEFAULT_CRASH_BACKOFF: BackoffSettings = { initialMs: 10_000, maxMs: 300_000 };

/**
 * Backoff tracks one delay per key. An entry left alone for twice the cap (10 min with the
 * defaults) has expired: the next failure starts again from initialMs, which is how a container
 * that ran fine for 10 minutes gets its back-off reset.
 */
export class Backoff {
  private entries = new Map<string, Entry>();

  constructor(readonly settings: BackoffSettings) {}

  /**
   * remaining is how long `key` must still wait when its last failure was at eventTime
   * (IsInBackOffSince). Example: delay 20 s, failure at t=100 s, now 105 s → 15 000 ms.
   */
  remaining(key: string, eventTime: number, now: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) return 0;
    return Math.max(0, eventTime + e.backoffMs - now);
  }

  /** next records an attempt at now: the delay starts at initialMs and doubles up to maxMs. */
  next(key: string, now: number): number {
    const e = this.entries.get(key);
    const backoffMs = !e || this.expired(e, now) ? this.settings.initialMs : Math.min(e.backoffMs * 2, this.settings.maxMs);
    this.entries.set(key, { backoffMs, lastUpdate: now });
    return backoffMs;
  }

  /** current is the delay now in force for key (0 when none). */
  current(key: string, now: number): number {
    const e = this.entries.get(key);
    return e && !this.expired(e, now) ? e.backoffMs : 0;
  }

  /** remainingSinceLast is the wait left since the last next() call for key (0 when none). */
  remainingSinceLast(key: string, now: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.lastUpdate + e.backoffMs - now) : 0;
  }

  /** reset forgets key. */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** gc drops expired entries. */
  gc(now: number): void {
    for (const [k, e] of this.entries) if (this.expired(e, now)) this.entries.delete(k);
  }

  private expired(e: Entry, now: number): boolean {
    return now - e.lastUpdate > this.settings.maxMs * 2;
  }
}
