// The garbage collector's pure decisions (upstream's garbagecollector.go attemptToDeleteItem,
// processDeletingDependentsItem and orphanDependents), over owner states the caller resolved.
import type { KubeObject, OwnerReference } from '../../api/meta.js';

/** FOREGROUND and ORPHAN are the finalizers the API server adds for those propagation policies. */
export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

/**
 * OwnerState of one ownerReference: `present` (an object with that uid exists), `absent` (no
 * object, or one with another uid: the reference dangles), `deletingDependents` (present and
 * being deleted in the foreground, i.e. waiting for its dependents).
 */
export type OwnerState = 'present' | 'absent' | 'deletingDependents';

/** DeletePolicy is a DeleteOptions.propagationPolicy. */
export type DeletePolicy = 'Background' | 'Foreground' | 'Orphan';

/** DependentPlan: what to do with an object that has owners. */
export type DependentPlan =
  | { action: 'none' }
  /** Drop the references to these owner uids (the object still has a live owner). */
  | { action: 'removeOwnerRefs'; uids: string[] }
  | { action: 'delete'; policy: DeletePolicy };

/** hasFinalizer: metadata.finalizers contains f. */
export function hasFinalizer(obj: KubeObject, f: string): boolean {
  return obj.metadata.finalizers?.includes(f) ?? false;
}

/** ownerStateOf classifies a found owner object (or undefined) for reference ref. */
export function ownerStateOf(ref: OwnerReference, owner: KubeObject | undefined): OwnerState {
  if (!owner || owner.metadata.uid !== ref.uid) return 'absent';
  return owner.metadata.deletionTimestamp && hasFinalizer(owner, FOREGROUND) ? 'deletingDependents' : 'present';
}

/**
 * planDependent decides for an object with ownerReferences, given each owner's state by uid and
 * whether the object has dependents of its own. With any live owner it only drops references
 * to dangling or foreground-deleting owners; with none it is deleted — in the foreground when
 * an owner waits for it and it has dependents of its own, so the wait cascades down.
 */
export function planDependent(obj: KubeObject, states: ReadonlyMap<string, OwnerState>, hasDependents: boolean): DependentPlan {
  const refs = obj.metadata.ownerReferences ?? [];
  if (refs.length === 0 || obj.metadata.deletionTimestamp) return { action: 'none' };
  const state = (r: OwnerReference) => states.get(r.uid) ?? 'present';
  const solid = refs.filter((r) => state(r) === 'present');
  const waiting = refs.filter((r) => state(r) === 'deletingDependents');
  if (solid.length > 0) {
    const drop = refs.filter((r) => state(r) !== 'present').map((r) => r.uid);
    return drop.length ? { action: 'removeOwnerRefs', uids: drop } : { action: 'none' };
  }
  return { action: 'delete', policy: waiting.length > 0 && hasDependents ? 'Foreground' : 'Background' };
}

/** OwnerPlan: what to do for an owner being deleted with the orphan or foreground policy. */
export type OwnerPlan =
  | { action: 'none' }
  /** Strip this owner's references from these dependents, then remove the `orphan` finalizer. */
  | { action: 'orphan'; dependents: KubeObject[] }
  /** Have these dependents looked at (deleted); remove `foregroundDeletion` once none block. */
  | { action: 'foreground'; dependents: KubeObject[]; removeFinalizer: boolean };

/** blocksOwner: dep's reference to ownerUid has blockOwnerDeletion=true. */
export function blocksOwner(dep: KubeObject, ownerUid: string): boolean {
  return (dep.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true);
}

/**
 * planOwner decides for an owner marked for deletion. Orphan wins over foreground when both
 * finalizers are present (upstream runs orphaning first too). In the foreground the owner stays
 * until no dependent with blockOwnerDeletion is left (dependents still terminating count).
 */
export function planOwner(owner: KubeObject, dependents: readonly KubeObject[]): OwnerPlan {
  if (!owner.metadata.deletionTimestamp) return { action: 'none' };
  if (hasFinalizer(owner, ORPHAN)) return { action: 'orphan', dependents: [...dependents] };
  if (!hasFinalizer(owner, FOREGROUND)) return { action: 'none' };
  const uid = owner.metadata.uid ?? '';
  const blocking = dependents.filter((d) => blocksOwner(d, uid));
  return { action: 'foreground', dependents: blocking, removeFinalizer: blocking.length === 0 };
}
