// Deployment status and the Progressing/Available conditions (upstream sync.go calculateStatus,
// progress.go syncRolloutStatus and requeueStuckDeployment), as pure functions of the
// deployment, its ReplicaSets and now.
import type { DeploymentStatus } from '../../api/types/apps.js';
import type { DeploymentObj, ReplicaSetObj } from '../replicaset/objects.js';
import { getCondition, newCondition, Reason, removeCondition, setCondition } from './conditions.js';
import { maxUnavailable, replicasOf } from './plan.js';

/** calculateStatus sums the ReplicaSets' status and sets the Available condition. */
export function calculateStatus(d: DeploymentObj, all: ReplicaSetObj[], newRS: ReplicaSetObj | undefined, now: number): DeploymentStatus {
  const sum = (f: (rs: ReplicaSetObj) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const available = sum((rs) => rs.status?.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicasOf(d) - available),
    conditions: d.status?.conditions ? structuredClone(d.status.conditions) : undefined,
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const ok = available >= replicasOf(d) - maxUnavailable(d);
  setCondition(status, ok
    ? newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now)
    : newCondition('Available', 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  return status;
}

/** hasProgressDeadline: progressDeadlineSeconds is set and not "infinite". */
export function hasProgressDeadline(d: DeploymentObj): boolean {
  const s = d.spec.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}

/** deploymentComplete: every replica updated and available, and the spec observed. */
export function deploymentComplete(d: DeploymentObj, s: DeploymentStatus): boolean {
  const n = replicasOf(d);
  return s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** deploymentProgressing: more updated/ready/available pods, or fewer old ones, than before. */
export function deploymentProgressing(d: DeploymentObj, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld ||
    (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

/** deploymentTimedOut: no progress reported for progressDeadlineSeconds since the last update. */
export function deploymentTimedOut(d: DeploymentObj, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === Reason.NewRSAvailable) return false;
  if (c.reason === Reason.TimedOut) return true;
  return Date.parse(c.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds! * 1000 < now;
}

/** rolloutStatus: calculateStatus plus the Progressing condition (syncRolloutStatus). */
export function rolloutStatus(d: DeploymentObj, all: ReplicaSetObj[], newRS: ReplicaSetObj | undefined, now: number): DeploymentStatus {
  const s = calculateStatus(d, all, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(s, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === Reason.NewRSAvailable;
  if (hasProgressDeadline(d) && !complete && newRS) setProgressing(d, s, newRS.metadata.name!, now);
  setReplicaFailure(s, all, now);
  return s;
}

function setProgressing(d: DeploymentObj, s: DeploymentStatus, rsName: string, now: number): void {
  const cur = getCondition(s, 'Progressing');
  if (deploymentComplete(d, s)) {
    setCondition(s, newCondition('Progressing', 'True', Reason.NewRSAvailable, `ReplicaSet "${rsName}" has successfully progressed.`, now));
  } else if (deploymentProgressing(d, s)) {
    const c = newCondition('Progressing', 'True', Reason.RSUpdated, `ReplicaSet "${rsName}" is progressing.`, now);
    if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
    removeCondition(s, 'Progressing');
    setCondition(s, c);
  } else if (deploymentTimedOut(d, s, now)) {
    setCondition(s, newCondition('Progressing', 'False', Reason.TimedOut, `ReplicaSet "${rsName}" has timed out progressing.`, now));
  }
}

// A ReplicaSet that cannot create pods makes the Deployment report ReplicaFailure too.
function setReplicaFailure(s: DeploymentStatus, all: ReplicaSetObj[], now: number): void {
  const failed = all.map((rs) => rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True')).find(Boolean);
  if (!failed) return removeCondition(s, 'ReplicaFailure');
  setCondition(s, newCondition('ReplicaFailure', 'True', failed.reason ?? 'FailedCreate', failed.message ?? '', now));
}

/**
 * stuckRequeueMs: when to look again so a stalled rollout times out on time (requeueStuckDeployment);
 * undefined when there is nothing to wait for.
 */
export function stuckRequeueMs(d: DeploymentObj, s: DeploymentStatus, now: number): number | undefined {
  const cur = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return undefined;
  if (deploymentComplete(d, s) || cur.reason === Reason.TimedOut) return undefined;
  const after = Date.parse(cur.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds! * 1000 - now;
  if (Number.isNaN(after)) return undefined;
  return after < 1000 ? 0 : after + 1000;
}

/** statusEqual compares deployment statuses ignoring key order. */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const norm = (s: DeploymentStatus | undefined) => JSON.stringify({
    g: s?.observedGeneration ?? 0, r: s?.replicas ?? 0, u: s?.updatedReplicas ?? 0, rd: s?.readyReplicas ?? 0,
    a: s?.availableReplicas ?? 0, un: s?.unavailableReplicas ?? 0, cc: s?.collisionCount ?? 0,
    c: (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime]).sort(),
  });
  return norm(a) === norm(b);
}
