// A scripted ListerWatcher for informer tests: lists answer from a queue, and each watch is a
// channel the test pushes events into, ends, or fails.

import type { KubeList, KubeObject, WatchEvent } from '../../../api/meta.js';
import type { ListerWatcher, LwWatchOptions } from '../../../client/lister-watcher.js';

export class WatchChannel implements AsyncIterable<WatchEvent> {
  private buffer: (WatchEvent | Error | null)[] = [];
  private wake?: () => void;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.wake?.());
  }

  push(...events: WatchEvent[]): void {
    this.buffer.push(...events);
    this.wake?.();
  }

  end(): void {
    this.buffer.push(null);
    this.wake?.();
  }

  fail(err: Error): void {
    this.buffer.push(err);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent> {
    for (;;) {
      if (this.signal.aborted) return;
      const next = this.buffer.shift();
      if (next === null) return;
      if (next instanceof Error) throw next;
      if (next) yield next;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

export class FakeListerWatcher implements ListerWatcher {
  lists: (KubeList | Error)[] = [];
  watchOpenErrors: Error[] = [];
  listCalls = 0;
  watches: { opts: LwWatchOptions; ch: WatchChannel }[] = [];

  async list(): Promise<KubeList> {
    this.listCalls++;
    const next = this.lists.shift();
    if (!next) throw new Error('unexpected list');
    if (next instanceof Error) throw next;
    return next;
  }

  watch(opts: LwWatchOptions): AsyncIterable<WatchEvent> {
    const err = this.watchOpenErrors.shift();
    const ch = new WatchChannel(opts.signal);
    this.watches.push({ opts, ch });
    if (err) ch.fail(err);
    return ch;
  }

  /** current is the newest watch channel. */
  get current(): WatchChannel {
    return this.watches[this.watches.length - 1].ch;
  }
}

export function pod(name: string, rv: string, extra: { ns?: string; node?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: extra.ns ?? 'default', resourceVersion: rv },
    spec: extra.node ? { nodeName: extra.node } : {},
  };
}

export function podList(rv: string, ...items: KubeObject[]): KubeList {
  return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: rv }, items };
}

/** settle lets the informer's async loop run until it blocks again (no timers involved). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
