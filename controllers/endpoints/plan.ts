// What to write for one Service's Endpoints: create, update or nothing (skip writes that would
// not change anything, as upstream compares subsets and labels before updating).
import { isDeepStrictEqual } from 'node:util';
import type { Endpoints, Service } from '../../api/types/core.js';
import type { Pod } from '../../api/types/pod.js';
import { computeEndpoints } from './compute.js';

/** EndpointsPlan is the write the controller must make. */
export type EndpointsPlan = { action: 'none' } | { action: 'create' | 'update'; endpoints: Endpoints };

/** planEndpoints compares the wanted Endpoints for svc with the current one (if any). */
export function planEndpoints(svc: Service, current: Endpoints | undefined, pods: readonly Pod[]): EndpointsPlan {
  const subsets = computeEndpoints(svc, pods);
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (current && isDeepStrictEqual(current.subsets ?? [], subsets) && isDeepStrictEqual(current.metadata.labels ?? {}, labels)) {
    return { action: 'none' };
  }
  const metadata = current
    ? { ...current.metadata, labels }
    : { name: svc.metadata.name, namespace: svc.metadata.namespace, labels };
  const endpoints: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata, subsets };
  return { action: current ? 'update' : 'create', endpoints };
}
