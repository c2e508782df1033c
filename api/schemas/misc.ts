// Lease and the subresource bodies: Scale, Eviction, Binding.

import type * as T from '../types/misc.js';
import { bool, int32, int64, kind, microTime, str, strings, struct, type Schema } from './builders.js';
import { objectMeta, objectReference } from './meta.js';

export const lease: Schema = kind<T.Lease>(
  'Lease',
  {
    spec: struct<T.LeaseSpec>('LeaseSpec', {
      holderIdentity: str,
      leaseDurationSeconds: int32,
      acquireTime: microTime,
      renewTime: microTime,
      leaseTransitions: int32,
      strategy: str,
      preferredHolder: str,
    }),
  },
  objectMeta,
);

export const scale: Schema = kind<T.Scale>(
  'Scale',
  {
    spec: struct<NonNullable<T.Scale['spec']>>('ScaleSpec', { replicas: int32 }),
    status: struct<NonNullable<T.Scale['status']>>('ScaleStatus', { replicas: int32, selector: str }),
  },
  objectMeta,
);

const deleteOptions = struct<T.DeleteOptions>('DeleteOptions', {
  apiVersion: str,
  kind: str,
  gracePeriodSeconds: int64,
  preconditions: struct<T.Preconditions>('Preconditions', { uid: str, resourceVersion: str }),
  orphanDependents: bool,
  propagationPolicy: str,
  dryRun: strings,
});

export const eviction: Schema = kind<T.Eviction>('Eviction', { deleteOptions }, objectMeta);

export const binding: Schema = kind<T.Binding>('Binding', { target: objectReference }, objectMeta);
