// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in equal
// fractions (upstream plugins/noderesources/balanced_allocation.go). With two resources the
// standard deviation is |cpuFraction − memoryFraction| / 2; score = (1 − std) × 100.
// Example: cpu 50%, memory 10% → std 0.2 → score 80.

import type { Pod } from '../../api/types/index.js';
import { MAX_NODE_SCORE, type CycleState, type ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../nodeinfo.js';
import { podResources } from '../resources.js';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

/** balancedScore scores fractions in [0, 1] each (values above 1 are capped). */
export function balancedScore(fractions: number[]): number {
  const f = fractions.map((x) => Math.min(x, 1));
  if (f.length === 0) return MAX_NODE_SCORE;
  const mean = f.reduce((a, b) => a + b, 0) / f.length;
  const variance = f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length;
  return Math.floor((1 - Math.sqrt(variance)) * MAX_NODE_SCORE);
}

/** BalancedAllocation scores how evenly the node's cpu and memory would be used with the pod. */
export class BalancedAllocation implements ScorePlugin {
  readonly name = BALANCED_ALLOCATION;

  score(_s: CycleState, pod: Pod, node: NodeInfo): number {
    const req = podResources(pod);
    const a = node.allocatable;
    const fractions: number[] = [];
    if (a.milliCPU > 0) fractions.push((node.requested.milliCPU + req.milliCPU) / a.milliCPU);
    if (a.memory > 0) fractions.push((node.requested.memory + req.memory) / a.memory);
    return balancedScore(fractions);
  }
}
