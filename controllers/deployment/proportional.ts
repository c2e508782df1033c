// Proportional scaling (upstream sync.go scale/getProportion): when replicas change in the middle
// of a rollout, the difference is shared among the active ReplicaSets in proportion to their size,
// so the rollout's shape is kept. Pure: returns the new replica count per ReplicaSet.
import type { DeploymentObj, ReplicaSetObj } from '../replicaset/objects.js';
import { creationMs } from '../replicaset/objects.js';
import { maxSurge, replicasOf, sumReplicas, type ScaleStep } from './plan.js';

/** Annotations kept on ReplicaSets for proportional scaling. */
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

function intAnnotation(rs: ReplicaSetObj, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** isScalingEvent: some active RS was sized for a different replicas count than the deployment's. */
export function isScalingEvent(d: DeploymentObj, rss: ReplicaSetObj[]): boolean {
  return rss.some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS);
    return replicasOf(rs) > 0 && desired !== undefined && desired !== replicasOf(d);
  });
}

/** isSaturated: the new RS alone runs everything, fully available. */
export function isSaturated(d: DeploymentObj, newRS: ReplicaSetObj | undefined): boolean {
  if (!newRS) return false;
  const n = replicasOf(d);
  return replicasOf(newRS) === n && intAnnotation(newRS, DESIRED_REPLICAS) === n && (newRS.status?.availableReplicas ?? 0) === n;
}

// Go's math.Round: halves away from zero.
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** fraction: how much this RS would grow (or shrink) at the new size (getReplicaSetFraction). */
function fraction(rs: ReplicaSetObj, d: DeploymentObj): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const target = replicasOf(d) + maxSurge(d);
  const annotated = intAnnotation(rs, MAX_REPLICAS) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundHalfAway((replicasOf(rs) * target) / annotated) - replicasOf(rs);
}

function proportion(rs: ReplicaSetObj, d: DeploymentObj, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(rs, d);
  return toAdd > 0 ? Math.min(f, toAdd - added) : Math.max(f, toAdd - added);
}

/**
 * planProportionalScale: new sizes for active RSs so they sum to replicas + maxSurge.
 * E.g. replicas 10 → 20 (surge 25% → 5) mid-rollout with old 8 + new 5, both annotated
 * max-replicas 13: 25 - 13 = 12 to add; old (larger) gets round(8·25/13) - 8 = 7, new the rest, 5.
 */
export function planProportionalScale(d: DeploymentObj, active: ReplicaSetObj[]): ScaleStep[] {
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - sumReplicas(active);
  const order = [...active].sort((a, b) => bySize(a, b, toAdd > 0));
  const steps = order.map((rs) => ({ rs, replicas: replicasOf(rs) }));
  let added = 0;
  for (const s of steps) {
    const p = proportion(s.rs, d, toAdd, added);
    s.replicas += p;
    added += p;
  }
  if (steps.length && toAdd - added !== 0) steps[0]!.replicas += toAdd - added;
  return steps.map((s) => ({ ...s, replicas: Math.max(0, s.replicas) }));
}

// Larger first; among equals newer first when growing (ReplicaSetsBySizeNewer), older when shrinking.
function bySize(a: ReplicaSetObj, b: ReplicaSetObj, newerFirst: boolean): number {
  const d = replicasOf(b) - replicasOf(a);
  if (d !== 0) return d;
  return newerFirst ? creationMs(b) - creationMs(a) : creationMs(a) - creationMs(b);
}
