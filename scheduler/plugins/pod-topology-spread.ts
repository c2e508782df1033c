// PodTopologySpread (upstream plugins/podtopologyspread). DoNotSchedule constraints filter:
// skew = (matching pods in the node's domain + 1 if the pod matches itself) − (fewest matching
// pods in any eligible domain) must not exceed maxSkew. ScheduleAnyway constraints score: fewer
// matching pods in the domain is better. Pods without constraints get the system defaults
// (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) over the pods sharing their controller,
// which stands in for upstream's selector built from the owning ReplicaSet or Service.

import { selectorFromLabelSelector, type Selector } from '../../api/labels.js';
import type { Pod } from '../../api/types/index.js';
import { LABEL_HOSTNAME, LABEL_ZONE, spreadConstraintsOf, type TopologySpreadConstraint } from '../affinity-types.js';
import { MAX_NODE_SCORE, type CycleState, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework/interface.js';
import { SUCCESS, unresolvable, unschedulable, type Status } from '../framework/status.js';
import type { NodeInfo, Snapshot } from '../nodeinfo.js';
import { compileNodeAffinity } from './node-affinity.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

/** SpreadArgs is PodTopologySpreadArgs; defaultingType List with no constraints turns defaults off. */
export interface SpreadArgs {
  defaultingType?: 'System' | 'List';
  defaultConstraints?: TopologySpreadConstraint[];
}

const SYSTEM_DEFAULTS: TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway' },
];

/** Constraint is a constraint with its compiled pod matcher. */
interface Constraint {
  c: TopologySpreadConstraint;
  matches: (p: Pod) => boolean;
}

/** SpreadState counts matching pods per domain, per constraint. */
interface SpreadState {
  hard: Constraint[];
  soft: Constraint[];
  counts: Map<string, number>[];
  minMatch: number[];
}

function controllerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((o) => o.controller)?.uid;
}

/** constraintsFor returns the pod's own constraints or the defaults (only for controlled pods). */
export function constraintsFor(pod: Pod, defaults: TopologySpreadConstraint[]): Constraint[] {
  const own = spreadConstraintsOf(pod);
  const ns = pod.metadata.namespace;
  if (own.length > 0) {
    return own.map((c) => {
      const sel: Selector = selectorFromLabelSelector(c.labelSelector);
      return { c, matches: (p: Pod) => p.metadata.namespace === ns && sel.matches(p.metadata.labels) };
    });
  }
  const uid = controllerUid(pod);
  if (!uid) return [];
  return defaults.map((c) => ({ c, matches: (p: Pod) => p.metadata.namespace === ns && controllerUid(p) === uid }));
}

/** countDomains counts, per topology value, pods matching one constraint on eligible nodes. */
export function countDomains(k: Constraint, pod: Pod, nodes: readonly NodeInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  const aff = compileNodeAffinity(pod).required;
  for (const n of nodes) {
    const v = n.labels[k.c.topologyKey];
    if (v === undefined || !aff(n.labels, n.name)) continue;
    let c = counts.get(v) ?? 0;
    for (const pi of n.pods) if (k.matches(pi.pod)) c++;
    counts.set(v, c);
  }
  return counts;
}

const KEY = POD_TOPOLOGY_SPREAD;

/** PodTopologySpread filters on DoNotSchedule constraints and scores ScheduleAnyway ones. */
export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = POD_TOPOLOGY_SPREAD;
  private readonly defaults: TopologySpreadConstraint[];

  constructor(args: SpreadArgs = {}) {
    this.defaults = args.defaultingType === 'List' ? (args.defaultConstraints ?? []) : SYSTEM_DEFAULTS;
  }

  preFilter(state: CycleState, pod: Pod, snap: Snapshot): Status {
    const all = constraintsFor(pod, this.defaults);
    const hard = all.filter((k) => k.c.whenUnsatisfiable === 'DoNotSchedule');
    const soft = all.filter((k) => k.c.whenUnsatisfiable !== 'DoNotSchedule');
    const counts = hard.map((k) => countDomains(k, pod, snap.nodes));
    const minMatch = counts.map((m) => (m.size ? Math.min(...m.values()) : 0));
    state.set(KEY, { hard, soft, counts, minMatch } satisfies SpreadState);
    return SUCCESS;
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    const s = state.get(KEY) as SpreadState | undefined;
    if (!s?.hard.length) return SUCCESS;
    for (let i = 0; i < s.hard.length; i++) {
      const k = s.hard[i]!;
      const v = node.labels[k.c.topologyKey];
      if (v === undefined) return unresolvable(ERR_SPREAD_LABEL);
      const self = k.matches(pod) ? 1 : 0;
      if ((s.counts[i]!.get(v) ?? 0) + self - s.minMatch[i]! > k.c.maxSkew) return unschedulable(ERR_SPREAD);
    }
    return SUCCESS;
  }

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[], snap: Snapshot): Status {
    const s = state.get(KEY) as SpreadState | undefined;
    if (!s?.soft.length) return SUCCESS;
    state.set(`${KEY}/score`, s.soft.map((k) => countDomains(k, pod, snap.nodes)));
    return SUCCESS;
  }

  /** score is the weighted count of matching pods in the node's domains (lower is better). */
  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    const s = state.get(KEY) as SpreadState | undefined;
    const counts = state.get(`${KEY}/score`) as Map<string, number>[] | undefined;
    if (!s || !counts) return 0;
    let score = 0;
    for (let i = 0; i < s.soft.length; i++) {
      const v = node.labels[s.soft[i]!.c.topologyKey];
      if (v === undefined) continue;
      // log(domains + 2) weights constraints with many domains more (upstream topologyNormalizingWeight).
      score += (counts[i]!.get(v) ?? 0) * Math.log(counts[i]!.size + 2) + (s.soft[i]!.c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** normalizeScore maps the lowest count to 100 and the highest towards 0. */
  normalizeScore(state: CycleState, _pod: Pod, scores: number[]): void {
    if (!state.get(`${KEY}/score`)) {
      scores.fill(0);
      return;
    }
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    for (let i = 0; i < scores.length; i++) {
      scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
    }
  }
}
