// Kubernetes' defaulting per kind (core/v1 and apps/v1 defaults.go), applied in place.

import type { KubeObject } from '../meta.js';
import type { Deployment, ReplicaSet } from '../types/apps.js';
import type { Namespace, Secret, Service, ServiceSpec } from '../types/core.js';
import type { Pod, PodTemplateSpec } from '../types/pod.js';
import { defaultPodSpec } from './pod.js';

function defaultTemplate(t: PodTemplateSpec | undefined): void {
  if (t?.spec) defaultPodSpec(t.spec);
}

export function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ||= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  if (!rs.spec) return;
  rs.spec.replicas ??= 1;
  defaultTemplate(rs.spec.template);
}

export function defaultService(svc: Service): void {
  const spec: ServiceSpec = (svc.spec ??= {});
  spec.type ||= 'ClusterIP';
  spec.sessionAffinity ||= 'None';
  for (const p of spec.ports ?? []) {
    p.protocol ||= 'TCP';
    // targetPort 0 or "" means "same as port".
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ||= 'Cluster';
    // Single-stack IPv4 cluster: what the upstream registry fills in for an unset family.
    spec.ipFamilyPolicy ||= 'SingleStack';
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
  }
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

export function defaultNamespace(ns: Namespace): void {
  ns.spec ??= {};
  if (!ns.spec.finalizers?.length) ns.spec.finalizers = ['kubernetes'];
  ns.status ??= {};
  ns.status.phase ||= 'Active';
}

interface EndpointsLike {
  subsets?: { ports?: { protocol?: string }[] }[];
}

/** Endpoint ports default to TCP, as upstream's SetDefaults_EndpointPort. */
export function defaultEndpoints(ep: EndpointsLike): void {
  for (const subset of ep.subsets ?? []) for (const p of subset.ports ?? []) p.protocol ||= 'TCP';
}

const DEFAULTERS: Record<string, (obj: never) => void> = {
  Endpoints: defaultEndpoints,
  Pod: (p: Pod) => p.spec && defaultPodSpec(p.spec),
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  Service: defaultService,
  Namespace: defaultNamespace,
  Secret: (s: Secret) => {
    s.type ||= 'Opaque';
  },
};

/** Applies the kind's defaults in place; kinds without defaults are left alone. */
export function applyKindDefaults(kind: string, obj: KubeObject): void {
  DEFAULTERS[kind]?.(obj as never);
}
