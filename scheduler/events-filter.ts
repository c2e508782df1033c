// Which informer events matter to the scheduler (upstream eventhandlers.go and the queueing hints).

import type { Node, Pod } from '../api/types/index.js';

/** isAssigned: the pod has a node. */
export function isAssigned(p: Pod): boolean {
  return Boolean(p.spec.nodeName);
}

/** isTerminal: the pod finished and no longer holds resources. */
export function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** podSpecChanged ignores status and metadata other than labels and annotations (upstream isPodUpdated). */
export function podSpecChanged(old: Pod, cur: Pod): boolean {
  const view = (p: Pod) => JSON.stringify([p.spec, p.metadata.labels, p.metadata.annotations]);
  return view(old) !== view(cur);
}

/** nodeChangeCouldHelp: allocatable, labels, taints, cordon or readiness changed (not heartbeats). */
export function nodeChangeCouldHelp(old: Node, cur: Node): boolean {
  const view = (n: Node) =>
    JSON.stringify([n.status?.allocatable, n.metadata.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.conditions?.find((c) => c.type === 'Ready')?.status]);
  return view(old) !== view(cur);
}
