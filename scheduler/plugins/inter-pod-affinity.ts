// InterPodAffinity (upstream plugins/interpodaffinity). Required terms filter:
//  - the pod's affinity: each term needs a matching pod in the node's topology domain (a pod
//    matching its own term may start a domain when no pod matches anywhere);
//  - the pod's anti-affinity: no matching pod in the node's domain;
//  - existing pods' anti-affinity: no pod whose required anti-affinity matches the incoming pod
//    in the node's domain.
// Preferred terms score: + weight per matching pod in the domain, − for anti-affinity.
// Any namespaceSelector is read as `{}` (all namespaces): Skiff's scheduler has no namespace
// informer to evaluate one against.

import { selectorFromLabelSelector } from '../../api/labels.js';
import type { Pod } from '../../api/types/index.js';
import { affinityOf, type PodAffinityTerm } from '../affinity-types.js';
import type { CycleState, FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import { SUCCESS, unresolvable, unschedulable, type Status } from '../framework/status.js';
import type { NodeInfo, Snapshot } from '../nodeinfo.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/** termMatches reports whether target is selected by term as written in owner's spec. */
export function termMatches(term: PodAffinityTerm, owner: Pod, target: Pod): boolean {
  const nsOk = term.namespaces?.length
    ? term.namespaces.includes(target.metadata.namespace ?? '')
    : term.namespaceSelector !== undefined || target.metadata.namespace === owner.metadata.namespace;
  return nsOk && selectorFromLabelSelector(term.labelSelector).matches(target.metadata.labels);
}

/** domainKey is `topologyKey=value` for a node, or undefined when the node lacks the label. */
function domainKey(key: string, node: NodeInfo): string | undefined {
  const v = node.labels[key];
  return v === undefined ? undefined : `${key}=${v}`;
}

interface AffinityState {
  /** Per required affinity term, the domains holding a matching pod. */
  affinity: Set<string>[];
  /** Per required anti-affinity term, the domains holding a matching pod. */
  anti: Set<string>[];
  /** Domains where an existing pod's required anti-affinity matches the incoming pod. */
  existingAnti: Set<string>;
  /** True when no pod anywhere matches some affinity term and the pod matches all of its own terms. */
  selfStart: boolean;
}

const KEY = INTER_POD_AFFINITY;

/** computeAffinityState walks the cluster's pods once for the incoming pod. */
export function computeAffinityState(pod: Pod, snap: Snapshot): AffinityState {
  const aff = affinityOf(pod);
  const req = aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const antiReq = aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const st: AffinityState = { affinity: req.map(() => new Set()), anti: antiReq.map(() => new Set()), existingAnti: new Set(), selfStart: false };
  for (const node of snap.nodes) {
    for (const pi of node.pods) {
      req.forEach((t, i) => addIf(st.affinity[i]!, t, pod, pi.pod, node));
      antiReq.forEach((t, i) => addIf(st.anti[i]!, t, pod, pi.pod, node));
      if (!pi.hasRequiredAntiAffinity) continue;
      for (const t of affinityOf(pi.pod)!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution!) addIf(st.existingAnti, t, pi.pod, pod, node);
    }
  }
  st.selfStart = req.length > 0 && st.affinity.every((s) => s.size === 0) && req.every((t) => termMatches(t, pod, pod));
  return st;
}

function addIf(set: Set<string>, t: PodAffinityTerm, owner: Pod, target: Pod, node: NodeInfo): void {
  const d = domainKey(t.topologyKey, node);
  if (d && termMatches(t, owner, target)) set.add(d);
}

/** InterPodAffinity filters on required terms and scores preferred ones. */
export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = INTER_POD_AFFINITY;

  preFilter(state: CycleState, pod: Pod, snap: Snapshot): Status {
    const aff = affinityOf(pod);
    if (!aff?.podAffinity && !aff?.podAntiAffinity && !snap.havePodsWithAffinity()) return SUCCESS;
    state.set(KEY, computeAffinityState(pod, snap));
    return SUCCESS;
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    const st = state.get(KEY) as AffinityState | undefined;
    if (!st) return SUCCESS;
    const aff = affinityOf(pod);
    for (const t of aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const i = aff!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.indexOf(t);
      const d = domainKey(t.topologyKey, node);
      if (d && st.anti[i]!.has(d)) return unschedulable(ERR_ANTI_AFFINITY);
    }
    for (const key of st.existingAnti) if (node.labels[key.slice(0, key.indexOf('='))] === key.slice(key.indexOf('=') + 1)) return unschedulable(ERR_EXISTING_ANTI_AFFINITY);
    const req = aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    for (let i = 0; i < req.length; i++) {
      const d = domainKey(req[i]!.topologyKey, node);
      if (!d) return unresolvable(ERR_AFFINITY);
      if (!st.affinity[i]!.has(d) && !st.selfStart) return unresolvable(ERR_AFFINITY);
    }
    return SUCCESS;
  }

  /** preScore sums preferred weights per domain over every existing pod. */
  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[], snap: Snapshot): Status {
    const aff = affinityOf(pod);
    const terms = [
      ...(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...w, sign: 1 })),
      ...(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...w, sign: -1 })),
    ];
    if (terms.length === 0) return SUCCESS;
    const weights = new Map<string, number>();
    for (const node of snap.nodes) {
      for (const pi of node.pods) {
        for (const t of terms) {
          const d = domainKey(t.podAffinityTerm.topologyKey, node);
          if (d && termMatches(t.podAffinityTerm, pod, pi.pod)) weights.set(d, (weights.get(d) ?? 0) + t.sign * t.weight);
        }
      }
    }
    state.set(`${KEY}/score`, { weights, keys: [...new Set(terms.map((t) => t.podAffinityTerm.topologyKey))] });
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    const s = state.get(`${KEY}/score`) as { weights: Map<string, number>; keys: string[] } | undefined;
    if (!s) return 0;
    let sum = 0;
    for (const k of s.keys) sum += s.weights.get(`${k}=${node.labels[k]}`) ?? 0;
    return sum;
  }

  /** normalizeScore maps [min, max] onto [0, 100]. */
  normalizeScore(state: CycleState, _pod: Pod, scores: number[]): void {
    if (!state.get(`${KEY}/score`)) return;
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    for (let i = 0; i < scores.length; i++) scores[i] = max === min ? 0 : Math.floor((MAX_NODE_SCORE * (scores[i]! - min)) / (max - min));
  }
}
