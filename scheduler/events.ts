// Events and the PodScheduled condition: the scheduler's only writes besides bindings and
// evictions. Events go through client/events.ts (aggregation, counts, spam filter) on the
// scheduler's write pool, so a slow API never stalls the scheduling loop.

import { rfc3339 } from '../api/time.js';
import type { Pod } from '../api/types/index.js';
import type { Clock } from '../client/clock.js';
import { EventRecorder, refOf, type EventType } from '../client/events.js';
import type { RestClient } from '../client/rest.js';
import type { WritePool } from '../client/write-pool.js';

/**
 * PodEventRecorder records the scheduler's events about pods through the shared recorder, with
 * events/v1's action: Binding for Scheduled, Scheduling for the rest.
 */
export class PodEventRecorder {
  private readonly recorder: EventRecorder;

  constructor(client: RestClient, clock: Clock, pool: WritePool, component = 'default-scheduler') {
    this.recorder = new EventRecorder(client, clock, { component }, pool);
  }

  event(pod: Pod, type: EventType, reason: string, message: string): void {
    this.recorder.event(refOf(pod, 'v1', 'Pod'), type, reason, message, reason === 'Scheduled' ? 'Binding' : 'Scheduling');
  }
}

/** unschedulableStatusPatch is the merge patch setting PodScheduled=False (and nominatedNodeName); undefined when already so. */
export function unschedulableStatusPatch(pod: Pod, message: string, now: number, nominated?: string): object | undefined {
  const conds = pod.status?.conditions ?? [];
  const cur = conds.find((c) => c.type === 'PodScheduled');
  const same = cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message;
  if (same && (!nominated || pod.status?.nominatedNodeName === nominated)) return undefined;
  const ts = rfc3339(now);
  const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: cur?.status === 'False' ? cur.lastTransitionTime : ts };
  const status: Record<string, unknown> = { conditions: [...conds.filter((c) => c.type !== 'PodScheduled'), cond] };
  if (nominated) status.nominatedNodeName = nominated;
  return { status };
}
