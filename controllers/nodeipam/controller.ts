// The node IPAM controller (upstream's range allocator): every Node without spec.podCIDR gets
// the lowest free block of the cluster CIDR. The taken blocks live in a CidrSet kept up to date
// from the Node informer, so one allocation costs the same with 5,000 nodes as with 5. One
// worker only: allocating, and releasing a deleted node's blocks, never race.
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Node } from '../../api/types/core.js';
import type { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../replicaset/worker.js';
import { CidrSet } from './cidr.js';

type NodeObj = Node & KubeObject;
const nodes = mustResource('nodes');

/** NodeIpamController assigns spec.podCIDR(s) to nodes. */
export class NodeIpamController implements Controller {
  readonly name = 'nodeipam';
  readonly queue: WorkQueue<string>;
  private readonly informer: Informer<NodeObj>;
  /** Taken blocks; undefined when the cluster CIDR is unusable (every sync then says why). */
  private readonly blocks: CidrSet | undefined;
  /** The blocks each node holds: its spec's, or the one this process gave it before the informer saw it. */
  private readonly held = new Map<string, string[]>();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.blocks = CidrSet.parse(ctx.config.clusterCidr, ctx.config.nodeCidrMaskSize);
    this.informer = ctx.informers.informerFor<NodeObj>(nodes);
    const seen = (n: NodeObj) => {
      this.hold(n);
      this.queue.add(n.metadata.name!);
    };
    this.informer.addEventHandler({ onAdd: seen, onUpdate: (_o, n) => seen(n), onDelete: (n) => this.queue.add(n.metadata.name!) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers({ name: this.name, queue: this.queue, workers: 1, sync: (k) => this.sync(k) }, signal);
  }

  /** sync gives node `name` a block if it has none, or frees a deleted node's; errors (e.g. CIDR exhausted) requeue. */
  async sync(name: string): Promise<void> {
    const node = this.informer.lister.get(name);
    if (!node) {
      for (const block of this.held.get(name) ?? []) this.blocks?.release(block);
      this.held.delete(name);
      return;
    }
    if (node.spec?.podCIDR) return;
    if (!this.blocks) throw new Error(`cluster CIDR ${this.ctx.config.clusterCidr} cannot be cut into /${this.ctx.config.nodeCidrMaskSize} blocks (at most 2^16 of them)`);
    const cidr = this.held.get(name)?.[0] ?? this.blocks.allocate();
    if (!cidr) throw new Error(`no remaining CIDR in ${this.ctx.config.clusterCidr} for node ${name}`);
    this.held.set(name, [cidr]);
    try {
      await this.ctx.client.patch(nodes, undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
    } catch (err) {
      this.blocks.release(cidr);
      this.held.delete(name);
      throw err;
    }
  }

  /** hold records (and marks taken) the blocks a node's spec names. */
  private hold(n: NodeObj): void {
    const cidrs = [...new Set([...(n.spec?.podCIDRs ?? []), ...(n.spec?.podCIDR ? [n.spec.podCIDR] : [])])];
    if (!cidrs.length || this.held.get(n.metadata.name!)?.join() === cidrs.join()) return; // status updates repeat the same spec
    for (const block of cidrs) this.blocks?.occupy(block);
    this.held.set(n.metadata.name!, cidrs);
  }
}

/** newNodeIpamController is the ControllerConstructor registered as 'nodeipam'. */
export function newNodeIpamController(ctx: ControllerContext): Controller {
  return new NodeIpamController(ctx);
}
