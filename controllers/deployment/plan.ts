// Rolling-update arithmetic as pure functions (upstream deployment_util.go and rolling.go).
// Replica counts are spec.replicas of the ReplicaSets; availability is their status.
import type { IntOrString } from '../../api/types/common.js';
import type { DeploymentObj, ReplicaSetObj } from '../replicaset/objects.js';
import { creationMs } from '../replicaset/objects.js';

/**
 * scaledValue resolves an int-or-percent against total: 3 → 3, "25%" of 10 → 2.5 → 3 rounding
 * up (maxSurge) or 2 rounding down (maxUnavailable), as intstr.GetScaledValueFromIntOrPercent.
 */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return /^\d+$/.test(v) ? Number(v) : 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * resolveFenceposts returns [surge, unavailable]; both zero would deadlock a rollout, so then
 * unavailable becomes 1 (upstream ResolveFenceposts). E.g. 25%/25% of 10 → surge 3, unavailable 2.
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? '25%', desired, true);
  const unavailable = scaledValue(maxUnavailable ?? '25%', desired, false);
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

/** replicasOf is spec.replicas with the API default of 1. */
export function replicasOf(o: { spec: { replicas?: number } }): number {
  return o.spec.replicas ?? 1;
}

function isRolling(d: DeploymentObj): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge: the resolved surge for a RollingUpdate deployment, else 0. */
export function maxSurge(d: DeploymentObj): number {
  if (!isRolling(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d))[0];
}

/** maxUnavailable: resolved, capped at replicas; 0 for Recreate or zero replicas. */
export function maxUnavailable(d: DeploymentObj): number {
  const replicas = replicasOf(d);
  if (!isRolling(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(replicas, resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas)[1]);
}

/** sumReplicas / sumAvailable over ReplicaSets (spec, status). */
export function sumReplicas(rss: ReplicaSetObj[]): number {
  return rss.reduce((n, rs) => n + replicasOf(rs), 0);
}

export function sumAvailable(rss: ReplicaSetObj[]): number {
  return rss.reduce((n, rs) => n + availableOf(rs), 0);
}

/**
 * sumPods counts each RS as the larger of its spec and status.replicas: an RS just scaled down
 * still has its pods until its controller deletes them.
 */
export function sumPods(rss: ReplicaSetObj[]): number {
  return rss.reduce((n, rs) => n + Math.max(replicasOf(rs), rs.status?.replicas ?? 0), 0);
}

/**
 * availableOf: status.availableReplicas, but never more than spec.replicas — right after a
 * scale-down the status still counts pods that are being deleted, and counting them would let
 * the next step scale down too far.
 */
export function availableOf(rs: ReplicaSetObj): number {
  return Math.min(rs.status?.availableReplicas ?? 0, replicasOf(rs));
}

/**
 * newRSNewReplicas: the new RS's target for this step. Rolling: grow into the surge room,
 * e.g. 10 replicas, surge 2, RSs at old 10 + new 0 → new 2; Recreate: straight to replicas.
 */
export function newRSNewReplicas(d: DeploymentObj, all: ReplicaSetObj[], newRS: ReplicaSetObj): number {
  if (!isRolling(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + maxSurge(d);
  // Counting pods not yet deleted keeps the surge a bound on pods that exist, where upstream's
  // spec-only sum lets a new pod appear before the old one is gone (seen: 13 pods for 10 + 2).
  const current = sumPods(all);
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/** byCreation sorts oldest first (name breaks ties), as upstream's ReplicaSetsByCreationTimestamp. */
export function byCreation(a: ReplicaSetObj, b: ReplicaSetObj): number {
  return creationMs(a) - creationMs(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** ScaleStep: set this ReplicaSet's replicas. */
export interface ScaleStep {
  rs: ReplicaSetObj;
  replicas: number;
}

/**
 * planOldScaleDown: how far to scale old RSs down this step (upstream reconcileOldReplicaSets).
 * Worked example: replicas 10, maxUnavailable 1 → minAvailable 9. Old 10 (10 available), new 2
 * (0 available): maxScaledDown = 12 - 9 - 2 = 1; no unhealthy old pods; available 10 - 9 = 1,
 * so old goes 10 → 9.
 */
export function planOldScaleDown(d: DeploymentObj, oldRSs: ReplicaSetObj[], newRS: ReplicaSetObj | undefined): ScaleStep[] {
  if (sumReplicas(oldRSs) === 0) return [];
  const all = newRS ? [...oldRSs, newRS] : oldRSs;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = newRS ? replicasOf(newRS) - availableOf(newRS) : 0;
  const maxScaledDown = sumReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const olds = [...oldRSs].sort(byCreation).map((rs) => ({ rs, replicas: replicasOf(rs), available: availableOf(rs) }));
  cleanupUnhealthy(olds, maxScaledDown);
  scaleDownHealthy(olds, minAvailable - (newRS ? availableOf(newRS) : 0));
  return olds.filter((o) => o.replicas !== replicasOf(o.rs)).map(({ rs, replicas }) => ({ rs, replicas }));
}

interface OldState {
  rs: ReplicaSetObj;
  replicas: number;
  available: number;
}

// Unavailable old pods go first: removing them costs no availability (cleanupUnhealthyReplicas).
function cleanupUnhealthy(olds: OldState[], maxCleanup: number): void {
  let done = 0;
  for (const o of olds) {
    if (done >= maxCleanup) break;
    const unhealthy = o.replicas - o.available;
    if (o.replicas === 0 || unhealthy <= 0) continue;
    const n = Math.min(maxCleanup - done, unhealthy);
    o.replicas -= n;
    done += n;
  }
}

// Then available old pods, oldest RS first, keeping total availability at minAvailable.
// `minOldAvailable` is minAvailable less what the new RS already provides.
function scaleDownHealthy(olds: OldState[], minOldAvailable: number): void {
  const available = olds.reduce((n, o) => n + Math.min(o.available, o.replicas), 0);
  const total = available - minOldAvailable;
  let done = 0;
  for (const o of olds) {
    if (done >= total) break;
    if (o.replicas === 0) continue;
    const n = Math.min(o.replicas, total - done);
    o.replicas -= n;
    done += n;
  }
}
