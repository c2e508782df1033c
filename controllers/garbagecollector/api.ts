// The garbage collector's writes, behind an interface so sync fixtures can record them.
import { isStatusError } from '../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import { resourceForKind, type ResourceInfo } from '../../api/registry.js';
import type { RestClient } from '../../client/rest.js';
import type { DeletePolicy } from './plan.js';

/** GcApi is every call the garbage collector makes. */
export interface GcApi {
  /** getOwner reads an owner live; undefined when it is gone or its kind is not served. */
  getOwner(namespace: string | undefined, ref: OwnerReference): Promise<KubeObject | undefined>;
  /** delete deletes obj (only that uid); a vanished object is not an error. */
  delete(res: ResourceInfo, obj: KubeObject, policy: DeletePolicy): Promise<void>;
  /** setOwnerRefs writes obj's ownerReferences, failing if obj changed since it was read. */
  setOwnerRefs(res: ResourceInfo, obj: KubeObject, refs: OwnerReference[]): Promise<void>;
  /** removeFinalizer drops finalizer f from obj, failing if obj changed since it was read. */
  removeFinalizer(res: ResourceInfo, obj: KubeObject, f: string): Promise<void>;
}

/** restGcApi implements GcApi with JSON patches guarded by resourceVersion tests. */
export function restGcApi(client: RestClient): GcApi {
  const guarded = (obj: KubeObject, path: string, value: unknown[]) => [
    { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
    value.length ? { op: 'add', path, value } : { op: 'remove', path },
  ];
  return {
    getOwner: async (ns, ref) => {
      const res = resourceForKind(ref.apiVersion, ref.kind);
      if (!res) return undefined;
      return ignoreNotFound(client.get(res, res.namespaced ? ns : undefined, ref.name));
    },
    delete: async (res, obj, policy) => {
      const opts = { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } };
      await ignoreNotFound(client.delete(res, obj.metadata.namespace, obj.metadata.name!, opts));
    },
    setOwnerRefs: async (res, obj, refs) => {
      await client.patch(res, obj.metadata.namespace, obj.metadata.name!, 'json', guarded(obj, '/metadata/ownerReferences', refs));
    },
    removeFinalizer: async (res, obj, f) => {
      const rest = (obj.metadata.finalizers ?? []).filter((x) => x !== f);
      await client.patch(res, obj.metadata.namespace, obj.metadata.name!, 'json', guarded(obj, '/metadata/finalizers', rest));
    },
  };
}

async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}
