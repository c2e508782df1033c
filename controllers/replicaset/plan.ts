// The ReplicaSet controller's decisions as pure functions: how many pods to create or which to
// delete (upstream manageReplicas), the status to write (calculateStatus), and when to look
// again because a ready pod is about to pass minReadySeconds.
import type { ReplicaSetStatus } from '../../api/types/apps.js';
import type { Pod } from '../../api/types/pod.js';
import type { Condition } from '../../api/types/common.js';
import { rfc3339 } from '../../api/time.js';
import { availableInMs, isPodReady, type ReplicaSetObj } from './objects.js';
import { podsToDelete } from './ranking.js';

/** BURST_REPLICAS caps creates or deletes per sync, as upstream's BurstReplicas. */
export const BURST_REPLICAS = 500;

/** ReplicaPlan: create `create` pods, or delete `remove`; never both. */
export interface ReplicaPlan<P extends Pod> {
  create: number;
  remove: P[];
}

/** planReplicas compares active owned pods with spec.replicas, capped at burst per sync. */
export function planReplicas<P extends Pod>(rs: ReplicaSetObj, active: P[], burst = BURST_REPLICAS): ReplicaPlan<P> {
  const diff = active.length - (rs.spec.replicas ?? 1);
  if (diff < 0) return { create: Math.min(-diff, burst), remove: [] };
  return { create: 0, remove: podsToDelete(active, Math.min(diff, burst)) };
}

function hasLabels(labels: Record<string, string> | undefined, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => labels?.[k] === v);
}

/**
 * calculateStatus counts active owned pods, as upstream's calculateStatus; `createError` (the
 * message of a failed create in this sync) sets ReplicaFailure=True/FailedCreate, success removes it.
 */
export function calculateStatus(rs: ReplicaSetObj, active: Pod[], now: number, createError?: string): ReplicaSetStatus {
  const templateLabels = rs.spec.template?.metadata?.labels ?? {};
  const minReady = rs.spec.minReadySeconds ?? 0;
  const status: ReplicaSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((p) => hasLabels(p.metadata.labels, templateLabels)).length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => availableInMs(p, minReady, now) === 0).length,
    observedGeneration: rs.metadata.generation,
  };
  const conditions = replicaFailure(rs.status?.conditions ?? [], createError, now);
  if (conditions.length) status.conditions = conditions;
  return status;
}

function replicaFailure(conds: Condition[], createError: string | undefined, now: number): Condition[] {
  const others = conds.filter((c) => c.type !== 'ReplicaFailure');
  if (createError === undefined) return others;
  const prev = conds.find((c) => c.type === 'ReplicaFailure');
  const lastTransitionTime = prev?.status === 'True' ? prev.lastTransitionTime : rfc3339(now);
  return [...others, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: createError, lastTransitionTime }];
}

/**
 * nextAvailabilityCheckMs: the delay until the first ready-but-not-yet-available pod passes
 * minReadySeconds (plus 1 ms so it has), or undefined when no pod is waiting for that.
 */
export function nextAvailabilityCheckMs(rs: ReplicaSetObj, active: Pod[], now: number): number | undefined {
  const minReady = rs.spec.minReadySeconds ?? 0;
  if (minReady <= 0) return undefined;
  const waits = active.map((p) => availableInMs(p, minReady, now)).filter((w): w is number => w !== undefined && w > 0);
  return waits.length ? Math.min(...waits) + 1 : undefined;
}

/** statusEqual compares statuses ignoring key order and zero/absent differences. */
export function statusEqual(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const norm = (s: ReplicaSetStatus | undefined) =>
    JSON.stringify({
      r: s?.replicas ?? 0, f: s?.fullyLabeledReplicas ?? 0, rd: s?.readyReplicas ?? 0,
      a: s?.availableReplicas ?? 0, g: s?.observedGeneration ?? 0, c: s?.conditions ?? [],
    });
  return norm(a) === norm(b);
}
