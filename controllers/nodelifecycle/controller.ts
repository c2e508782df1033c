// The node lifecycle controller's wiring. Node, Lease (kube-node-lease) and pod events enqueue
// the node's name; sync(name) refreshes the node's health record from the caches, writes the
// conditions and taints decideNode asks for, marks pods on an unreachable node not ready, evicts
// pods whose tolerations ran out, and requeues itself for the next deadline (no polling).
// Events as upstream's: RegisteredNode / RemovingNode and NodeNotReady on the node, NodeNotReady
// on its pods, TaintManagerEviction when a pod is marked for deletion or its deletion cancelled.
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import { rfc3339 } from '../../api/time.js';
import type { Node } from '../../api/types/core.js';
import type { Lease } from '../../api/types/misc.js';
import type { Pod } from '../../api/types/pod.js';
import type { Informer } from '../../client/informer.js';
import { fieldIndexer } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../replicaset/worker.js';
import { refOf } from '../../client/events.js';
import { restNodeLifecycleApi, type NodeLifecycleApi } from './api.js';
import { cancelledEvictions, planEvictions, podKey, podsToMarkNotReady, type EvictionPlan } from './eviction.js';
import { decideNode, fullDisruption, observe, readyCondition, type HealthRecord, type NodeDecision } from './health.js';

type NodeObj = Node & KubeObject;
type LeaseObj = Lease & KubeObject;
type PodObj = Pod & KubeObject;

/** NODE_LEASE_NAMESPACE holds one Lease per node, named after it. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const BY_NODE = 'spec.nodeName';

/** NodeLifecycleController marks silent nodes Unknown, taints them and evicts their pods. */
export class NodeLifecycleController implements Controller {
  readonly name = 'nodelifecycle';
  readonly queue: WorkQueue<string>;
  readonly health = new Map<string, HealthRecord>();
  /** Per node, the pods with an eviction scheduled at the last sync (to report cancellations). */
  private readonly pendingEvictions = new Map<string, Set<string>>();
  private readonly nodes: Informer<NodeObj>;
  private readonly leases: Informer<LeaseObj>;
  private readonly pods: Informer<PodObj>;
  private readonly api: NodeLifecycleApi;

  /** api defaults to the REST writes; sync fixtures pass a recorder. */
  constructor(private readonly ctx: ControllerContext, api?: NodeLifecycleApi) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.api = api ?? restNodeLifecycleApi(ctx.client, ctx.clock);
    this.nodes = ctx.informers.informerFor<NodeObj>(mustResource('nodes'));
    this.leases = ctx.informers.informerFor<LeaseObj>(mustResource('leases'));
    this.pods = ctx.informers.informerFor<PodObj>(mustResource('pods'), { [BY_NODE]: fieldIndexer<PodObj>('spec.nodeName') });
    const byName = (o: KubeObject) => this.queue.add(o.metadata.name!);
    this.nodes.addEventHandler({ onAdd: byName, onUpdate: (_o, n) => byName(n), onDelete: (n) => this.forget(n) });
    const lease = (l: LeaseObj) => l.metadata.namespace === NODE_LEASE_NAMESPACE && byName(l);
    this.leases.addEventHandler({ onAdd: lease, onUpdate: (_o, l) => lease(l) });
    const pod = (p: PodObj) => p.spec.nodeName && this.queue.add(p.spec.nodeName);
    this.pods.addEventHandler({ onAdd: pod, onUpdate: (_o, p) => pod(p) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers({ name: this.name, queue: this.queue, workers: this.ctx.config.workers, sync: (k) => this.sync(k) }, signal);
  }

  /** sync brings node `name`'s conditions, taints and pods in line with its health. */
  async sync(name: string): Promise<void> {
    const node = this.nodes.lister.get(name);
    if (!node) return void this.health.delete(name);
    const now = this.ctx.clock.now();
    const prev = this.health.get(name);
    if (!prev) this.nodeEvent(node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    const rec = observe(prev, node, this.leases.lister.get(`${NODE_LEASE_NAMESPACE}/${name}`), now);
    this.health.set(name, rec);
    const d = decideNode(node, rec, now, this.ctx.config.nodeMonitorGracePeriodMs, rfc3339(now));
    await this.writeNode(node, d);
    const pods = this.pods.lister.byIndex(BY_NODE, name);
    if (d.unreachable) await this.markPodsNotReady(pods, now);
    const plan = planEvictions(pods, d.taints ?? node.spec?.taints ?? [], now);
    const halted = fullDisruption(this.health.values(), now, this.ctx.config.nodeMonitorGracePeriodMs);
    if (!halted) await this.evict(name, pods, plan);
    // While evictions are halted, look again after a grace period: another node may be back.
    const evictCheck = halted && plan.evict.length ? this.ctx.config.nodeMonitorGracePeriodMs : plan.nextInMs;
    const next = Math.min(d.recheckAfterMs ?? Infinity, evictCheck ?? Infinity);
    if (Number.isFinite(next)) this.queue.addAfter(name, Math.max(1, next));
  }

  private async writeNode(node: NodeObj, d: NodeDecision): Promise<void> {
    const written = d.conditions ? await this.api.setConditions(node, d.conditions) : node;
    if (d.conditions && readyCondition(node)?.status === 'True') {
      this.nodeEvent(node, 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    }
    if (d.taints) await this.api.setTaints(written, d.taints);
  }

  private async markPodsNotReady(pods: PodObj[], now: number): Promise<void> {
    for (const p of podsToMarkNotReady(pods)) {
      await this.api.markPodNotReady(p, rfc3339(now));
      this.api.event(refOf(p, 'v1', 'Pod'), 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  private async evict(node: string, pods: PodObj[], plan: EvictionPlan<PodObj>): Promise<void> {
    for (const p of cancelledEvictions(this.pendingEvictions.get(node) ?? new Set(), pods, plan)) {
      this.api.event(refOf(p, 'v1', 'Pod'), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${podKey(p)}`);
    }
    if (plan.pending.length) this.pendingEvictions.set(node, new Set(plan.pending.map(podKey)));
    else this.pendingEvictions.delete(node);
    for (const p of plan.evict) {
      this.api.event(refOf(p, 'v1', 'Pod'), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${podKey(p)}`);
      await this.api.evict(p);
    }
  }

  private forget(node: NodeObj): void {
    const name = node.metadata.name!;
    this.health.delete(name);
    this.pendingEvictions.delete(name);
    this.nodeEvent(node, 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
  }

  private nodeEvent(node: NodeObj, reason: string, message: string): void {
    this.api.event({ ...refOf(node, 'v1', 'Node'), namespace: '' }, 'Normal', reason, message);
  }
}

/** newNodeLifecycleController is the ControllerConstructor registered as 'nodelifecycle'. */
export function newNodeLifecycleController(ctx: ControllerContext): Controller {
  return new NodeLifecycleController(ctx);
}
