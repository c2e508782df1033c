// Pod priority: spec.priority, which upstream's Priority admission fills from the PriorityClass.
// Skiff has no PriorityClass resource, so the two built-in system classes are resolved here.

import type { Pod } from '../api/types/index.js';

const SYSTEM_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

/** podPriority is spec.priority, else a built-in class's value, else 0. */
export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? SYSTEM_CLASSES[pod.spec.priorityClassName ?? ''] ?? 0;
}
