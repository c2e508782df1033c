// Extension points of the scheduling framework (upstream pkg/scheduler/framework/interface.go).
// Everything but Bind is synchronous and pure over the Snapshot: a whole scheduling cycle runs
// without yielding to the event loop, so the cache cannot change under it.

import type { Pod } from '../../api/types/index.js';
import type { NodeInfo, Snapshot } from '../nodeinfo.js';
import type { Status } from './status.js';

/** CycleState carries data from one extension point to later ones within a cycle. */
export type CycleState = Map<string, unknown>;

/** MAX_NODE_SCORE is the top of every normalised score (upstream framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100;

export interface Plugin {
  readonly name: string;
}

/** PreFilterPlugin precomputes per-pod state; a rejection here fails every node at once. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, snapshot: Snapshot): Status;
}

/** FilterPlugin says whether the pod may run on one node. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, node: NodeInfo): Status;
}

/** PostFilterResult names a node the pod may use after PostFilter acted (e.g. preempted victims). */
export interface PostFilterResult {
  status: Status;
  nominatedNodeName?: string;
  /** Pods to evict so the pod fits on nominatedNodeName. */
  victims?: Pod[];
}

/** PostFilterPlugin runs when no node fits; preemption lives here. */
export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, snapshot: Snapshot, filtered: ReadonlyMap<string, Status>): PostFilterResult;
}

/** PreScorePlugin precomputes state for Score over the feasible nodes. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], snapshot: Snapshot): Status;
}

/** ScorePlugin ranks a feasible node; normalizeScore maps raw scores to 0..MAX_NODE_SCORE in place. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  normalizeScore?(state: CycleState, pod: Pod, scores: number[]): void;
}

/** ReservePlugin updates plugin state when a node is chosen; unreserve undoes it on failure. */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

/** BindPlugin writes the decision to the API; the only extension point that does I/O. */
export interface BindPlugin extends Plugin {
  bind(pod: Pod, nodeName: string): Promise<Status>;
}

/** AnyPlugin is a plugin implementing any subset of the extension points. */
export type AnyPlugin = Plugin &
  Partial<
    Pick<PreFilterPlugin, 'preFilter'> &
      Pick<FilterPlugin, 'filter'> &
      Pick<PostFilterPlugin, 'postFilter'> &
      Pick<PreScorePlugin, 'preScore'> &
      Pick<ScorePlugin, 'score' | 'normalizeScore'> &
      Pick<ReservePlugin, 'reserve' | 'unreserve'> &
      Pick<BindPlugin, 'bind'>
  >;

/** defaultNormalize scales scores so the highest becomes MAX_NODE_SCORE (upstream DefaultNormalizeScore); reverse flips them. */
export function defaultNormalize(scores: number[], reverse = false): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    const v = max === 0 ? 0 : Math.floor((MAX_NODE_SCORE * scores[i]!) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - (max === 0 ? 0 : v) : v;
  }
  if (reverse && max === 0) scores.fill(MAX_NODE_SCORE);
}
