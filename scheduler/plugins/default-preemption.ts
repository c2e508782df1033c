// DefaultPreemption (upstream plugins/defaultpreemption + framework/preemption): when no node
// fits, find the node where evicting the fewest, lowest-priority pods makes room. On each
// candidate node every lower-priority pod is removed; if the pod then fits, victims are
// reprieved one by one, highest priority first, while the pod still fits.

import type { Pod } from '../../api/types/index.js';
import { runFilter, type Framework } from '../framework/framework.js';
import type { CycleState, PostFilterPlugin, PostFilterResult } from '../framework/interface.js';
import { Code, SUCCESS, isSuccess, unschedulable, type Status } from '../framework/status.js';
import { preemptionMessage } from '../message.js';
import type { NodeInfo, PodInfo, Snapshot } from '../nodeinfo.js';
import { podPriority } from '../priority.js';

export const DEFAULT_PREEMPTION = 'DefaultPreemption';
export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

/** Candidate is a node and the pods to evict there. */
export interface Candidate {
  node: string;
  victims: PodInfo[];
}

/** selectVictims returns the minimal victims on node for pod, or undefined when eviction cannot help. */
export function selectVictims(fw: Framework, state: CycleState, pod: Pod, node: NodeInfo): PodInfo[] | undefined {
  const prio = podPriority(pod);
  const sim = node.clone();
  const lower = node.pods.filter((p) => podPriority(p.pod) < prio).sort((a, b) => podPriority(b.pod) - podPriority(a.pod));
  for (const v of lower) sim.removePod(v.key);
  if (!isSuccess(runFilter(fw, state, pod, sim))) return undefined;
  const victims: PodInfo[] = [];
  for (const v of lower) {
    sim.addPod(v);
    if (isSuccess(runFilter(fw, state, pod, sim))) continue;
    sim.removePod(v.key);
    victims.push(v);
  }
  return victims;
}

/** pickCandidate prefers the lowest highest-victim priority, then fewest victims, then the lowest priority sum. */
export function pickCandidate(cands: Candidate[]): Candidate | undefined {
  const rank = (c: Candidate): number[] => {
    const prios = c.victims.map((v) => podPriority(v.pod));
    return [prios.length ? Math.max(...prios) : -Infinity, prios.length, prios.reduce((a, b) => a + b, 0)];
  };
  let best: Candidate | undefined;
  let bestRank: number[] = [];
  for (const c of cands) {
    const r = rank(c);
    if (!best || lexLess(r, bestRank)) [best, bestRank] = [c, r];
  }
  return best;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** DefaultPreemption nominates a node and names the victims; the scheduler evicts them. */
export class DefaultPreemption implements PostFilterPlugin {
  readonly name = DEFAULT_PREEMPTION;

  constructor(private readonly framework: () => Framework) {}

  postFilter(state: CycleState, pod: Pod, snap: Snapshot, filtered: ReadonlyMap<string, Status>): PostFilterResult {
    if (pod.spec.preemptionPolicy === 'Never') return { status: unschedulable('preemption: not eligible due to preemptionPolicy=Never.') };
    const counts = new Map<string, number>();
    const cands: Candidate[] = [];
    for (const [name, s] of filtered) {
      const node = snap.get(name);
      const victims = node && s.code === Code.Unschedulable ? selectVictims(this.framework(), state, pod, node) : undefined;
      if (victims?.length) cands.push({ node: name, victims });
      else bump(counts, node && s.code === Code.Unschedulable ? NO_VICTIMS : NOT_HELPFUL);
    }
    const best = pickCandidate(cands);
    if (!best) return { status: unschedulable(preemptionMessage(snap.nodes.length, counts)) };
    return { status: SUCCESS, nominatedNodeName: best.node, victims: best.victims.map((v) => v.pod) };
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
