// NodeAffinity, which also applies spec.nodeSelector (upstream plugins/nodeaffinity): required
// terms filter (terms are ORed, expressions in a term ANDed); preferred terms add their weight.

import { requirementMatches, type Operator, type Requirement } from '../../api/labels.js';
import type { Pod } from '../../api/types/index.js';
import { affinityOf, type NodeSelectorRequirement, type NodeSelectorTerm } from '../affinity-types.js';
import { defaultNormalize, type CycleState, type FilterPlugin, type ScorePlugin } from '../framework/interface.js';
import { SUCCESS, unresolvable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

const OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

/** NodeMatcher tests a node's labels and name. */
type NodeMatcher = (labels: Record<string, string>, name: string) => boolean;

function requirementOf(r: NodeSelectorRequirement): Requirement | undefined {
  const op = OPS[r.operator];
  return op ? { key: r.key, op, values: r.values ?? [] } : undefined;
}

/** termMatcher compiles one NodeSelectorTerm; an empty or invalid term matches nothing, as upstream. */
export function termMatcher(term: NodeSelectorTerm): NodeMatcher {
  const exprs = (term.matchExpressions ?? []).map(requirementOf);
  const fields = (term.matchFields ?? []).map(requirementOf);
  if (exprs.length + fields.length === 0 || [...exprs, ...fields].some((r) => !r)) return () => false;
  return (labels, name) =>
    exprs.every((r) => requirementMatches(r!, labels)) &&
    fields.every((r) => r!.key === 'metadata.name' && requirementMatches(r!, { 'metadata.name': name }));
}

interface CompiledAffinity {
  required: NodeMatcher;
  preferred: { weight: number; match: NodeMatcher }[];
}

const compiled = new WeakMap<Pod, CompiledAffinity>();

/** compileNodeAffinity builds (once per pod object) the required and preferred matchers. */
export function compileNodeAffinity(pod: Pod): CompiledAffinity {
  let c = compiled.get(pod);
  if (c) return c;
  const na = affinityOf(pod)?.nodeAffinity;
  const selector = Object.entries(pod.spec.nodeSelector ?? {});
  const terms = na?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.map(termMatcher);
  const required: NodeMatcher = (labels, name) =>
    selector.every(([k, v]) => labels[k] === v) && (!terms || terms.some((t) => t(labels, name)));
  const preferred = (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => ({ weight: p.weight, match: termMatcher(p.preference) }));
  compiled.set(pod, (c = { required, preferred }));
  return c;
}

/** NodeAffinity filters on nodeSelector and required affinity, and scores preferred terms. */
export class NodeAffinity implements FilterPlugin, ScorePlugin {
  readonly name = NODE_AFFINITY;

  filter(_s: CycleState, pod: Pod, node: NodeInfo): Status {
    if (!pod.spec.nodeSelector && !affinityOf(pod)?.nodeAffinity) return SUCCESS;
    return compileNodeAffinity(pod).required(node.labels, node.name) ? SUCCESS : unresolvable(ERR_NODE_AFFINITY);
  }

  score(_s: CycleState, pod: Pod, node: NodeInfo): number {
    if (!affinityOf(pod)?.nodeAffinity) return 0;
    let sum = 0;
    for (const p of compileNodeAffinity(pod).preferred) if (p.match(node.labels, node.name)) sum += p.weight;
    return sum;
  }

  normalizeScore(_s: CycleState, _p: Pod, scores: number[]): void {
    defaultNormalize(scores);
  }
}
