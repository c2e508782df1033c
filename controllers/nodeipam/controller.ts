// The node IPAM controller (upstream's range allocator): every Node without spec.podCIDR gets
// the lowest free block of the cluster CIDR. One worker only, plus a record of what this
// process assigned, so two nodes never get the same block while the informer catches up.
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Node } from '../../api/types/core.js';
import type { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../replicaset/worker.js';
import { nextFreeCidr } from './cidr.js';

type NodeObj = Node & KubeObject;
const nodes = mustResource('nodes');

/** NodeIpamController assigns spec.podCIDR(s) to nodes. */
export class NodeIpamController implements Controller {
  readonly name = 'nodeipam';
  readonly queue: WorkQueue<string>;
  private readonly informer: Informer<NodeObj>;
  /** Blocks this process assigned, by node name, until the node is deleted. */
  private readonly assigned = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.informer = ctx.informers.informerFor<NodeObj>(nodes);
    const enqueue = (n: NodeObj) => this.queue.add(n.metadata.name!);
    this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers({ name: this.name, queue: this.queue, workers: 1, sync: (k) => this.sync(k) }, signal);
  }

  /** sync gives node `name` a block if it has none; errors (e.g. CIDR exhausted) requeue. */
  async sync(name: string): Promise<void> {
    const node = this.informer.lister.get(name);
    if (!node) return void this.assigned.delete(name);
    if (node.spec?.podCIDR) return;
    const mine = this.assigned.get(name);
    const cidr = mine ?? nextFreeCidr(this.ctx.config.clusterCidr, this.ctx.config.nodeCidrMaskSize, this.used(name));
    if (!cidr) throw new Error(`no remaining CIDR in ${this.ctx.config.clusterCidr} for node ${name}`);
    this.assigned.set(name, cidr);
    try {
      await this.ctx.client.patch(nodes, undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
    } catch (err) {
      this.assigned.delete(name);
      throw err;
    }
  }

  /** used: every block on a cached node or assigned by this process, except `except`'s record. */
  private used(except: string): string[] {
    const out: string[] = [];
    for (const n of this.informer.lister.list()) out.push(...(n.spec?.podCIDRs ?? []), ...(n.spec?.podCIDR ? [n.spec.podCIDR] : []));
    for (const [name, cidr] of this.assigned) if (name !== except) out.push(cidr);
    return out;
  }
}

/** newNodeIpamController is the ControllerConstructor registered as 'nodeipam'. */
export function newNodeIpamController(ctx: ControllerContext): Controller {
  return new NodeIpamController(ctx);
}
