// The ring of recent events a watch can resume from.
import type { KubeObject } from '../../api/meta.js';

export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rev: number;
  key: string;
  obj: KubeObject;
  json: string;
  prev?: KubeObject;
  /** The serialized watch line, filled in on first use and shared by every watcher. */
  line?: string;
}

export class EventWindow {
  private events: CacheEvent[] = [];
  private start = 0;
  /** Every revision after this one is in the window. */
  private oldest = 0;

  constructor(private readonly capacity: number) {}

  reset(revision: number): void {
    this.events = [];
    this.start = 0;
    this.oldest = revision;
  }

  push(ev: CacheEvent): void {
    this.events.push(ev);
    if (this.events.length - this.start > this.capacity) {
      this.oldest = this.events[this.start]!.rev;
      this.start++;
      // Compact the array now and then instead of shifting on every push.
      if (this.start > this.capacity) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** Events after rv, or undefined when rv is older than the window. */
  since(rv: number): CacheEvent[] | undefined {
    if (rv < this.oldest) return undefined;
    const out: CacheEvent[] = [];
    for (let i = this.events.length - 1; i >= this.start; i--) {
      const ev = this.events[i]!;
      if (ev.rev <= rv) break;
      out.push(ev);
    }
    return out.reverse();
  }
}
