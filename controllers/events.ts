// Events the controllers record (upstream's record.EventRecorder with its correlator, cut down):
// the same (object, reason, message) again bumps count and lastTimestamp on the Event already
// written; each object gets at most SPAM_BURST events, refilled one per SPAM_REFILL_MS (upstream's
// EventSourceObjectSpamFilter), so a 1,000-pod ReplicaSet does not write 1,000 events. Writes are
// fire-and-forget through a bounded pool: a controller never waits on an event, and under
// pressure events are dropped (and counted), never the controller's real work.
import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { ObjectReference } from '../api/types/common.js';
import type { Event } from '../api/types/core.js';
import type { Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';

const EVENTS = mustResource('events');
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
/** Remembered objects and messages; the oldest are forgotten first. */
const MEMORY = 4096;
const CONCURRENCY = 4;
const BACKLOG = 1000;

export type EventType = 'Normal' | 'Warning';

/** EventSink is what controllers call; sync fixtures pass a recorder of their own. */
export interface EventSink {
  event(obj: ObjectReference, type: EventType, reason: string, message: string): void;
}

/** refOf: the ObjectReference of an API object (apiVersion and kind as given). */
export function refOf(obj: KubeObject, apiVersion: string, kind: string): ObjectReference {
  const { name, namespace, uid, resourceVersion } = obj.metadata;
  return { apiVersion, kind, name, namespace, uid, resourceVersion };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** takeToken: the spam filter's token bucket, pure; undefined when the object is over its budget. */
export function takeToken(b: Bucket | undefined, now: number): Bucket | undefined {
  const cur = b ?? { tokens: SPAM_BURST, at: now };
  const refill = Math.floor((now - cur.at) / SPAM_REFILL_MS);
  const tokens = Math.min(SPAM_BURST, cur.tokens + refill);
  const at = refill > 0 ? cur.at + refill * SPAM_REFILL_MS : cur.at;
  return tokens > 0 ? { tokens: tokens - 1, at } : undefined;
}

interface Written {
  name: string;
  namespace: string;
  count: number;
}

/** EventRecorder writes Events for one component. */
export class EventRecorder implements EventSink {
  private readonly buckets = new Map<string, Bucket>();
  private readonly written = new Map<string, Written>();
  private readonly waiting: (() => Promise<unknown>)[] = [];
  private running = 0;
  private seq = 0;
  dropped = 0;
  failed = 0;

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
    private readonly component: string,
  ) {}

  event(obj: ObjectReference, type: EventType, reason: string, message: string): void {
    const now = this.clock.now();
    const objKey = `${obj.kind}/${obj.namespace ?? ''}/${obj.name}/${obj.uid ?? ''}`;
    const bucket = takeToken(this.buckets.get(objKey), now);
    if (!bucket) return void this.dropped++;
    remember(this.buckets, objKey, bucket);
    const ts = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    const key = `${objKey}\u0000${type}\u0000${reason}\u0000${message}`;
    const prev = this.written.get(key);
    if (prev) {
      const count = ++prev.count;
      return this.submit(() => this.client.patch(EVENTS, prev.namespace, prev.name, 'merge', { count, lastTimestamp: ts }));
    }
    // Events about cluster-scoped objects (nodes) live in `default`, as upstream's.
    const namespace = obj.namespace || 'default';
    const name = `${obj.name}.${(now * 1000 + (this.seq++ % 1000)).toString(16)}`;
    remember(this.written, key, { name, namespace, count: 1 });
    const ev: Event = {
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace }, involvedObject: obj, reason, message, type,
      source: { component: this.component }, firstTimestamp: ts, lastTimestamp: ts, count: 1, reportingComponent: this.component,
    };
    this.submit(() => this.client.create(EVENTS, namespace, ev as Event & KubeObject));
  }

  /** flush resolves once nothing is queued or running (tests and shutdown). */
  async flush(): Promise<void> {
    while (this.running > 0 || this.waiting.length > 0) await new Promise((r) => setImmediate(r));
  }

  private submit(write: () => Promise<unknown>): void {
    if (this.waiting.length >= BACKLOG) return void this.dropped++;
    this.waiting.push(write);
    this.pump();
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.waiting.length > 0) {
      const write = this.waiting.shift()!;
      this.running++;
      write()
        .catch(() => this.failed++)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}

function remember<V>(m: Map<string, V>, key: string, v: V): void {
  m.delete(key);
  m.set(key, v);
  if (m.size > MEMORY) m.delete(m.keys().next().value!);
}
