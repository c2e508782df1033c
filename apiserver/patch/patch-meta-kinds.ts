// Strategic-merge metadata per kind: data transcribed from the patchStrategy / patchMergeKey tags
// of kubernetes/api core/v1/types.go and apps/v1/types.go. Lists not named here are replaced.

import type { PatchMeta } from './patch-meta.js';

const MERGE_SET: PatchMeta = { patchStrategy: 'merge' };
const BY_NAME: PatchMeta = { patchStrategy: 'merge', patchMergeKey: 'name' };
const BY_TYPE: PatchMeta = { patchStrategy: 'merge', patchMergeKey: 'type' };
const BY_IP: PatchMeta = { patchStrategy: 'merge', patchMergeKey: 'ip' };

const OBJECT_META: PatchMeta = {
  fields: {
    finalizers: MERGE_SET,
    ownerReferences: { patchStrategy: 'merge', patchMergeKey: 'uid' },
  },
};

const CONTAINER: PatchMeta = {
  fields: {
    ports: { patchStrategy: 'merge', patchMergeKey: 'containerPort' },
    env: BY_NAME,
    volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath' },
    volumeDevices: { patchStrategy: 'merge', patchMergeKey: 'devicePath' },
  },
};

const CONTAINERS: PatchMeta = { ...BY_NAME, items: CONTAINER };

// tolerations and readinessGates carry no strategy upstream: they are replaced.
const POD_SPEC: PatchMeta = {
  fields: {
    containers: CONTAINERS,
    initContainers: CONTAINERS,
    ephemeralContainers: CONTAINERS,
    volumes: BY_NAME,
    imagePullSecrets: BY_NAME,
    hostAliases: BY_IP,
    // Upstream keys these by topologyKey + whenUnsatisfiable; one key covers kubectl's use.
    topologySpreadConstraints: { patchStrategy: 'merge', patchMergeKey: 'topologyKey' },
    resourceClaims: BY_NAME,
    schedulingGates: BY_NAME,
  },
};

const POD_TEMPLATE: PatchMeta = { fields: { metadata: OBJECT_META, spec: POD_SPEC } };

const POD_STATUS: PatchMeta = {
  fields: {
    conditions: BY_TYPE,
    containerStatuses: BY_NAME,
    initContainerStatuses: BY_NAME,
    ephemeralContainerStatuses: BY_NAME,
    podIPs: BY_IP,
    hostIPs: BY_IP,
  },
};

const CONDITIONS_STATUS: PatchMeta = { fields: { conditions: BY_TYPE } };
const METADATA_ONLY: PatchMeta = { fields: { metadata: OBJECT_META } };

const WORKLOAD: PatchMeta = {
  fields: {
    metadata: OBJECT_META,
    spec: { fields: { template: POD_TEMPLATE } },
    status: CONDITIONS_STATUS,
  },
};

/** PATCH_META_BY_KIND is the strategic-merge metadata of every kind Skiff serves. */
export const PATCH_META_BY_KIND: Readonly<Record<string, PatchMeta>> = {
  Pod: { fields: { metadata: OBJECT_META, spec: POD_SPEC, status: POD_STATUS } },
  Deployment: WORKLOAD,
  ReplicaSet: WORKLOAD,
  Service: {
    fields: {
      metadata: OBJECT_META,
      spec: { fields: { ports: { patchStrategy: 'merge', patchMergeKey: 'port' } } },
      status: CONDITIONS_STATUS,
    },
  },
  Node: {
    fields: {
      metadata: OBJECT_META,
      spec: { fields: { taints: { patchStrategy: 'merge', patchMergeKey: 'key' }, podCIDRs: MERGE_SET } },
      status: { fields: { conditions: BY_TYPE, addresses: BY_TYPE } },
    },
  },
  Namespace: { fields: { metadata: OBJECT_META, status: CONDITIONS_STATUS } },
  Endpoints: METADATA_ONLY,
  ConfigMap: METADATA_ONLY,
  Secret: METADATA_ONLY,
  Event: METADATA_ONLY,
  Lease: METADATA_ONLY,
};
