// core/v1 schemas other than Pod: Namespace, Node, Service, Endpoints, ConfigMap, Secret, Event.

import type * as T from '../types/core.js';
import { arr, bool, int32, int64, intOrString, kind, map, microTime, quantity, str, stringMap, strings, struct, time, type Schema } from './builders.js';
import { conditions, objectMeta, objectReference } from './meta.js';

type Field<O, K extends keyof O> = NonNullable<O[K]>;

export const namespace: Schema = kind<T.Namespace>(
  'Namespace',
  {
    spec: struct<Field<T.Namespace, 'spec'>>('NamespaceSpec', { finalizers: strings }),
    status: struct<Field<T.Namespace, 'status'>>('NamespaceStatus', {
      phase: str,
      conditions: conditions('NamespaceCondition'),
    }),
  },
  objectMeta,
);

const nodeStatus = struct<T.NodeStatus>('NodeStatus', {
  capacity: map(quantity),
  allocatable: map(quantity),
  phase: str,
  conditions: conditions('NodeCondition'),
  addresses: arr(struct<T.NodeAddress>('NodeAddress', { type: str, address: str })),
  daemonEndpoints: struct<Field<T.NodeStatus, 'daemonEndpoints'>>('NodeDaemonEndpoints', {
    kubeletEndpoint: struct<{ Port: number }>('DaemonEndpoint', { Port: int32 }),
  }),
  nodeInfo: struct<T.NodeSystemInfo>('NodeSystemInfo', {
    machineID: str,
    systemUUID: str,
    bootID: str,
    kernelVersion: str,
    osImage: str,
    containerRuntimeVersion: str,
    kubeletVersion: str,
    kubeProxyVersion: str,
    operatingSystem: str,
    architecture: str,
  }),
  images: arr(struct<T.ContainerImage>('ContainerImage', { names: strings, sizeBytes: int64 })),
});

export const node: Schema = kind<T.Node>(
  'Node',
  {
    spec: struct<T.NodeSpec>('NodeSpec', {
      podCIDR: str,
      podCIDRs: strings,
      providerID: str,
      unschedulable: bool,
      taints: arr(struct<T.Taint>('Taint', { key: str, value: str, effect: str, timeAdded: time })),
    }),
    status: nodeStatus,
  },
  objectMeta,
);

const servicePort = struct<T.ServicePort>('ServicePort', {
  name: str,
  protocol: str,
  appProtocol: str,
  port: int32,
  targetPort: intOrString,
  nodePort: int32,
});

const serviceSpec = struct<T.ServiceSpec>('ServiceSpec', {
  ports: arr(servicePort),
  selector: stringMap,
  clusterIP: str,
  clusterIPs: strings,
  type: str,
  externalIPs: strings,
  sessionAffinity: str,
  loadBalancerIP: str,
  loadBalancerSourceRanges: strings,
  externalName: str,
  externalTrafficPolicy: str,
  healthCheckNodePort: int32,
  publishNotReadyAddresses: bool,
  sessionAffinityConfig: struct<Field<T.ServiceSpec, 'sessionAffinityConfig'>>('SessionAffinityConfig', {
    clientIP: struct<{ timeoutSeconds?: number }>('ClientIPConfig', { timeoutSeconds: int32 }),
  }),
  ipFamilies: strings,
  ipFamilyPolicy: str,
  allocateLoadBalancerNodePorts: bool,
  loadBalancerClass: str,
  internalTrafficPolicy: str,
});

const serviceStatus = struct<T.ServiceStatus>('ServiceStatus', {
  loadBalancer: struct<Field<T.ServiceStatus, 'loadBalancer'>>('LoadBalancerStatus', {
    ingress: arr(struct<T.LoadBalancerIngress>('LoadBalancerIngress', { ip: str, hostname: str })),
  }),
  conditions: conditions('Condition'),
});

export const service: Schema = kind<T.Service>('Service', { spec: serviceSpec, status: serviceStatus }, objectMeta);

const endpointAddresses = arr(
  struct<T.EndpointAddress>('EndpointAddress', { ip: str, hostname: str, nodeName: str, targetRef: objectReference }),
);

export const endpoints: Schema = kind<T.Endpoints>(
  'Endpoints',
  {
    subsets: arr(
      struct<T.EndpointSubset>('EndpointSubset', {
        addresses: endpointAddresses,
        notReadyAddresses: endpointAddresses,
        ports: arr(struct<T.EndpointPort>('EndpointPort', { name: str, port: int32, protocol: str, appProtocol: str })),
      }),
    ),
  },
  objectMeta,
);

export const configMap: Schema = kind<T.ConfigMap>(
  'ConfigMap',
  { immutable: bool, data: stringMap, binaryData: map({ ...str, goType: 'uint8' }) },
  objectMeta,
);

export const secret: Schema = kind<T.Secret>(
  'Secret',
  { immutable: bool, data: map({ ...str, goType: 'uint8' }), stringData: stringMap, type: str },
  objectMeta,
);

export const event: Schema = kind<T.Event>(
  'Event',
  {
    involvedObject: objectReference,
    reason: str,
    message: str,
    source: struct<T.EventSource>('EventSource', { component: str, host: str }),
    firstTimestamp: time,
    lastTimestamp: time,
    count: int32,
    type: str,
    eventTime: microTime,
    series: struct<Field<T.Event, 'series'>>('EventSeries', { count: int32, lastObservedTime: microTime }),
    action: str,
    related: objectReference,
    reportingComponent: str,
    reportingInstance: str,
  },
  objectMeta,
);
