// The writes the Deployment controller makes, behind an interface so sync fixtures can record them.
import { mustResource } from '../../api/registry.js';
import type { OwnerReference } from '../../api/meta.js';
import type { DeploymentStatus } from '../../api/types/apps.js';
import type { Clock } from '../../client/clock.js';
import type { RestClient } from '../../client/rest.js';
import { EventRecorder, type EventSink } from '../../client/events.js';
import type { DeploymentObj, ReplicaSetObj } from '../replicaset/objects.js';

/** DeploymentApi: ReplicaSet writes, the Deployment's annotations and status, and events. */
export interface DeploymentApi extends EventSink {
  createReplicaSet(rs: ReplicaSetObj): Promise<ReplicaSetObj>;
  /** updateReplicaSet PUTs rs; its resourceVersion makes a stale write fail with 409. */
  updateReplicaSet(rs: ReplicaSetObj): Promise<ReplicaSetObj>;
  deleteReplicaSet(rs: ReplicaSetObj): Promise<void>;
  setReplicaSetOwners(rs: ReplicaSetObj, refs: OwnerReference[]): Promise<void>;
  setDeploymentAnnotations(d: DeploymentObj, annotations: Record<string, string>): Promise<DeploymentObj>;
  updateDeploymentStatus(d: DeploymentObj, status: DeploymentStatus): Promise<DeploymentObj>;
}

const replicasets = mustResource('replicasets');
const deployments = mustResource('deployments');

/** restDeploymentApi implements DeploymentApi over a RestClient. */
export function restDeploymentApi(client: RestClient, clock: Clock): DeploymentApi {
  const recorder = new EventRecorder(client, clock, { component: 'deployment-controller' });
  return {
    event: (obj, type, reason, message) => recorder.event(obj, type, reason, message),
    createReplicaSet: (rs) => client.create<ReplicaSetObj>(replicasets, rs.metadata.namespace, rs),
    updateReplicaSet: (rs) => client.update<ReplicaSetObj>(replicasets, rs),
    deleteReplicaSet: async (rs) => {
      await client.delete(replicasets, rs.metadata.namespace, rs.metadata.name!, { preconditions: { uid: rs.metadata.uid } });
    },
    setReplicaSetOwners: async (rs, refs) => {
      const ops = [
        { op: 'test', path: '/metadata/uid', value: rs.metadata.uid },
        refs.length ? { op: 'add', path: '/metadata/ownerReferences', value: refs } : { op: 'remove', path: '/metadata/ownerReferences' },
      ];
      await client.patch(replicasets, rs.metadata.namespace, rs.metadata.name!, 'json', ops);
    },
    setDeploymentAnnotations: (d, annotations) =>
      client.patch<DeploymentObj>(deployments, d.metadata.namespace, d.metadata.name!, 'merge', { metadata: { annotations } }),
    updateDeploymentStatus: (d, status) => client.updateStatus<DeploymentObj>(deployments, { ...d, status }),
  };
}
