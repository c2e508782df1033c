// The ReplicaSet controller's wiring: informer handlers that lower expectations and enqueue the
// owning ReplicaSet's key (orphans: every ReplicaSet whose selector matches), and the workers.
import { selectorFromLabelSelector } from '../../api/labels.js';
import { objectKey } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Controller, ControllerContext } from '../controller.js';
import type { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { restReplicaSetApi } from './api.js';
import { Expectations } from './expectations.js';
import { controllerRef, type PodObj, type ReplicaSetObj } from './objects.js';
import { syncReplicaSet, type ReplicaSetSyncDeps } from './sync.js';
import { runWorkers } from './worker.js';

/** ReplicaSetController keeps every ReplicaSet's pods at spec.replicas. */
export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly queue: WorkQueue<string>;
  readonly expectations: Expectations;
  private readonly deps: ReplicaSetSyncDeps;
  private readonly rsInformer: Informer<ReplicaSetObj>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.expectations = new Expectations(ctx.clock);
    this.rsInformer = ctx.informers.informerFor<ReplicaSetObj>(mustResource('replicasets'));
    const pods = ctx.informers.informerFor<PodObj>(mustResource('pods'));
    this.deps = {
      replicaSets: this.rsInformer.lister,
      pods: pods.lister,
      api: restReplicaSetApi(ctx.client, ctx.clock),
      expectations: this.expectations,
      clock: ctx.clock,
      enqueueAfter: (key, ms) => this.queue.addAfter(key, ms),
    };
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.queue.add(objectKey(rs)),
      onUpdate: (_old, rs) => this.queue.add(objectKey(rs)),
      onDelete: (rs) => this.onReplicaSetDeleted(rs),
    });
    pods.addEventHandler({
      onAdd: (p) => this.onPodAdded(p),
      onUpdate: (old, cur) => this.onPodUpdated(old, cur),
      onDelete: (p) => this.onPodDeleted(p),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    const sync = (key: string) => syncReplicaSet(this.deps, key);
    return runWorkers({ name: this.name, queue: this.queue, workers: this.ctx.config.workers, sync }, signal);
  }

  private onReplicaSetDeleted(rs: ReplicaSetObj): void {
    this.expectations.delete(objectKey(rs));
    this.queue.add(objectKey(rs));
  }

  /** ownerKey resolves a pod's controller ref to a ReplicaSet key (uid must match). */
  private ownerKey(p: PodObj): string | undefined {
    const ref = controllerRef(p);
    if (ref?.kind !== 'ReplicaSet') return undefined;
    const rs = this.rsInformer.lister.getByName(p.metadata.namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? objectKey(rs) : undefined;
  }

  private onPodAdded(p: PodObj): void {
    if (p.metadata.deletionTimestamp) return this.onPodDeleted(p);
    if (controllerRef(p)) {
      const key = this.ownerKey(p);
      if (key) this.expectations.creationObserved(key);
      if (key) this.queue.add(key);
      return;
    }
    this.enqueueMatching(p);
  }

  private onPodUpdated(old: PodObj, cur: PodObj): void {
    if (cur.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return this.onPodDeleted(cur);
    const oldKey = this.ownerKey(old);
    const curKey = this.ownerKey(cur);
    if (oldKey && oldKey !== curKey) this.queue.add(oldKey);
    if (curKey) this.queue.add(curKey);
    const labelsChanged = JSON.stringify(old.metadata.labels) !== JSON.stringify(cur.metadata.labels);
    if (!controllerRef(cur) && (labelsChanged || controllerRef(old))) this.enqueueMatching(cur);
  }

  private onPodDeleted(p: PodObj): void {
    const key = this.ownerKey(p);
    if (!key) return;
    this.expectations.deletionObserved(key, objectKey(p));
    this.queue.add(key);
  }

  private enqueueMatching(p: PodObj): void {
    for (const rs of this.rsInformer.lister.listByNamespace(p.metadata.namespace ?? '')) {
      if (selectorFromLabelSelector(rs.spec.selector).matches(p.metadata.labels)) this.queue.add(objectKey(rs));
    }
  }
}

/** newReplicaSetController is the ControllerConstructor the manager registers as 'replicaset'. */
export function newReplicaSetController(ctx: ControllerContext): Controller {
  return new ReplicaSetController(ctx);
}
