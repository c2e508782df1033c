// Upstream's DefaultTolerationSeconds admission plugin: on create, a pod that does not already
// tolerate the not-ready or unreachable NoExecute taints gets a toleration for each that lasts
// 300 s, so the node lifecycle controller evicts it five minutes after its node goes away
// instead of at once. As upstream, a toleration counts when its key is that taint's key or empty
// and its effect is NoExecute or empty; operator and value are not looked at.
import type { KubeObject } from '../../api/meta.js';
import type { Toleration } from '../../api/types/pod.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** DEFAULT_TOLERATION_SECONDS: upstream's --default-not-ready/unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

function covers(t: Toleration, key: string): boolean {
  return (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute');
}

/** missingDefaults: the default tolerations the pod's own tolerations do not already cover. */
export function missingDefaults(own: readonly Toleration[] | undefined, seconds = DEFAULT_TOLERATION_SECONDS): Toleration[] {
  const keys = [TAINT_NOT_READY, TAINT_UNREACHABLE].filter((key) => !(own ?? []).some((t) => covers(t, key)));
  return keys.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));
}

/** admitPodTolerations returns the pod with the missing default tolerations appended (the same object when none). */
export function admitPodTolerations(pod: KubeObject, seconds = DEFAULT_TOLERATION_SECONDS): KubeObject {
  const spec = pod.spec as { tolerations?: Toleration[] } | undefined;
  if (!spec) return pod;
  const add = missingDefaults(spec.tolerations, seconds);
  return add.length === 0 ? pod : { ...pod, spec: { ...spec, tolerations: [...(spec.tolerations ?? []), ...add] } };
}
