// The namespace controller: for a namespace marked for deletion, delete everything in it (live
// lists, not caches: a cache that lags would let the namespace be finalized with content left,
// as upstream's deleter also lists live), record progress in status conditions, and once nothing
// is left remove the `kubernetes` finalizer so the API server removes the namespace.
import { isDeepStrictEqual } from 'node:util';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { RESOURCES, mustResource, type ResourceInfo } from '../../api/registry.js';
import { rfc3339 } from '../../api/time.js';
import type { Namespace } from '../../api/types/core.js';
import type { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { runWorkers } from '../replicaset/worker.js';
import { deletionConditions, needsFinalizing, planContent, withoutOurFinalizer, type Content } from './plan.js';

type NamespaceObj = Namespace & KubeObject;
const namespaces = mustResource('namespaces');

/** NamespaceController empties and finalizes namespaces being deleted. */
export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly queue: WorkQueue<string>;
  private readonly informer: Informer<NamespaceObj>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue<string>({ clock: ctx.clock });
    this.informer = ctx.informers.informerFor<NamespaceObj>(namespaces);
    const enqueue = (ns: NamespaceObj) => needsFinalizing(ns) && this.queue.add(ns.metadata.name!);
    this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, ns) => enqueue(ns) });
  }

  run(signal: AbortSignal): Promise<void> {
    const sync = (key: string) => this.sync(key);
    return runWorkers({ name: this.name, queue: this.queue, workers: this.ctx.config.workers, sync }, signal);
  }

  /** sync deletes what is left in namespace `name`, or finalizes it when nothing is. */
  async sync(name: string): Promise<void> {
    const ns = this.informer.lister.get(name);
    if (!ns || !needsFinalizing(ns)) return;
    const { items, failure: listFailure } = await listContent(this.ctx.client, name);
    const plan = planContent(items, this.ctx.clock.now());
    const failure = listFailure ?? (await deleteAll(this.ctx.client, plan.toDelete));
    if (plan.requeueAfterMs === 0 && !failure) return finalize(this.ctx.client, ns);
    await this.writeConditions(ns, plan.remaining, failure);
    if (failure) throw new Error(failure);
    this.queue.addAfter(name, plan.requeueAfterMs);
  }

  private async writeConditions(ns: NamespaceObj, remaining: Record<string, number>, failure: string | undefined): Promise<void> {
    const prev = ns.status?.conditions ?? [];
    const conditions = deletionConditions(prev, remaining, failure, rfc3339(this.ctx.clock.now()));
    if (isDeepStrictEqual(conditions, prev)) return;
    await this.ctx.client.updateStatus(namespaces, { ...ns, status: { ...ns.status, conditions } });
  }
}

/** namespacedResources: every namespaced kind the server serves (events included, as upstream). */
function namespacedResources(): ResourceInfo[] {
  return RESOURCES.filter((r) => r.namespaced);
}

async function listContent(client: RestClient, ns: string): Promise<{ items: Content[]; failure?: string }> {
  const items: Content[] = [];
  for (const res of namespacedResources()) {
    try {
      const list = await client.listAll(res, ns);
      for (const obj of list.items) items.push({ plural: res.plural, obj });
    } catch (err) {
      return { items, failure: `listing ${res.plural}: ${String(err)}` };
    }
  }
  return { items };
}

/** deleteAll deletes each object (background propagation); returns a failure message, if any. */
async function deleteAll(client: RestClient, items: readonly Content[]): Promise<string | undefined> {
  const failures: string[] = [];
  for (const { plural, obj } of items) {
    try {
      const opts = { propagationPolicy: 'Background' as const, preconditions: { uid: obj.metadata.uid } };
      await client.delete(mustResource(plural), obj.metadata.namespace, obj.metadata.name!, opts);
    } catch (err) {
      if (!isStatusError(err, 'NotFound') && !isStatusError(err, 'Conflict')) failures.push(`${plural}/${obj.metadata.name}: ${String(err)}`);
    }
  }
  return failures.length ? failures.join('; ') : undefined;
}

/**
 * finalize removes our spec finalizer through PUT .../namespaces/NAME/finalize, as upstream.
 * Skiff's API server does not serve that subresource yet; then it falls back to a plain update
 * of spec.finalizers. If the server's answer still lists `kubernetes` (its update path re-applies
 * the create-time default, see the report), that is an error, so the key is retried and logged.
 */
async function finalize(client: RestClient, ns: NamespaceObj): Promise<void> {
  const body = withoutOurFinalizer(ns) as NamespaceObj;
  let out: NamespaceObj;
  try {
    out = await client.request<NamespaceObj>('PUT', `/api/v1/namespaces/${encodeURIComponent(ns.metadata.name!)}/finalize`, body);
  } catch (err) {
    if (!isStatusError(err, 'NotFound') && !isStatusError(err, 'MethodNotAllowed')) throw err;
    out = await client.update(namespaces, body);
  }
  if (needsFinalizing(out)) throw new Error(`API server kept finalizer "kubernetes" on namespace ${ns.metadata.name}`);
}

/** newNamespaceController is the ControllerConstructor registered as 'namespace'. */
export function newNamespaceController(ctx: ControllerContext): Controller {
  return new NamespaceController(ctx);
}
