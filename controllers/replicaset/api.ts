// The writes the ReplicaSet controller makes, behind an interface so sync fixtures can record
// them instead of calling a server.
import { mustResource } from '../../api/registry.js';
import type { OwnerReference } from '../../api/meta.js';
import type { ReplicaSetStatus } from '../../api/types/apps.js';
import type { RestClient } from '../../client/rest.js';
import type { PodObj, ReplicaSetObj } from './objects.js';

/** ReplicaSetApi: pod creates, deletes and owner patches, and the RS status write. */
export interface ReplicaSetApi {
  createPod(namespace: string, pod: PodObj): Promise<void>;
  deletePod(namespace: string, name: string): Promise<void>;
  /** setOwners replaces a pod's ownerReferences, failing if its uid is no longer `uid`. */
  setOwners(pod: PodObj, refs: OwnerReference[]): Promise<void>;
  updateStatus(rs: ReplicaSetObj, status: ReplicaSetStatus): Promise<void>;
}

const pods = mustResource('pods');
const replicasets = mustResource('replicasets');

/** restReplicaSetApi implements ReplicaSetApi over a RestClient. */
export function restReplicaSetApi(client: RestClient): ReplicaSetApi {
  return {
    createPod: async (ns, pod) => void (await client.create(pods, ns, pod)),
    deletePod: async (ns, name) => void (await client.delete(pods, ns, name)),
    setOwners: async (pod, refs) => {
      const ops = [
        { op: 'test', path: '/metadata/uid', value: pod.metadata.uid },
        refs.length ? { op: 'add', path: '/metadata/ownerReferences', value: refs } : { op: 'remove', path: '/metadata/ownerReferences' },
      ];
      await client.patch(pods, pod.metadata.namespace, pod.metadata.name!, 'json', ops);
    },
    updateStatus: async (rs, status) => void (await client.updateStatus(replicasets, { ...rs, status })),
  };
}
