// The scheduling algorithm for one pod over a snapshot (upstream schedule_one.go: schedulePod,
// findNodesThatFitPod, prioritizeNodes, selectHost). Pure apart from the rotating start index
// it returns for the next cycle.

import type { Pod } from '../api/types/index.js';
import { runFilter, runPreFilter, runScore, type Framework } from './framework/framework.js';
import type { CycleState } from './framework/interface.js';
import { isSuccess, type Status } from './framework/status.js';
import type { NodeInfo, Snapshot } from './nodeinfo.js';

/** MIN_FEASIBLE_NODES_TO_FIND: below this many nodes every node is evaluated (upstream 100). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/**
 * numFeasibleNodesToFind is upstream's adaptive sample size: percentage 0 means
 * 50 − nodes/125 percent, at least 5%, never fewer than 100 nodes.
 * Example: 5,000 nodes → 50 − 40 = 10% → 500 nodes.
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.floor(numAllNodes / 125));
  if (pct >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((numAllNodes * pct) / 100));
}

/** ScheduleResult is a successful decision. */
export interface ScheduleResult {
  kind: 'scheduled';
  node: string;
  evaluatedNodes: number;
  feasibleNodes: number;
  nextStartIndex: number;
}

/** FitFailure says no node fits; filtered holds every rejected node's status (for the event and preemption). */
export interface FitFailure {
  kind: 'unschedulable';
  numAllNodes: number;
  filtered: Map<string, Status>;
  nextStartIndex: number;
}

/** schedulePod finds feasible nodes from startIndex, scores them and picks the best. */
export function schedulePod(fw: Framework, state: CycleState, pod: Pod, snap: Snapshot, startIndex: number, random: () => number): ScheduleResult | FitFailure {
  const all = snap.nodes;
  const filtered = new Map<string, Status>();
  const pre = runPreFilter(fw, state, pod, snap);
  if (!isSuccess(pre)) {
    for (const n of all) filtered.set(n.name, pre);
    return { kind: 'unschedulable', numAllNodes: all.length, filtered, nextStartIndex: startIndex };
  }
  const want = numFeasibleNodesToFind(fw.percentageOfNodesToScore, all.length);
  const { feasible, processed } = findFeasible(fw, state, pod, all, startIndex, want, filtered);
  const nextStartIndex = all.length === 0 ? 0 : (startIndex + processed) % all.length;
  if (feasible.length === 0) return { kind: 'unschedulable', numAllNodes: all.length, filtered, nextStartIndex };
  const node = feasible.length === 1 ? feasible[0]! : selectHost(feasible, runScore(fw, state, pod, feasible, snap), random);
  return { kind: 'scheduled', node: node.name, evaluatedNodes: processed, feasibleNodes: feasible.length, nextStartIndex };
}

function findFeasible(fw: Framework, state: CycleState, pod: Pod, all: readonly NodeInfo[], start: number, want: number, filtered: Map<string, Status>) {
  const feasible: NodeInfo[] = [];
  let processed = 0;
  const n = all.length;
  for (; processed < n && feasible.length < want; processed++) {
    const node = all[(start + processed) % n]!;
    const s = runFilter(fw, state, pod, node);
    if (isSuccess(s)) feasible.push(node);
    else filtered.set(node.name, s);
  }
  return { feasible, processed };
}

/** selectHost picks the highest score; ties are broken uniformly at random (reservoir sampling, as upstream). */
export function selectHost<T>(nodes: readonly T[], scores: readonly number[], random: () => number): T {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < nodes.length; i++) {
    if (scores[i]! > scores[best]!) {
      best = i;
      ties = 1;
    } else if (scores[i] === scores[best] && random() * ++ties < 1) best = i;
  }
  return nodes[best]!;
}
