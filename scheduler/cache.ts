// The scheduler cache (upstream internal/cache/cache.go): every node with the pods on it, fed by
// informers, plus assumed pods: a pod counts against its node from the moment it is chosen,
// before the binding reaches the API. A failed bind forgets the assumption; the informer's
// update for the bound pod confirms it.
//
// The cache doubles as the cycle's Snapshot: a scheduling cycle is synchronous, so no informer
// event can change the cache while a cycle reads it.

import { objectKey } from '../api/meta.js';
import type { Node, Pod } from '../api/types/index.js';
import { NodeInfo, newPodInfo, type PodInfo, type Snapshot } from './nodeinfo.js';

interface PodState {
  info: PodInfo;
  node: string;
  assumed: boolean;
  bindingFinished: boolean;
}

/** SchedulerCache implements Snapshot over its live NodeInfos. */
export class SchedulerCache implements Snapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private nodeList: NodeInfo[] = [];
  private affinityPods = 0;

  get nodes(): readonly NodeInfo[] {
    return this.nodeList;
  }

  get(name: string): NodeInfo | undefined {
    const ni = this.infos.get(name);
    return ni?.node ? ni : undefined;
  }

  havePodsWithAffinity(): boolean {
    return this.affinityPods > 0;
  }

  /** nodeCount is the number of nodes with a Node object. */
  nodeCount(): number {
    return this.nodeList.length;
  }

  /** addNode adds or updates a node. */
  addNode(node: Node): void {
    const ni = this.infoFor(node.metadata.name ?? '');
    const isNew = !ni.node;
    ni.setNode(node);
    if (isNew) this.nodeList.push(ni);
  }

  /** removeNode drops the node; its pods stay accounted under the name until they go too. */
  removeNode(name: string): void {
    const ni = this.infos.get(name);
    if (!ni?.node) return;
    ni.node = undefined;
    this.nodeList = this.nodeList.filter((n) => n !== ni);
    if (ni.pods.length === 0) this.infos.delete(name);
  }

  /** assumePod counts pod (with spec.nodeName set) against its node before binding. */
  assumePod(pod: Pod): void {
    const key = objectKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is already in the cache`);
    this.place(key, newPodInfo(pod), pod.spec.nodeName!, true);
  }

  /** finishBinding marks an assumed pod's binding as sent. */
  finishBinding(pod: Pod): void {
    const st = this.podStates.get(objectKey(pod));
    if (st?.assumed) st.bindingFinished = true;
  }

  /** forgetPod removes an assumed pod (its bind failed). */
  forgetPod(pod: Pod): void {
    const key = objectKey(pod);
    if (this.podStates.get(key)?.assumed) this.unplace(key);
  }

  /** isAssumed reports whether key is assumed and not yet confirmed. */
  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed === true;
  }

  /** addPod records a bound pod from the informer, confirming an assumption if there was one. */
  addPod(pod: Pod): void {
    const key = objectKey(pod);
    if (this.podStates.has(key)) this.unplace(key);
    this.place(key, newPodInfo(pod), pod.spec.nodeName!, false);
  }

  /** updatePod replaces a bound pod's object. */
  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  /** removePod drops a pod (deleted or finished). */
  removePod(pod: Pod): void {
    this.unplace(objectKey(pod));
  }

  /** podCount is the number of pods in the cache, assumed ones included. */
  podCount(): number {
    return this.podStates.size;
  }

  private infoFor(name: string): NodeInfo {
    let ni = this.infos.get(name);
    if (!ni) this.infos.set(name, (ni = new NodeInfo(name)));
    return ni;
  }

  private place(key: string, info: PodInfo, node: string, assumed: boolean): void {
    this.infoFor(node).addPod(info);
    this.podStates.set(key, { info, node, assumed, bindingFinished: false });
    if (info.hasAffinity) this.affinityPods++;
  }

  private unplace(key: string): void {
    const st = this.podStates.get(key);
    if (!st) return;
    this.podStates.delete(key);
    const ni = this.infos.get(st.node);
    ni?.removePod(key);
    if (st.info.hasAffinity) this.affinityPods--;
    if (ni && !ni.node && ni.pods.length === 0) this.infos.delete(st.node);
  }
}
