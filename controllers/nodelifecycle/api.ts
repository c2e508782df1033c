// The node lifecycle controller's writes, behind an interface so sync fixtures can record them.
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Condition } from '../../api/types/common.js';
import type { Taint } from '../../api/types/core.js';
import type { Pod } from '../../api/types/pod.js';
import type { Clock } from '../../client/clock.js';
import type { RestClient } from '../../client/rest.js';
import { EventRecorder, type EventSink } from '../../client/events.js';

/** NodeLifecycleApi is every call the controller makes, events included. */
export interface NodeLifecycleApi extends EventSink {
  /** setConditions returns the node as written, so a following taint write is not stale. */
  setConditions(node: KubeObject, conditions: Condition[]): Promise<KubeObject>;
  setTaints(node: KubeObject, taints: Taint[]): Promise<void>;
  markPodNotReady(pod: Pod & KubeObject, nowIso: string): Promise<void>;
  /** evict posts an Eviction; a pod already gone is not an error. */
  evict(pod: Pod & KubeObject): Promise<void>;
}

const nodes = mustResource('nodes');
const pods = mustResource('pods');

/** restNodeLifecycleApi writes through a RestClient; node writes are guarded by resourceVersion. */
export function restNodeLifecycleApi(client: RestClient, clock: Clock): NodeLifecycleApi {
  const rv = (o: KubeObject) => ({ resourceVersion: o.metadata.resourceVersion });
  const recorder = new EventRecorder(client, clock, { component: 'node-controller' });
  return {
    event: (obj, type, reason, message) => recorder.event(obj, type, reason, message),
    setConditions: (node, conditions) =>
      client.patch(nodes, undefined, node.metadata.name!, 'merge', { metadata: rv(node), status: { conditions } }, { subresource: 'status' }),
    setTaints: async (node, taints) =>
      void (await client.patch(nodes, undefined, node.metadata.name!, 'merge', { metadata: rv(node), spec: { taints: taints.length ? taints : null } })),
    markPodNotReady: async (pod, nowIso) => {
      const conditions = (pod.status?.conditions ?? []).map((c) =>
        c.type === 'Ready' && c.status === 'True' ? { ...c, status: 'False', reason: 'NodeNotReady', lastTransitionTime: nowIso } : c,
      );
      await ignoreNotFound(client.patch(pods, pod.metadata.namespace, pod.metadata.name!, 'merge', { metadata: rv(pod), status: { conditions } }, { subresource: 'status' }));
    },
    evict: async (pod) => {
      const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace } };
      const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace!)}/pods/${encodeURIComponent(pod.metadata.name!)}/eviction`;
      await ignoreNotFound(client.request('POST', path, body));
    },
  };
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
}
