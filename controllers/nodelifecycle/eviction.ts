// When pods on a NoExecute-tainted node are evicted (upstream's taint_eviction.go): at once if a
// taint is not tolerated, after the shortest tolerationSeconds of the tolerations that match,
// never if they tolerate it without a limit. Skiff's API server does not yet add upstream's
// default tolerations (not-ready/unreachable for 300 s), so a pod without its own toleration for
// those two keys is treated as having one for `defaultTolerationMs` (podEvictionTimeoutMs).
import type { Taint } from '../../api/types/core.js';
import type { Pod, Toleration } from '../../api/types/pod.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './health.js';

/** tolerates: toleration t matches taint (upstream's Toleration.ToleratesTaint). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** withDefaultTolerations adds the default-toleration-seconds tolerations a pod lacks. */
export function withDefaultTolerations(pod: Pod, defaultTolerationMs: number): Toleration[] {
  const own = pod.spec.tolerations ?? [];
  const out = [...own];
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    const probe: Taint = { key, effect: 'NoExecute' };
    if (!own.some((t) => tolerates(t, probe))) out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: Math.ceil(defaultTolerationMs / 1000) });
  }
  return out;
}

/** evictionInMs: ms until the pod must go (0: now), or undefined if it may stay. */
export function evictionInMs(pod: Pod, taints: readonly Taint[], now: number, defaultTolerationMs: number): number | undefined {
  const tolerations = withDefaultTolerations(pod, defaultTolerationMs);
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

/** EvictionPlan: pods to evict now, and when the next one falls due. */
export interface EvictionPlan<P extends Pod> {
  evict: P[];
  nextInMs?: number;
}

/** planEvictions applies evictionInMs to every pod on the node not already being deleted. */
export function planEvictions<P extends Pod>(pods: readonly P[], taints: readonly Taint[], now: number, defaultTolerationMs: number): EvictionPlan<P> {
  const plan: EvictionPlan<P> = { evict: [] };
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const ms = evictionInMs(pod, taints, now, defaultTolerationMs);
    if (ms === 0) plan.evict.push(pod);
    else if (ms !== undefined) plan.nextInMs = Math.min(plan.nextInMs ?? Infinity, ms);
  }
  return plan;
}

/** podsToMarkNotReady: pods whose Ready condition is still True on an unreachable node. */
export function podsToMarkNotReady<P extends Pod>(pods: readonly P[]): P[] {
  return pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}
