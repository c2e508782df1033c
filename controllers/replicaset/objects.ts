// Typed views of the objects the workload controllers read, plus the pod predicates upstream's
// controller_utils.go and podutil define (active, ready, available) and controller references.
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import type { Deployment, ReplicaSet } from '../../api/types/apps.js';
import type { Condition } from '../../api/types/common.js';
import type { Pod } from '../../api/types/pod.js';

/** PodObj, ReplicaSetObj, DeploymentObj: the typed kinds, usable where a KubeObject is required. */
export type PodObj = Pod & KubeObject;
export type ReplicaSetObj = ReplicaSet & KubeObject;
export type DeploymentObj = Deployment & KubeObject;

/** controllerRef returns the ownerReference with controller=true, if any. */
export function controllerRef(obj: { metadata: KubeObject['metadata'] }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** isPodActive: not finished and not being deleted (upstream's IsPodActive). */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata.deletionTimestamp;
}

/** isPodTerminating: marked for deletion but not yet finished. */
export function isPodTerminating(p: Pod): boolean {
  const phase = p.status?.phase;
  return !!p.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** readyCondition returns the pod's Ready condition, if any. */
export function readyCondition(p: Pod): Condition | undefined {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

/** isPodReady: the Ready condition is True. */
export function isPodReady(p: Pod): boolean {
  return readyCondition(p)?.status === 'True';
}

/** readySinceMs is when the pod last became ready (ms), or undefined when not ready. */
export function readySinceMs(p: Pod): number | undefined {
  const c = readyCondition(p);
  if (c?.status !== 'True') return undefined;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * availableInMs is 0 when the pod is available (ready for at least minReadySeconds at `now`), the
 * number of ms until it will be when it is ready but not yet long enough, undefined when not ready.
 */
export function availableInMs(p: Pod, minReadySeconds: number, now: number): number | undefined {
  const since = readySinceMs(p);
  if (since === undefined) return undefined;
  if (minReadySeconds <= 0) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

/** isPodAvailable: ready for at least minReadySeconds (upstream's IsPodAvailable). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  return availableInMs(p, minReadySeconds, now) === 0;
}

/** creationMs parses metadata.creationTimestamp (0 when absent). */
export function creationMs(o: { metadata: KubeObject['metadata'] }): number {
  const t = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? 0 : t;
}
