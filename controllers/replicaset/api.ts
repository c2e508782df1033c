// The writes the ReplicaSet controller makes, behind an interface so sync fixtures can record
// them instead of calling a server.
import { isStatusError } from '../../api/errors.js';
import { mustResource } from '../../api/registry.js';
import type { OwnerReference } from '../../api/meta.js';
import type { ReplicaSetStatus } from '../../api/types/apps.js';
import type { Clock } from '../../client/clock.js';
import type { RestClient } from '../../client/rest.js';
import { EventRecorder, type EventSink } from '../../client/events.js';
import type { PodObj, ReplicaSetObj } from './objects.js';

/** ReplicaSetApi: pod creates, deletes and owner patches, the RS status write, and events. */
export interface ReplicaSetApi extends EventSink {
  /** createPod returns the created pod's name (the server picks it from generateName). */
  createPod(namespace: string, pod: PodObj): Promise<string>;
  deletePod(namespace: string, name: string): Promise<void>;
  /** setOwners replaces a pod's ownerReferences, failing if its uid is no longer `uid`. */
  setOwners(pod: PodObj, refs: OwnerReference[]): Promise<void>;
  updateStatus(rs: ReplicaSetObj, status: ReplicaSetStatus): Promise<void>;
}

const pods = mustResource('pods');
const replicasets = mustResource('replicasets');

/** restReplicaSetApi implements ReplicaSetApi over a RestClient. */
export function restReplicaSetApi(client: RestClient, clock: Clock): ReplicaSetApi {
  const recorder = new EventRecorder(client, clock, { component: 'replicaset-controller' });
  return {
    event: (obj, type, reason, message) => recorder.event(obj, type, reason, message),
    createPod: async (ns, pod) => (await client.create(pods, ns, pod)).metadata.name!,
    deletePod: async (ns, name) => void (await client.delete(pods, ns, name)),
    setOwners: async (pod, refs) => {
      const ops = [
        { op: 'test', path: '/metadata/uid', value: pod.metadata.uid },
        refs.length ? { op: 'add', path: '/metadata/ownerReferences', value: refs } : { op: 'remove', path: '/metadata/ownerReferences' },
      ];
      await client.patch(pods, pod.metadata.namespace, pod.metadata.name!, 'json', ops);
    },
    updateStatus: (rs, status) => updateStatusRetrying(client, rs, status),
  };
}

/**
 * updateStatusRetrying writes status over the cached rs; on a conflict (the cache had not yet
 * seen our previous write) it reads the latest copy and tries once more, as upstream's
 * updateReplicaSetStatus does, so a lagging watch does not turn into rate-limited requeues.
 */
async function updateStatusRetrying(client: RestClient, rs: ReplicaSetObj, status: ReplicaSetStatus): Promise<void> {
  try {
    await client.updateStatus(replicasets, { ...rs, status });
  } catch (err) {
    if (!isStatusError(err, 'Conflict')) throw err;
    const latest = await client.get<ReplicaSetObj>(replicasets, rs.metadata.namespace, rs.metadata.name!);
    if (latest.metadata.uid !== rs.metadata.uid) throw err;
    // observedGeneration stays the one status was computed from: a newer spec is not yet acted on.
    await client.updateStatus(replicasets, { ...latest, status });
  }
}
