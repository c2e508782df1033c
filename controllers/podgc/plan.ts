// The pod garbage collector's pure decision (upstream's podgc/gc_controller.go): terminated pods
// beyond the threshold (oldest first), pods bound to nodes that no longer exist, and unscheduled
// pods already marked for deletion (no kubelet will ever finish them).
import type { Pod } from '../../api/types/pod.js';

/** PodGcPlan lists the pods to force-delete, by reason. */
export interface PodGcPlan<P extends Pod> {
  terminated: P[];
  orphaned: P[];
  unscheduledTerminating: P[];
}

/** isTerminated: phase Succeeded or Failed. */
export function isTerminated(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/**
 * planPodGc: with threshold > 0, the oldest terminated pods above it (e.g. 12 terminated, threshold
 * 10 → the 2 oldest); pods whose spec.nodeName is not among `nodes`; unbound pods being deleted.
 */
export function planPodGc<P extends Pod>(pods: readonly P[], nodes: ReadonlySet<string>, threshold: number): PodGcPlan<P> {
  const terminated = pods.filter((p) => isTerminated(p) && !p.metadata.deletionTimestamp).sort(byCreation);
  const excess = threshold > 0 ? Math.max(0, terminated.length - threshold) : 0;
  const first = new Set<P>(terminated.slice(0, excess));
  return {
    terminated: [...first],
    orphaned: pods.filter((p) => !first.has(p) && !!p.spec.nodeName && !nodes.has(p.spec.nodeName)),
    unscheduledTerminating: pods.filter((p) => !p.spec.nodeName && !!p.metadata.deletionTimestamp),
  };
}

function byCreation(a: Pod, b: Pod): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
