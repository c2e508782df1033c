// When pods on a NoExecute-tainted node are evicted (upstream's taint_eviction.go): at once if a
// taint is not tolerated, after the shortest tolerationSeconds of the tolerations that match,
// never if they tolerate it without a limit. The 300 s grace every pod gets for the not-ready and
// unreachable taints comes from the API server (apiserver/admission/default-tolerations.ts), so
// only the pod's own tolerations count here, as upstream.
import type { Taint } from '../../api/types/core.js';
import type { Pod, Toleration } from '../../api/types/pod.js';

/** tolerates: toleration t matches taint (upstream's Toleration.ToleratesTaint). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** evictionInMs: ms until the pod must go (0: now), or undefined if it may stay. */
export function evictionInMs(pod: Pod, taints: readonly Taint[], now: number): number | undefined {
  const tolerations = pod.spec.tolerations ?? [];
  let due: number | undefined;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    const limits = matching.filter((t) => t.tolerationSeconds !== undefined).map((t) => Math.max(0, t.tolerationSeconds!) * 1000);
    if (limits.length === 0) continue;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    const at = (Number.isNaN(added) ? now : added) + Math.min(...limits);
    due = Math.min(due ?? Infinity, Math.max(0, at - now));
  }
  return due;
}

/** EvictionPlan: pods to evict now, pods that will be evicted later, and when the next one falls due. */
export interface EvictionPlan<P extends Pod> {
  evict: P[];
  pending: P[];
  nextInMs?: number;
}

/** planEvictions applies evictionInMs to every pod on the node not already being deleted. */
export function planEvictions<P extends Pod>(pods: readonly P[], taints: readonly Taint[], now: number): EvictionPlan<P> {
  const plan: EvictionPlan<P> = { evict: [], pending: [] };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const ms = evictionInMs(pod, taints, now);
    if (ms === 0) plan.evict.push(pod);
    else if (ms !== undefined) {
      plan.pending.push(pod);
      plan.nextInMs = Math.min(plan.nextInMs ?? Infinity, ms);
    }
  }
  return plan;
}

/** podsToMarkNotReady: pods whose Ready condition is still True on an unreachable node. */
export function podsToMarkNotReady<P extends Pod>(pods: readonly P[]): P[] {
  return pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

/** cancelledEvictions: pods that were due for eviction at the last sync, are still on the node and no longer are. */
export function cancelledEvictions<P extends Pod>(before: ReadonlySet<string>, pods: readonly P[], plan: EvictionPlan<P>): P[] {
  const stillDue = new Set([...plan.evict, ...plan.pending].map(podKey));
  return pods.filter((p) => !p.metadata.deletionTimestamp && before.has(podKey(p)) && !stillDue.has(podKey(p)));
}

/** podKey: namespace/name, as the messages of upstream's eviction events name pods. */
export function podKey(p: Pod): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}
