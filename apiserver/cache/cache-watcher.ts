// One client's watch on a cache: filters events, turns selector transitions into ADDED/DELETED
// as upstream does, and writes newline-delimited WatchEvent JSON to its sink.
import type { KubeObject } from '../../api/meta.js';
import type { CacheEvent } from './event-window.js';

export type WatchFilter = (obj: KubeObject) => boolean;

export interface WatchSink {
  write(line: string): void;
  end(): void;
  /** Bytes buffered and not yet sent; a watcher that falls this far behind is closed. */
  backlog(): number;
}

export interface CacheWatcherOptions {
  kind: string;
  apiVersion: string;
  bookmarks: boolean;
  revision: () => number;
  bookmarkIntervalMs?: number;
}

const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

export class CacheWatcher {
  private closed = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly filter: WatchFilter,
    private readonly sink: WatchSink,
    private readonly onClose: () => void,
    private readonly opts: CacheWatcherOptions,
  ) {
    if (opts.bookmarks) {
      this.timer = setInterval(() => this.bookmark(), opts.bookmarkIntervalMs ?? 15_000);
      this.timer.unref();
    }
  }

  deliver(ev: CacheEvent): void {
    if (this.closed) return;
    const type = transition(ev, this.filter);
    if (!type) return;
    if (type === ev.type) {
      ev.line ??= watchLine(ev.type, ev.json);
      this.write(ev.line);
    } else {
      this.write(watchLine(type, ev.json));
    }
  }

  bookmark(): void {
    const obj = {
      kind: this.opts.kind,
      apiVersion: this.opts.apiVersion,
      metadata: { resourceVersion: String(this.opts.revision()) },
    };
    this.write(watchLine('BOOKMARK', JSON.stringify(obj)));
  }

  /** The resourceVersion is gone from etcd: tell the client to relist, as upstream's 410 Expired. */
  expire(rv: number): void {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${rv}`,
      reason: 'Expired',
      code: 410,
    };
    this.write(watchLine('ERROR', JSON.stringify(status)));
    this.close();
  }

  private write(line: string): void {
    if (this.closed) return;
    if (this.sink.backlog() > MAX_BACKLOG_BYTES) {
      this.close();
      return;
    }
    this.sink.write(line);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.onClose();
    this.sink.end();
  }
}

export function watchLine(type: string, objectJson: string): string {
  return `{"type":"${type}","object":${objectJson}}\n`;
}

/** What a watcher with this filter sees of ev: the event, ADDED/DELETED when it crosses the filter, or nothing. */
export function transition(ev: CacheEvent, filter: WatchFilter): CacheEvent['type'] | undefined {
  const now = ev.type !== 'DELETED' && filter(ev.obj);
  if (ev.type === 'ADDED') return now ? 'ADDED' : undefined;
  const before = ev.prev ? filter(ev.prev) : false;
  if (ev.type === 'DELETED') return before || filter(ev.obj) ? 'DELETED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}
