// Typed views of pod.spec.affinity and topologySpreadConstraints, which api/types/pod.ts keeps
// opaque. Shapes follow core/v1 exactly.

import type { LabelSelector } from '../api/labels.js';
import type { Pod } from '../api/types/index.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

export interface Affinity {
  nodeAffinity?: NodeAffinity;
  podAffinity?: PodAffinity;
  podAntiAffinity?: PodAffinity;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' | (string & {});
  labelSelector?: LabelSelector;
  minDomains?: number;
  matchLabelKeys?: string[];
}

/** affinityOf reads pod.spec.affinity with its real type. */
export function affinityOf(pod: Pod): Affinity | undefined {
  return pod.spec.affinity as Affinity | undefined;
}

/** spreadConstraintsOf reads pod.spec.topologySpreadConstraints (absent from PodSpec's type). */
export function spreadConstraintsOf(pod: Pod): TopologySpreadConstraint[] {
  const spec = pod.spec as { topologySpreadConstraints?: TopologySpreadConstraint[] };
  return spec.topologySpreadConstraints ?? [];
}

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
