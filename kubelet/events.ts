// Events the agent records about pods and its node, aggregated as upstream's event correlator
// does: the same (object, reason, message) again bumps count and lastTimestamp on the existing
// Event instead of making a new one. Writes are fire-and-forget; the agent never waits on them.

import { mustResource } from '../api/registry.js';
import type { Event } from '../api/types/core.js';
import type { ObjectReference } from '../api/types/common.js';
import type { Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';
import { rfc3339 } from './time.js';

const EVENTS = mustResource('events');

interface Seen {
  name: string;
  count: number;
  write: Promise<void>;
}

/** EventRecorder writes Events for one component on one host. */
export class EventRecorder {
  private seen = new Map<string, Seen>();
  private seq = 0;
  failures = 0;

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
    private readonly host: string,
    private readonly component = 'kubelet',
  ) {}

  /** record emits (or aggregates) one event about obj. */
  record(obj: ObjectReference, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const key = [obj.uid, obj.fieldPath, reason, message].join('\u0000');
    const prev = this.seen.get(key);
    const now = rfc3339(this.clock.now());
    if (prev) {
      prev.count++;
      const count = prev.count;
      prev.write = prev.write.then(() => this.bump(obj.namespace ?? 'default', prev.name, count, now));
      return;
    }
    const name = `${obj.name}.${(this.clock.now() * 1000 + (this.seq++ % 1000)).toString(16)}`;
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: obj.namespace ?? 'default' },
      involvedObject: obj,
      reason,
      message,
      type,
      source: { component: this.component, host: this.host },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    this.seen.set(key, { name, count: 1, write: this.create(ev) });
  }

  /** flush waits for the writes in flight (tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.seen.values()].map((s) => s.write));
  }

  private async create(ev: Event): Promise<void> {
    try {
      await this.client.create(EVENTS, ev.metadata.namespace, ev as unknown as Parameters<RestClient['create']>[2]);
    } catch {
      this.failures++;
    }
  }

  private async bump(ns: string, name: string, count: number, lastTimestamp: string): Promise<void> {
    try {
      await this.client.patch(EVENTS, ns, name, 'merge', { count, lastTimestamp });
    } catch {
      this.failures++;
    }
  }
}

/** podRef is the ObjectReference of a pod, or of one of its containers with a fieldPath. */
export function podRef(pod: { metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } }, container?: string, init = false): ObjectReference {
  const ref: ObjectReference = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid };
  if (container) ref.fieldPath = `spec.${init ? 'initContainers' : 'containers'}{${container}}`;
  return ref;
}
