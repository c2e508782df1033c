// The garbage collector's wiring. Handlers enqueue: a new object with owners, an object whose
// owners or deletion state changed, and — when an object goes away — its dependents (their owner
// may now be gone) and its owners (a foreground owner may now be unblocked).
import type { KubeObject } from '../../api/meta.js';
import { RESOURCES, type ResourceInfo } from '../../api/registry.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../replicaset/worker.js';
import { restGcApi } from './api.js';
import { itemKey, OwnerGraph } from './graph.js';
import { FOREGROUND, ORPHAN, hasFinalizer } from './plan.js';
import { syncItem, type GcDeps } from './sync.js';

/** GarbageCollector deletes dependents of deleted owners, honouring propagationPolicy. */
export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  readonly queue: WorkQueue<string>;
  readonly graph: OwnerGraph;
  private readonly deps: GcDeps;

  constructor(private readonly ctx: ControllerContext, resources: readonly ResourceInfo[] = RESOURCES) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.graph = new OwnerGraph(ctx.informers, resources);
    this.deps = { graph: this.graph, api: restGcApi(ctx.client), enqueue: (k) => this.queue.add(k) };
    this.graph.addEventHandler((res) => ({
      onAdd: (o) => this.onAdd(res, o),
      onUpdate: (old, cur) => this.onUpdate(res, old, cur),
      onDelete: (o) => this.onDelete(o),
    }));
  }

  run(signal: AbortSignal): Promise<void> {
    const sync = (key: string) => syncItem(this.deps, key);
    return runWorkers({ name: this.name, queue: this.queue, workers: this.ctx.config.workers, sync }, signal);
  }

  private onAdd(res: ResourceInfo, o: KubeObject): void {
    if (o.metadata.ownerReferences?.length || deletingWithPolicy(o)) this.queue.add(itemKey(res, o));
  }

  private onUpdate(res: ResourceInfo, old: KubeObject, cur: KubeObject): void {
    const refsChanged = JSON.stringify(old.metadata.ownerReferences) !== JSON.stringify(cur.metadata.ownerReferences);
    if (refsChanged || deletingWithPolicy(cur)) this.queue.add(itemKey(res, cur));
  }

  private onDelete(o: KubeObject): void {
    for (const d of this.graph.dependentsOf(o.metadata.uid ?? '')) this.queue.add(itemKey(d.res, d.obj));
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = this.graph.byUid(ref.uid);
      if (owner) this.queue.add(itemKey(owner.res, owner.obj));
    }
  }
}

function deletingWithPolicy(o: KubeObject): boolean {
  return !!o.metadata.deletionTimestamp && (hasFinalizer(o, FOREGROUND) || hasFinalizer(o, ORPHAN));
}

/** newGarbageCollector is the ControllerConstructor registered as 'garbagecollector'. */
export function newGarbageCollector(ctx: ControllerContext): Controller {
  return new GarbageCollector(ctx);
}
