// apps/v1 Deployment and ReplicaSet schemas.

import type * as T from '../types/apps.js';
import { bool, int32, int64, intOrString, kind, str, struct, type Schema } from './builders.js';
import { conditions, labelSelector, objectMeta } from './meta.js';
import { podTemplateSpec } from './pod.js';

const strategy = struct<T.DeploymentStrategy>('DeploymentStrategy', {
  type: str,
  rollingUpdate: struct<T.RollingUpdateDeployment>('RollingUpdateDeployment', {
    maxUnavailable: intOrString,
    maxSurge: intOrString,
  }),
});

export const deployment: Schema = kind<T.Deployment>(
  'Deployment',
  {
    spec: struct<T.DeploymentSpec>('DeploymentSpec', {
      replicas: int32,
      selector: labelSelector,
      template: podTemplateSpec,
      strategy,
      minReadySeconds: int32,
      revisionHistoryLimit: int32,
      paused: bool,
      progressDeadlineSeconds: int32,
    }),
    status: struct<T.DeploymentStatus>('DeploymentStatus', {
      observedGeneration: int64,
      replicas: int32,
      updatedReplicas: int32,
      readyReplicas: int32,
      availableReplicas: int32,
      unavailableReplicas: int32,
      terminatingReplicas: int32,
      conditions: conditions('DeploymentCondition'),
      collisionCount: int32,
    }),
  },
  objectMeta,
);

export const replicaSet: Schema = kind<T.ReplicaSet>(
  'ReplicaSet',
  {
    spec: struct<T.ReplicaSetSpec>('ReplicaSetSpec', {
      replicas: int32,
      minReadySeconds: int32,
      selector: labelSelector,
      template: podTemplateSpec,
    }),
    status: struct<T.ReplicaSetStatus>('ReplicaSetStatus', {
      replicas: int32,
      fullyLabeledReplicas: int32,
      readyReplicas: int32,
      availableReplicas: int32,
      terminatingReplicas: int32,
      observedGeneration: int64,
      conditions: conditions('ReplicaSetCondition'),
    }),
  },
  objectMeta,
);
