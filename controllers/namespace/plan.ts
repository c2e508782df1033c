// The namespace controller's pure decisions (upstream's namespaced_resources_deleter.go): what in
// a terminating namespace still needs a delete call, whether anything is left, when to look again,
// and the status conditions kubectl describe shows while it waits.
import type { KubeObject } from '../../api/meta.js';
import type { Condition } from '../../api/types/common.js';
import type { Namespace } from '../../api/types/core.js';

/** FINALIZER_KUBERNETES is the spec finalizer this controller owns. */
export const FINALIZER_KUBERNETES = 'kubernetes';

/** Content is one live object in the namespace, with its resource's plural. */
export interface Content {
  plural: string;
  obj: KubeObject;
}

/** ContentPlan: objects to delete now, what remains, and when to check again (ms; 0 = done). */
export interface ContentPlan {
  toDelete: Content[];
  remaining: Record<string, number>;
  requeueAfterMs: number;
}

/** needsFinalizing: the namespace is being deleted and still carries our finalizer. */
export function needsFinalizing(ns: Namespace): boolean {
  return !!ns.metadata.deletionTimestamp && (ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES);
}

/**
 * planContent: everything not yet marked for deletion gets deleted; anything left means look again
 * after the longest remaining grace period (at least 1 s, upstream's estimate, capped at 30 s).
 */
export function planContent(items: readonly Content[], now: number): ContentPlan {
  const toDelete = items.filter((c) => !c.obj.metadata.deletionTimestamp);
  const remaining: Record<string, number> = {};
  let waitMs = 0;
  for (const c of items) {
    remaining[c.plural] = (remaining[c.plural] ?? 0) + 1;
    const at = c.obj.metadata.deletionTimestamp ? Date.parse(c.obj.metadata.deletionTimestamp) - now : 0;
    waitMs = Math.max(waitMs, Number.isNaN(at) ? 0 : at);
  }
  const requeueAfterMs = items.length === 0 ? 0 : Math.min(30_000, Math.max(1000, waitMs));
  return { toDelete, remaining, requeueAfterMs };
}

/** withoutOurFinalizer is the namespace with `kubernetes` removed from spec.finalizers. */
export function withoutOurFinalizer(ns: Namespace): Namespace {
  const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
  return { ...ns, spec: { ...ns.spec, finalizers } };
}

/**
 * deletionConditions are upstream's NamespaceContentRemaining / NamespaceDeletionContentFailure
 * conditions; lastTransitionTime is kept when a condition's status did not change.
 */
export function deletionConditions(prev: readonly Condition[], remaining: Record<string, number>, failure: string | undefined, nowIso: string): Condition[] {
  const counts = Object.entries(remaining).map(([p, n]) => `${p} has ${n} resource instances`);
  const wanted: Condition[] = [
    counts.length
      ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${counts.join(', ')}` }
      : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
    failure
      ? { type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: failure }
      : { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  ];
  return wanted.map((c) => {
    const old = prev.find((p) => p.type === c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : nowIso };
  });
}
