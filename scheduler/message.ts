// The FailedScheduling message, worded as upstream's FitError.Error()
// (pkg/scheduler/framework/types.go): reasons counted over nodes, sorted, e.g.
// `0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient memory.`

import type { Status } from './framework/status.js';

/** reasonHistogram counts, over nodes, how often each reason rejected a node. */
export function reasonHistogram(statuses: Iterable<Status>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** formatReasons renders `N reason` pairs sorted as strings, joined with ", ". */
export function formatReasons(counts: Map<string, number>): string {
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

/**
 * fitErrorMessage builds the whole message; a PostFilter (preemption) message is appended as
 * upstream does: `... 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.`
 */
export function fitErrorMessage(numNodes: number, statuses: Iterable<Status>, postFilterMsg = ''): string {
  const reasons = formatReasons(reasonHistogram(statuses));
  const base = `0/${numNodes} nodes are available${reasons ? `: ${reasons}` : ''}.`;
  return postFilterMsg ? `${base} ${postFilterMsg}` : base;
}

/** preemptionMessage is upstream's postFilter diagnosis line. */
export function preemptionMessage(numNodes: number, counts: Map<string, number>): string {
  return `preemption: 0/${numNodes} nodes are available: ${formatReasons(counts)}.`;
}
