// Which pods a ReplicaSet deletes first when scaling down: upstream's ActivePodsWithRanks.Less
// (pkg/controller/controller_utils.go). Earlier in the order = deleted first:
//   1. not yet assigned to a node        5. doubled up: more of our pods on the same node
//   2. Pending, then Unknown, then Running  6. ready for less time
//   3. not ready                          7. more container restarts
//   4. lower pod-deletion-cost annotation 8. created more recently
import type { Pod } from '../../api/types/pod.js';
import { creationMs, isPodReady, readySinceMs } from './objects.js';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** RankedPod is a pod with its rank: how many of the owner's active pods share its node. */
export interface RankedPod<P extends Pod = Pod> {
  pod: P;
  rank: number;
}

function restarts(p: Pod): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function deletionCost(p: Pod): number {
  const v = Number(p.metadata.annotations?.[DELETION_COST] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

// Each key maps a pod to a number where smaller means "delete earlier".
const KEYS: ((r: RankedPod) => number)[] = [
  (r) => (r.pod.spec.nodeName ? 1 : 0),
  (r) => PHASE_ORDER[r.pod.status?.phase ?? 'Pending'] ?? 0,
  (r) => (isPodReady(r.pod) ? 1 : 0),
  (r) => deletionCost(r.pod),
  (r) => -r.rank,
  (r) => -(readySinceMs(r.pod) ?? 0),
  (r) => -restarts(r.pod),
  (r) => -creationMs(r.pod),
];

/** compareForDeletion orders two ranked pods; negative when a should be deleted before b. */
export function compareForDeletion(a: RankedPod, b: RankedPod): number {
  for (const key of KEYS) {
    const d = key(a) - key(b);
    if (d !== 0) return d;
  }
  return 0;
}

/** rankByNode ranks each pod by how many pods of the list are on its node (0 when unassigned). */
export function rankByNode<P extends Pod>(pods: P[]): RankedPod<P>[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  return pods.map((pod) => ({ pod, rank: pod.spec.nodeName ? perNode.get(pod.spec.nodeName)! : 0 }));
}

/** podsToDelete picks the `n` pods to delete first. */
export function podsToDelete<P extends Pod>(pods: P[], n: number): P[] {
  if (n <= 0) return [];
  return rankByNode(pods)
    .sort(compareForDeletion)
    .slice(0, n)
    .map((r) => r.pod);
}
