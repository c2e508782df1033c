// Framework runs one profile's plugins at each extension point (upstream
// pkg/scheduler/framework/runtime/framework.go). It holds no cluster state.

import type { Pod } from '../../api/types/index.js';
import type { NodeInfo, Snapshot } from '../nodeinfo.js';
import type {
  BindPlugin,
  CycleState,
  FilterPlugin,
  PostFilterPlugin,
  PostFilterResult,
  PreFilterPlugin,
  PreScorePlugin,
  ReservePlugin,
  ScorePlugin,
} from './interface.js';
import { Code, SUCCESS, isRejection, isSuccess, unschedulable, type Status } from './status.js';

/** WeightedScore is a score plugin with its weight in the profile. */
export interface WeightedScore {
  plugin: ScorePlugin;
  weight: number;
}

/** Framework is one profile's plugins, in the order they run at each extension point. */
export interface Framework {
  schedulerName: string;
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  postFilter: PostFilterPlugin[];
  preScore: PreScorePlugin[];
  score: WeightedScore[];
  reserve: ReservePlugin[];
  bind: BindPlugin[];
  /** 0 means adaptive, as upstream. */
  percentageOfNodesToScore: number;
}

function tag(s: Status, plugin: string): Status {
  return s.plugin ? s : { ...s, plugin };
}

/** runPreFilter stops at the first plugin that does not succeed. */
export function runPreFilter(fw: Framework, state: CycleState, pod: Pod, snap: Snapshot): Status {
  for (const p of fw.preFilter) {
    const s = p.preFilter(state, pod, snap);
    if (!isSuccess(s)) return tag(s, p.name);
  }
  return SUCCESS;
}

/** runFilter returns the first failing plugin's status for the node, or SUCCESS. */
export function runFilter(fw: Framework, state: CycleState, pod: Pod, node: NodeInfo): Status {
  for (const p of fw.filter) {
    const s = p.filter(state, pod, node);
    if (s.code !== Code.Success && s.code !== Code.Skip) return tag(s, p.name);
  }
  return SUCCESS;
}

/** runPostFilter returns the first result that nominates a node, else an unschedulable result carrying the last message. */
export function runPostFilter(fw: Framework, state: CycleState, pod: Pod, snap: Snapshot, filtered: ReadonlyMap<string, Status>): PostFilterResult {
  let last: PostFilterResult = { status: unschedulable() };
  for (const p of fw.postFilter) {
    const r = p.postFilter(state, pod, snap, filtered);
    if (isSuccess(r.status) || r.status.code === Code.Error) return r;
    if (isRejection(r.status)) last = r;
  }
  return last;
}

/** runScore returns each node's weighted total over every score plugin, after normalisation. */
export function runScore(fw: Framework, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], snap: Snapshot): number[] {
  const totals = new Array<number>(nodes.length).fill(0);
  for (const p of fw.preScore) p.preScore(state, pod, nodes, snap);
  const scores = new Array<number>(nodes.length);
  for (const { plugin, weight } of fw.score) {
    for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i]!);
    plugin.normalizeScore?.(state, pod, scores);
    for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * weight;
  }
  return totals;
}

/** runReserve reserves in order; on failure it unreserves what was reserved and returns the status. */
export function runReserve(fw: Framework, state: CycleState, pod: Pod, nodeName: string): Status {
  for (let i = 0; i < fw.reserve.length; i++) {
    const s = fw.reserve[i]!.reserve(state, pod, nodeName);
    if (isSuccess(s)) continue;
    for (let j = i; j >= 0; j--) fw.reserve[j]!.unreserve(state, pod, nodeName);
    return tag(s, fw.reserve[i]!.name);
  }
  return SUCCESS;
}

/** runUnreserve undoes every reserve plugin, in reverse order. */
export function runUnreserve(fw: Framework, state: CycleState, pod: Pod, nodeName: string): void {
  for (let j = fw.reserve.length - 1; j >= 0; j--) fw.reserve[j]!.unreserve(state, pod, nodeName);
}

/** runBind asks bind plugins in order; the first that does not Skip decides. */
export async function runBind(fw: Framework, pod: Pod, nodeName: string): Promise<Status> {
  for (const p of fw.bind) {
    const s = await p.bind(pod, nodeName);
    if (s.code !== Code.Skip) return tag(s, p.name);
  }
  return { code: Code.Error, reasons: ['no bind plugin bound the pod'] };
}
