// The Deployment controller's wiring: Deployment events enqueue the Deployment; ReplicaSet
// events enqueue the owning Deployment (orphans: every Deployment whose selector matches);
// pod deletions wake Recreate rollouts waiting for old pods to go.
import { selectorFromLabelSelector } from '../../api/labels.js';
import { objectKey } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { controllerRef, type DeploymentObj, type PodObj, type ReplicaSetObj } from '../replicaset/objects.js';
import { runWorkers } from '../replicaset/worker.js';
import { restDeploymentApi } from './api.js';
import type { DeploymentSyncDeps } from './context.js';
import { syncDeployment } from './sync.js';

/** DeploymentController rolls Deployments out through ReplicaSets. */
export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly queue: WorkQueue<string>;
  private readonly deps: DeploymentSyncDeps;
  private readonly dInformer: Informer<DeploymentObj>;
  private readonly rsInformer: Informer<ReplicaSetObj>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.dInformer = ctx.informers.informerFor<DeploymentObj>(mustResource('deployments'));
    this.rsInformer = ctx.informers.informerFor<ReplicaSetObj>(mustResource('replicasets'));
    const pods = ctx.informers.informerFor<PodObj>(mustResource('pods'));
    this.deps = {
      deployments: this.dInformer.lister,
      replicaSets: this.rsInformer.lister,
      pods: pods.lister,
      api: restDeploymentApi(ctx.client, ctx.clock),
      clock: ctx.clock,
      enqueueAfter: (key, ms) => this.queue.addAfter(key, ms),
    };
    const enqueue = (d: DeploymentObj) => this.queue.add(objectKey(d));
    this.dInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, d) => enqueue(d), onDelete: enqueue });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueueFor(rs),
      onUpdate: (old, cur) => this.onReplicaSetUpdated(old, cur),
      onDelete: (rs) => this.enqueueOwner(rs),
    });
    pods.onDelete((p) => this.onPodDeleted(p));
  }

  run(signal: AbortSignal): Promise<void> {
    const sync = (key: string) => syncDeployment(this.deps, key);
    return runWorkers({ name: this.name, queue: this.queue, workers: this.ctx.config.workers, sync }, signal);
  }

  private ownerKey(o: ReplicaSetObj): string | undefined {
    const ref = controllerRef(o);
    if (ref?.kind !== 'Deployment') return undefined;
    const d = this.dInformer.lister.getByName(o.metadata.namespace, ref.name);
    return d?.metadata.uid === ref.uid ? objectKey(d) : undefined;
  }

  private enqueueOwner(rs: ReplicaSetObj): void {
    const key = this.ownerKey(rs);
    if (key) this.queue.add(key);
  }

  private enqueueFor(rs: ReplicaSetObj): void {
    if (controllerRef(rs)) return this.enqueueOwner(rs);
    for (const d of this.dInformer.lister.listByNamespace(rs.metadata.namespace ?? '')) {
      if (selectorFromLabelSelector(d.spec.selector).matches(rs.metadata.labels)) this.queue.add(objectKey(d));
    }
  }

  private onReplicaSetUpdated(old: ReplicaSetObj, cur: ReplicaSetObj): void {
    const oldKey = this.ownerKey(old);
    if (oldKey && oldKey !== this.ownerKey(cur)) this.queue.add(oldKey);
    this.enqueueFor(cur);
  }

  private onPodDeleted(p: PodObj): void {
    const ref = controllerRef(p);
    const rs = ref?.kind === 'ReplicaSet' ? this.rsInformer.lister.getByName(p.metadata.namespace, ref.name) : undefined;
    const key = rs && this.ownerKey(rs);
    if (key && this.dInformer.lister.get(key)?.spec.strategy?.type === 'Recreate') this.queue.add(key);
  }
}

/** newDeploymentController is the ControllerConstructor the manager registers as 'deployment'. */
export function newDeploymentController(ctx: ControllerContext): Controller {
  return new DeploymentController(ctx);
}
