// The pod garbage collector's wiring: one queue key for the whole collection, enqueued by pod
// events that may need collecting and by node deletions; sync plans over the caches and
// force-deletes. A node missing from the cache is confirmed with a live read first, since a
// just-registered node may not be cached yet (upstream quarantines such nodes for the same reason).
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Node } from '../../api/types/core.js';
import type { Pod } from '../../api/types/pod.js';
import type { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../replicaset/worker.js';
import { isTerminated, planPodGc } from './plan.js';

type PodObj = Pod & KubeObject;
type NodeObj = Node & KubeObject;
const podsRes = mustResource('pods');
const nodesRes = mustResource('nodes');
const KEY = 'podgc';

/** PodGcController force-deletes pods nobody else will finish. */
export class PodGcController implements Controller {
  readonly name = 'podgc';
  readonly queue: WorkQueue<string>;
  private readonly pods: Informer<PodObj>;
  private readonly nodes: Informer<NodeObj>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.pods = ctx.informers.informerFor<PodObj>(podsRes);
    this.nodes = ctx.informers.informerFor<NodeObj>(nodesRes);
    const pod = (p: PodObj) => this.mayNeedCollecting(p) && this.queue.add(KEY);
    this.pods.addEventHandler({ onAdd: pod, onUpdate: (_o, p) => pod(p) });
    this.nodes.addEventHandler({ onDelete: () => this.queue.add(KEY) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers({ name: this.name, queue: this.queue, workers: 1, sync: () => this.sync() }, signal);
  }

  private mayNeedCollecting(p: PodObj): boolean {
    if (isTerminated(p)) return true;
    if (!p.spec.nodeName) return !!p.metadata.deletionTimestamp;
    return !this.nodes.lister.get(p.spec.nodeName);
  }

  /** sync plans over the caches and force-deletes what the plan lists. */
  async sync(): Promise<void> {
    const nodeNames = new Set(this.nodes.lister.keys());
    const plan = planPodGc(this.pods.lister.list(), nodeNames, this.ctx.config.terminatedPodGcThreshold);
    const gone = new Map<string, boolean>();
    const orphaned: PodObj[] = [];
    for (const p of plan.orphaned) if (await this.nodeGone(p.spec.nodeName!, gone)) orphaned.push(p);
    for (const p of [...plan.terminated, ...orphaned, ...plan.unscheduledTerminating]) await this.forceDelete(p);
  }

  private async nodeGone(name: string, memo: Map<string, boolean>): Promise<boolean> {
    if (!memo.has(name)) {
      const live = await this.ctx.client.get(nodesRes, undefined, name).catch((err: unknown) => {
        if (isStatusError(err, 'NotFound')) return undefined;
        throw err;
      });
      memo.set(name, live === undefined);
    }
    return memo.get(name)!;
  }

  private async forceDelete(p: PodObj): Promise<void> {
    try {
      await this.ctx.client.delete(podsRes, p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } });
    } catch (err) {
      if (!isStatusError(err, 'NotFound') && !isStatusError(err, 'Conflict')) throw err;
    }
  }
}

/** newPodGcController is the ControllerConstructor registered as 'podgc'. */
export function newPodGcController(ctx: ControllerContext): Controller {
  return new PodGcController(ctx);
}
