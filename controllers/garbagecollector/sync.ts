// One garbage-collector sync: read the object from the graph, resolve its owners (cache first,
// then a live read, since a just-created owner may not be cached yet and deleting its dependents
// on that evidence would be wrong — upstream's isDangling does the same), plan, apply.
import type { KubeObject } from '../../api/meta.js';
import { resourceForKind } from '../../api/registry.js';
import type { GcApi } from './api.js';
import { itemKey, type Node, type OwnerGraph } from './graph.js';
import { ORPHAN, FOREGROUND, ownerStateOf, planDependent, planOwner, type OwnerState } from './plan.js';

/** GcDeps is what syncItem needs. */
export interface GcDeps {
  graph: OwnerGraph;
  api: GcApi;
  /** enqueue asks for another object to be synced. */
  enqueue(key: string): void;
}

/** syncItem processes one object key; an error requeues it. */
export async function syncItem(deps: GcDeps, key: string): Promise<void> {
  const node = deps.graph.get(key);
  if (!node) return;
  const ownerPlan = planOwner(node.obj, deps.graph.dependentsOf(node.obj.metadata.uid ?? '').map((d) => d.obj));
  if (ownerPlan.action === 'orphan') return orphanDependents(deps, node);
  if (ownerPlan.action === 'foreground') {
    for (const d of deps.graph.dependentsOf(node.obj.metadata.uid ?? '')) deps.enqueue(itemKey(d.res, d.obj));
    if (ownerPlan.removeFinalizer) await deps.api.removeFinalizer(node.res, node.obj, FOREGROUND);
    return;
  }
  const states = await ownerStates(deps, node.obj);
  const hasDependents = deps.graph.dependentsOf(node.obj.metadata.uid ?? '').length > 0;
  const plan = planDependent(node.obj, states, hasDependents);
  if (plan.action === 'delete') await deps.api.delete(node.res, node.obj, plan.policy);
  if (plan.action === 'removeOwnerRefs') {
    const keep = (node.obj.metadata.ownerReferences ?? []).filter((r) => !plan.uids.includes(r.uid));
    await deps.api.setOwnerRefs(node.res, node.obj, keep);
  }
}

/** orphanDependents strips the owner's references from each dependent, then drops `orphan`. */
async function orphanDependents(deps: GcDeps, owner: Node): Promise<void> {
  const uid = owner.obj.metadata.uid ?? '';
  for (const d of deps.graph.dependentsOf(uid)) {
    const keep = (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    await deps.api.setOwnerRefs(d.res, d.obj, keep);
  }
  await deps.api.removeFinalizer(owner.res, owner.obj, ORPHAN);
}

/** ownerStates resolves every owner reference of obj; kinds not served count as present. */
async function ownerStates(deps: GcDeps, obj: KubeObject): Promise<Map<string, OwnerState>> {
  const states = new Map<string, OwnerState>();
  for (const ref of obj.metadata.ownerReferences ?? []) {
    if (!resourceForKind(ref.apiVersion, ref.kind)) continue;
    const cached = deps.graph.byUid(ref.uid)?.obj;
    const owner = cached ?? (await deps.api.getOwner(obj.metadata.namespace, ref));
    states.set(ref.uid, ownerStateOf(ref, owner));
  }
  return states;
}
