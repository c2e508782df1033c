// NodeResourcesFit: the pod's requests against the node's free allocatable (upstream
// plugins/noderesources/fit.go), and the LeastAllocated / MostAllocated scoring strategies.

import type { Pod } from '../../api/types/index.js';
import { MAX_NODE_SCORE, type CycleState, type FilterPlugin, type ScorePlugin } from '../framework/interface.js';
import { SUCCESS, unschedulable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import { podResources, type PodResources } from '../resources.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

/** InsufficientResource is one dimension the node is short of. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** fits reports every dimension in which the pod does not fit on the node (empty: it fits). */
export function fits(pod: Pod, node: NodeInfo): InsufficientResource[] {
  return fitsRequest(podResources(pod), node);
}

/** fitsRequest is fits for an already computed request. */
export function fitsRequest(req: PodResources, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const a = node.allocatable;
  const r = node.requested;
  if (node.pods.length + 1 > a.pods) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: node.pods.length, capacity: a.pods });
  }
  check(out, 'cpu', req.milliCPU, r.milliCPU, a.milliCPU);
  check(out, 'memory', req.memory, r.memory, a.memory);
  check(out, 'ephemeral-storage', req.ephemeralStorage, r.ephemeralStorage, a.ephemeralStorage);
  for (const [name, want] of req.scalar) check(out, name, want, r.scalar.get(name) ?? 0, a.scalar.get(name) ?? 0);
  return out;
}

function check(out: InsufficientResource[], name: string, want: number, used: number, cap: number): void {
  if (want > 0 && want > cap - used) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: want, used, capacity: cap });
}

/** ScoringStrategy names upstream's strategies that Skiff implements. */
export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

/** FitArgs is NodeResourcesFitArgs: the strategy and per-resource weights (default cpu and memory, 1 each). */
export interface FitArgs {
  scoringStrategy?: { type?: ScoringStrategy; resources?: { name: string; weight: number }[] };
}

/** resourceScore scores one dimension 0..100; requested includes the incoming pod. */
export function resourceScore(strategy: ScoringStrategy, requested: number, allocatable: number): number {
  if (allocatable === 0) return 0;
  if (strategy === 'MostAllocated') return Math.floor((Math.min(requested, allocatable) * MAX_NODE_SCORE) / allocatable);
  if (requested > allocatable) return 0;
  return Math.floor(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

/** requestedFor is what the node would hold of one resource with the pod, using non-zero cpu/memory as upstream's scorers do. */
export function requestedFor(name: string, req: PodResources, node: NodeInfo): [number, number] {
  if (name === 'cpu') return [node.nonZeroCPU + req.nonZeroCPU, node.allocatable.milliCPU];
  if (name === 'memory') return [node.nonZeroMemory + req.nonZeroMemory, node.allocatable.memory];
  if (name === 'ephemeral-storage') return [node.requested.ephemeralStorage + req.ephemeralStorage, node.allocatable.ephemeralStorage];
  return [(node.requested.scalar.get(name) ?? 0) + (req.scalar.get(name) ?? 0), node.allocatable.scalar.get(name) ?? 0];
}

/** NodeResourcesFit filters on requests and scores with the configured strategy. */
export class NodeResourcesFit implements FilterPlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_FIT;
  private readonly strategy: ScoringStrategy;
  private readonly weights: { name: string; weight: number }[];

  constructor(args: FitArgs = {}) {
    this.strategy = args.scoringStrategy?.type ?? 'LeastAllocated';
    this.weights = args.scoringStrategy?.resources ?? [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ];
  }

  filter(_s: CycleState, pod: Pod, node: NodeInfo): Status {
    const short = fits(pod, node);
    return short.length === 0 ? SUCCESS : unschedulable(...short.map((s) => s.reason));
  }

  score(_s: CycleState, pod: Pod, node: NodeInfo): number {
    const req = podResources(pod);
    let total = 0;
    let weights = 0;
    for (const { name, weight } of this.weights) {
      const [requested, allocatable] = requestedFor(name, req, node);
      // Extended resources the pod does not ask for do not dilute the score (upstream skips them).
      if (name !== 'cpu' && name !== 'memory' && requested === 0) continue;
      total += resourceScore(this.strategy, requested, allocatable) * weight;
      weights += weight;
    }
    return weights === 0 ? 0 : Math.floor(total / weights);
  }
}
