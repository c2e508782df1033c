// Events as upstream's record.EventRecorder writes them (client-go tools/record): a correlator
// decides what to write, a recorder writes it. One recorder per component (its source).
//
// The correlator, as upstream's EventCorrelator, in this order:
//  - aggregation: once an object's events of one type and reason have had 10 different messages
//    within 10 minutes, each further one is folded into a single Event whose message reads
//    "(combined from similar events): <latest message>";
//  - dedup: the same (object, fieldPath, type, reason, message) again bumps count and
//    lastTimestamp on the Event already written instead of making a new one;
//  - spam filter: each object gets SPAM_BURST events, refilled one per SPAM_REFILL_MS (upstream's
//    EventSourceObjectSpamFilter), so a 1,000-pod ReplicaSet does not write 1,000 events.
// Writes are fire-and-forget through a bounded WritePool: a component never waits on an event,
// and under pressure events are dropped (and counted), never the component's real work. The
// writes of one Event are serialised and coalesced: a bump while its create is in flight is sent
// after it, with the latest count; a bump whose Event is gone (404) creates it again.

import { isStatusError } from '../api/errors.js';
import type { KubeObject, ObjectMeta } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import { rfc3339 } from '../api/time.js';
import type { ObjectReference } from '../api/types/common.js';
import type { Event } from '../api/types/core.js';
import type { Clock } from './clock.js';
import type { RestClient } from './rest.js';
import { WritePool } from './write-pool.js';

const EVENTS = mustResource('events');
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
export const COMBINED_PREFIX = '(combined from similar events): ';
/** Remembered objects, messages and events; the least recently used are forgotten first (upstream: 4096). */
const MEMORY = 4096;
/** The recorder's own pool, when the component does not share one. */
const CONCURRENCY = 4;
const BACKLOG = 1000;
const SEP = '\u0000';

export type EventType = 'Normal' | 'Warning';

/** EventSink is what components record through; sync fixtures pass a recorder of their own. */
export interface EventSink {
  event(obj: ObjectReference, type: EventType, reason: string, message: string, action?: string): void;
}

/** EventSource names who records: the component, and the node for node agents. */
export interface EventSource {
  component: string;
  host?: string;
}

/** Referable is what refOf needs of an object. */
export type Referable = { metadata: Pick<ObjectMeta, 'name' | 'namespace' | 'uid' | 'resourceVersion'> };

/** refOf: the ObjectReference of an API object (apiVersion and kind as given), or of a part of it with fieldPath. */
export function refOf(obj: Referable, apiVersion: string, kind: string, fieldPath?: string): ObjectReference {
  const { name, namespace, uid, resourceVersion } = obj.metadata;
  const ref: ObjectReference = { apiVersion, kind, name, namespace, uid, resourceVersion };
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}

/** newEvent builds the core/v1 Event (count 1) that source records about obj at now, named `<name>.<hex time>` as upstream's. */
export function newEvent(obj: ObjectReference, type: EventType, reason: string, message: string, source: EventSource, now: number, seq: number, action?: string): Event {
  const ts = rfc3339(now);
  const ev: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    // Events about cluster-scoped objects (nodes) live in `default`, as upstream's.
    metadata: { name: `${obj.name}.${(now * 1000 + seq).toString(16)}`, namespace: obj.namespace || 'default' },
    involvedObject: obj,
    reason,
    message,
    type,
    source: { ...source },
    firstTimestamp: ts,
    lastTimestamp: ts,
    count: 1,
    reportingComponent: source.component,
  };
  if (source.host) ev.reportingInstance = source.host;
  if (action) ev.action = action;
  return ev;
}

/** Bucket is the spam filter's token bucket for one object. */
export interface Bucket {
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

/** Similar: the different messages of one object's events of one type and reason, and when the last came. */
export interface Similar {
  messages: readonly string[];
  at: number;
}

/**
 * aggregate adds message to rec (started afresh after AGGREGATE_INTERVAL_MS of quiet), pure.
 * combined: this is the AGGREGATE_MAX_EVENTS-th different message, so it goes into the combined
 * Event; the oldest message is then forgotten, so every further new message is combined too.
 */
export function aggregate(rec: Similar | undefined, message: string, now: number): { rec: Similar; combined: boolean } {
  const seen = !rec || now - rec.at > AGGREGATE_INTERVAL_MS ? [] : rec.messages.filter((m) => m !== message);
  const messages = [...seen, message];
  if (messages.length < AGGREGATE_MAX_EVENTS) return { rec: { messages, at: now }, combined: false };
  return { rec: { messages: messages.slice(1), at: now }, combined: true };
}

/** Correlation is one recorded event as it should now be written, and the key it is deduplicated under. */
export interface Correlation {
  key: string;
  event: Event;
}

interface Observed {
  name: string;
  firstTimestamp: string;
  count: number;
}

/** EventCorrelator aggregates, counts and spam-filters one source's events; no I/O, time is passed in. */
export class EventCorrelator {
  private readonly similar = new Map<string, Similar>();
  private readonly observed = new Map<string, Observed>();
  private readonly buckets = new Map<string, Bucket>();

  /** correlate returns what to write for ev (count > 1: a repeat of an Event already written); undefined when filtered. */
  correlate(ev: Event, now: number): Correlation | undefined {
    const o = ev.involvedObject;
    const objKey = [o.kind, o.namespace, o.name, o.uid, o.apiVersion].join(SEP);
    const aggKey = [objKey, ev.type, ev.reason].join(SEP);
    const { rec, combined } = aggregate(this.similar.get(aggKey), ev.message ?? '', now);
    remember(this.similar, aggKey, rec);
    const key = combined ? aggKey : [aggKey, o.fieldPath, ev.message].join(SEP);
    const base = combined ? { ...ev, message: COMBINED_PREFIX + (ev.message ?? '') } : ev;
    const prev = this.observed.get(key);
    const event = prev ? { ...base, metadata: { ...base.metadata, name: prev.name }, firstTimestamp: prev.firstTimestamp, count: prev.count + 1 } : base;
    remember(this.observed, key, { name: event.metadata.name!, firstTimestamp: event.firstTimestamp!, count: event.count! });
    const bucket = takeToken(this.buckets.get(objKey), now);
    if (!bucket) return undefined;
    remember(this.buckets, objKey, bucket);
    return { key, event };
  }
}

/** InFlight is one Event being written: the latest version to send, and whether it is yet to be created. */
interface InFlight {
  latest: Event;
  again: boolean;
  create: boolean;
}

/** EventRecorder writes one source's Events through a RestClient. */
export class EventRecorder implements EventSink {
  private readonly correlator = new EventCorrelator();
  private readonly inFlight = new Map<string, InFlight>();
  private seq = 0;
  /** dropped counts events the spam filter or a full pool refused. */
  dropped = 0;
  /** failed counts writes the API server refused. */
  failed = 0;

  /** pool: a component's shared write pool; by default the recorder has its own small one. */
  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
    private readonly source: EventSource,
    private readonly pool = new WritePool(CONCURRENCY, BACKLOG),
  ) {}

  /** event records (or counts up) one event about obj; action is events/v1's (e.g. the scheduler's Binding). */
  event(obj: ObjectReference, type: EventType, reason: string, message: string, action?: string): void {
    const now = this.clock.now();
    const c = this.correlator.correlate(newEvent(obj, type, reason, message, this.source, now, this.seq++ % 1000, action), now);
    if (!c) return void this.dropped++;
    const busy = this.inFlight.get(c.key);
    if (busy) {
      busy.latest = c.event;
      busy.again = true;
      return;
    }
    const w: InFlight = { latest: c.event, again: false, create: c.event.count === 1 };
    this.inFlight.set(c.key, w);
    if (!this.pool.run(() => this.send(c.key, w))) {
      this.inFlight.delete(c.key);
      this.dropped++;
    }
  }

  /** flush resolves once the pool has nothing queued or running (tests and shutdown). */
  flush(): Promise<void> {
    return this.pool.drain();
  }

  private async send(key: string, w: InFlight): Promise<void> {
    try {
      do {
        w.again = false;
        const create = w.create;
        w.create = false;
        await this.write(w.latest, create).catch(() => this.failed++);
      } while (w.again);
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** write creates a first occurrence and patches a repeat; a repeat whose Event is gone is created again, as upstream's recordToSink. */
  private async write(ev: Event, first: boolean): Promise<void> {
    const ns = ev.metadata.namespace!;
    const create = () => this.client.create(EVENTS, ns, ev as Event & KubeObject);
    if (first) return void (await create());
    try {
      await this.client.patch(EVENTS, ns, ev.metadata.name!, 'merge', { count: ev.count, lastTimestamp: ev.lastTimestamp, message: ev.message });
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
      await create();
    }
  }
}

function remember<V>(m: Map<string, V>, key: string, v: V): void {
  m.delete(key);
  m.set(key, v);
  if (m.size > MEMORY) m.delete(m.keys().next().value!);
}
