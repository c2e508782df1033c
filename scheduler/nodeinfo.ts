// NodeInfo: one node with the pods on it (bound and assumed) and their summed requests, kept
// incrementally by the cache. Filter and Score plugins read only this.

import { objectKey } from '../api/meta.js';
import type { Node, Pod } from '../api/types/index.js';
import { affinityOf } from './affinity-types.js';
import { addInto, emptyResource, nodeAllocatable, podResources, type PodResources, type Resource } from './resources.js';

/** PodInfo is a pod with what the plugins need precomputed. */
export interface PodInfo {
  pod: Pod;
  key: string;
  requests: PodResources;
  /** hostIP/protocol/hostPort triples this pod occupies. */
  ports: HostPort[];
  hasAffinity: boolean;
  hasRequiredAntiAffinity: boolean;
}

/** HostPort is one container hostPort claim. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** newPodInfo builds a PodInfo; requests are cached per pod object. */
export function newPodInfo(pod: Pod): PodInfo {
  const aff = affinityOf(pod);
  return {
    pod,
    key: objectKey(pod),
    requests: podResources(pod),
    ports: hostPorts(pod),
    hasAffinity: Boolean(aff?.podAffinity || aff?.podAntiAffinity),
    hasRequiredAntiAffinity: Boolean(aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length),
  };
}

/** hostPorts lists the hostPorts the pod's containers claim (0.0.0.0 when no hostIP). */
export function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** NodeInfo aggregates one node's pods; mutate it only through addPod/removePod/setNode. */
export class NodeInfo {
  node?: Node;
  name: string;
  pods: PodInfo[] = [];
  requested: Resource = emptyResource();
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  allocatable: Resource = emptyResource();
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** Bumped on every change, so callers can tell a node changed. */
  generation = 0;

  constructor(name: string, node?: Node) {
    this.name = name;
    if (node) this.setNode(node);
  }

  /** setNode replaces the Node object and re-reads its allocatable. */
  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.generation++;
  }

  /** labels are the node's labels ({} before the Node is known). */
  get labels(): Record<string, string> {
    return this.node?.metadata.labels ?? {};
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    this.account(pi, 1);
  }

  /** removePod removes the pod with key; false when it is not here. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const [pi] = this.pods.splice(i, 1);
    this.account(pi!, -1);
    return true;
  }

  /** clone copies the node for what-if simulation (preemption); PodInfos are shared. */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    Object.assign(c, this, { pods: [...this.pods], requested: { ...this.requested, scalar: new Map(this.requested.scalar) } });
    return c;
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    addInto(this.requested, pi.requests, sign);
    this.nonZeroCPU += sign * pi.requests.nonZeroCPU;
    this.nonZeroMemory += sign * pi.requests.nonZeroMemory;
    if (pi.hasAffinity) this.podsWithAffinity += sign;
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity += sign;
    this.generation++;
  }
}

/** Snapshot is the cluster as one scheduling cycle sees it. */
export interface Snapshot {
  /** Nodes in a stable order (the order the search for feasible nodes walks). */
  readonly nodes: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** True when some pod in the cluster has (anti-)affinity terms; lets InterPodAffinity skip work. */
  havePodsWithAffinity(): boolean;
}
