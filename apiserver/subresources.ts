// The pod binding and the scale subresource, as pure functions of the stored object.
import type { KubeObject } from '../api/meta.js';
import { badRequest, conflict, type GroupResource } from '../api/errors.js';
import { formatLabelSelector, type LabelSelector } from '../api/labels.js';
import { rfc3339 } from '../api/time.js';

interface Binding {
  metadata?: { name?: string; uid?: string; resourceVersion?: string };
  target?: { kind?: string; name?: string; namespace?: string };
}

/** Sets spec.nodeName from a Binding; a pod already bound or being deleted is a 409, as upstream. */
export function bindPod(pod: KubeObject, body: unknown, now: Date, gr: GroupResource): KubeObject {
  const b = (body ?? {}) as Binding;
  const name = pod.metadata.name!;
  const node = b.target?.name;
  if (!node) throw badRequest('Binding.target.name: Required value');
  if (b.target?.kind && b.target.kind !== 'Node') throw badRequest(`Binding.target.kind: Unsupported value: "${b.target.kind}": supported values: "Node"`);
  if (b.metadata?.uid && b.metadata.uid !== pod.metadata.uid) {
    throw conflict(gr, name, `Precondition failed: UID in precondition: ${b.metadata.uid}, UID in object meta: ${pod.metadata.uid}`);
  }
  if (pod.metadata.deletionTimestamp) throw conflict(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  const spec = pod.spec as { nodeName?: string };
  if (spec.nodeName) throw conflict(gr, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  const status = (pod.status ?? {}) as { conditions?: { type: string }[] };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) } as never);
  return { ...pod, spec: { ...spec, nodeName: node }, status: { ...status, conditions } };
}

interface ScalableSpec {
  replicas?: number;
  selector?: LabelSelector;
}

/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function toScale(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as ScalableSpec;
  const status = (obj.status ?? {}) as { replicas?: number };
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: formatLabelSelector(spec.selector).replace(/^<none>$/, '') },
  };
}

/** Applies a Scale's spec.replicas to the object; the Scale's resourceVersion, when set, must be current. */
export function applyScale(obj: KubeObject, scale: unknown, gr: GroupResource): KubeObject {
  const s = (scale ?? {}) as { metadata?: { resourceVersion?: string }; spec?: { replicas?: unknown } };
  const replicas = s.spec?.replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
    throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  }
  const rv = s.metadata?.resourceVersion;
  if (rv && rv !== obj.metadata.resourceVersion) {
    throw conflict(gr, obj.metadata.name!, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  return { ...obj, spec: { ...(obj.spec as object), replicas: replicas ?? 0 } };
}
