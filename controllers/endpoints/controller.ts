// The Endpoints controller's wiring: Service events enqueue the Service; pod events enqueue every
// Service in the pod's namespace whose selector matches the pod's old or new labels; a deleted
// Endpoints object enqueues its Service so it is recreated. sync(key) reads listers only.
import { isStatusError } from '../../api/errors.js';
import { objectKey, type KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Endpoints, Service } from '../../api/types/core.js';
import type { Pod } from '../../api/types/pod.js';
import type { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import type { Lister } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../replicaset/worker.js';
import { selectedPods } from './compute.js';
import { planEndpoints } from './plan.js';

type ServiceObj = Service & KubeObject;
type PodObj = Pod & KubeObject;
type EndpointsObj = Endpoints & KubeObject;

const endpointsRes = mustResource('endpoints');

/** EndpointsController keeps one Endpoints object per selector Service, named like the Service. */
export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  readonly queue: WorkQueue<string>;
  private readonly services: Informer<ServiceObj>;
  private readonly pods: Informer<PodObj>;
  private readonly endpoints: Informer<EndpointsObj>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.services = ctx.informers.informerFor<ServiceObj>(mustResource('services'));
    this.pods = ctx.informers.informerFor<PodObj>(mustResource('pods'));
    this.endpoints = ctx.informers.informerFor<EndpointsObj>(endpointsRes);
    const enqueue = (o: KubeObject) => this.queue.add(objectKey(o));
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, s) => enqueue(s), onDelete: enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueServicesOf([p]),
      onUpdate: (old, cur) => this.enqueueServicesOf([old, cur]),
      onDelete: (p) => this.enqueueServicesOf([p]),
    });
    this.endpoints.addEventHandler({ onDelete: enqueue });
  }

  run(signal: AbortSignal): Promise<void> {
    const sync = (key: string) => syncEndpoints(this.ctx.client, this.listers(), key);
    return runWorkers({ name: this.name, queue: this.queue, workers: this.ctx.config.workers, sync }, signal);
  }

  private listers(): EndpointsListers {
    return { services: this.services.lister, pods: this.pods.lister, endpoints: this.endpoints.lister };
  }

  private enqueueServicesOf(pods: PodObj[]): void {
    const ns = pods[0]!.metadata.namespace ?? '';
    for (const svc of this.services.lister.listByNamespace(ns)) {
      if (selectedPods(svc, pods).length > 0) this.queue.add(objectKey(svc));
    }
  }
}

/** EndpointsListers are the caches syncEndpoints reads. */
export interface EndpointsListers {
  services: Lister<ServiceObj>;
  pods: Lister<PodObj>;
  endpoints: Lister<EndpointsObj>;
}

/** syncEndpoints brings the Endpoints of Service `key` in line with its pods; an error requeues. */
export async function syncEndpoints(client: RestClient, l: EndpointsListers, key: string): Promise<void> {
  const [ns, name] = key.split('/') as [string, string];
  const svc = l.services.get(key);
  const current = l.endpoints.get(key);
  if (!svc) return current ? deleteIgnoringNotFound(client, ns, name) : undefined;
  // A Service without a selector has user-managed Endpoints (upstream leaves them alone).
  if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return;
  const plan = planEndpoints(svc, current, l.pods.listByNamespace(ns));
  if (plan.action === 'create') await client.create(endpointsRes, ns, plan.endpoints as EndpointsObj);
  if (plan.action === 'update') await client.update(endpointsRes, plan.endpoints as EndpointsObj);
}

async function deleteIgnoringNotFound(client: RestClient, ns: string, name: string): Promise<void> {
  try {
    await client.delete(endpointsRes, ns, name);
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
}

/** newEndpointsController is the ControllerConstructor registered as 'endpoints'. */
export function newEndpointsController(ctx: ControllerContext): Controller {
  return new EndpointsController(ctx);
}
