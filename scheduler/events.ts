// Events and the PodScheduled condition: the scheduler's only writes besides bindings and
// evictions. Writes are fire-and-forget through a small bounded pool so a slow API never
// stalls the scheduling loop; when the backlog is full, new events are dropped and counted
// (upstream's event broadcaster also drops under pressure).

import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Event, Pod } from '../api/types/index.js';
import type { Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';

/** WritePool runs at most `limit` async writes at once, queueing up to `backlog` more. */
export class WritePool {
  private running = 0;
  private waiting: (() => Promise<unknown>)[] = [];
  dropped = 0;
  failed = 0;
  private idle: (() => void)[] = [];

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

/** podEvent builds a core/v1 Event about pod, named like upstream's `pod.<hex time>`. */
export function podEvent(pod: Pod, type: string, reason: string, message: string, now: number, component: string, seq: number): Event {
  const ts = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.${(now * 1000 + seq).toString(16)}`, namespace: pod.metadata.namespace },
    involvedObject: {
      apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name,
      uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion,
    },
    reason, message, type, count: 1, firstTimestamp: ts, lastTimestamp: ts,
    source: { component }, reportingComponent: component, action: reason === 'Scheduled' ? 'Binding' : 'Scheduling',
  };
}

/** EventRecorder posts events through a WritePool. */
export class EventRecorder {
  private seq = 0;

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
    readonly pool: WritePool,
    private readonly component = 'default-scheduler',
  ) {}

  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const ev = podEvent(pod, type, reason, message, this.clock.now(), this.component, this.seq++ % 1000);
    this.pool.run(() => this.client.create(mustResource('events'), pod.metadata.namespace, ev as Event & KubeObject));
  }
}

/** unschedulableStatusPatch is the merge patch setting PodScheduled=False (and nominatedNodeName); undefined when already so. */
export function unschedulableStatusPatch(pod: Pod, message: string, now: number, nominated?: string): object | undefined {
  const conds = pod.status?.conditions ?? [];
  const cur = conds.find((c) => c.type === 'PodScheduled');
  const same = cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message;
  if (same && (!nominated || pod.status?.nominatedNodeName === nominated)) return undefined;
  const ts = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: cur?.status === 'False' ? cur.lastTransitionTime : ts };
  const status: Record<string, unknown> = { conditions: [...conds.filter((c) => c.type !== 'PodScheduled'), cond] };
  if (nominated) status.nominatedNodeName = nominated;
  return { status };
}
