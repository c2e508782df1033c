// Pod resource arithmetic the agent needs: effective requests (for admission), QoS class, and
// container limits for the runtime. Pure; quantities go through api/quantity.ts exactly.

import { milliValue, parseQuantity, value } from '../api/quantity.js';
import type { ResourceList } from '../api/types/common.js';
import type { Container, Pod } from '../api/types/pod.js';

/** PodRequest is what a pod asks of a node: milli-CPU and bytes of memory. */
export interface PodRequest {
  milliCPU: number;
  memory: number;
}

function quantityMilli(list: ResourceList | undefined, name: string): number {
  const v = list?.[name];
  return v === undefined ? 0 : Number(milliValue(parseQuantity(v)));
}

function quantityUnits(list: ResourceList | undefined, name: string): number {
  const v = list?.[name];
  return v === undefined ? 0 : Number(value(parseQuantity(v)));
}

/** containerRequest reads requests, with limits standing in for missing requests (API defaulting). */
export function containerRequest(c: Container): PodRequest {
  const merged = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  return { milliCPU: quantityMilli(merged, 'cpu'), memory: quantityUnits(merged, 'memory') };
}

/**
 * podRequest is upstream's PodRequests: the app containers' sum against the largest init
 * container. Example: app 100m + 200m, init 500m → 500m.
 */
export function podRequest(pod: Pod): PodRequest {
  const sum = { milliCPU: 0, memory: 0 };
  for (const c of pod.spec.containers) {
    const r = containerRequest(c);
    sum.milliCPU += r.milliCPU;
    sum.memory += r.memory;
  }
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequest(c);
    sum.milliCPU = Math.max(sum.milliCPU, r.milliCPU);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  return sum;
}

/** qosClass is upstream's GetPodQOS over cpu and memory. */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    for (const r of ['cpu', 'memory']) {
      const req = c.resources?.requests?.[r] ?? c.resources?.limits?.[r];
      const lim = c.resources?.limits?.[r];
      if (req !== undefined || lim !== undefined) any = true;
      if (lim === undefined || req === undefined || quantityMilli({ q: req }, 'q') !== quantityMilli({ q: lim }, 'q')) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** linuxResources maps limits to the runtime's cgroup settings (100 ms CFS period, shares from requests). */
export function linuxResources(c: Container): { cpuPeriod?: number; cpuQuota?: number; cpuShares: number; memoryLimitInBytes?: number } {
  const req = containerRequest(c);
  const cpuLimit = quantityMilli(c.resources?.limits, 'cpu');
  const memLimit = quantityUnits(c.resources?.limits, 'memory');
  const out: { cpuPeriod?: number; cpuQuota?: number; cpuShares: number; memoryLimitInBytes?: number } = {
    cpuShares: Math.max(2, Math.floor((req.milliCPU * 1024) / 1000)),
  };
  if (cpuLimit > 0) {
    out.cpuPeriod = 100_000;
    out.cpuQuota = Math.max(1000, Math.floor((cpuLimit * 100_000) / 1000));
  }
  if (memLimit > 0) out.memoryLimitInBytes = memLimit;
  return out;
}

/** resourceValue reads a container resource for resourceFieldRef, divided by divisor (default 1). */
export function resourceValue(c: Container, resource: string, divisor: string | number | undefined, allocatable: ResourceList): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  const list = kind === 'limits' ? c.resources?.limits : { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  const raw = list?.[name] ?? (kind === 'limits' ? allocatable[name] : undefined) ?? 0;
  const div = parseQuantity(divisor ?? 1);
  const q = parseQuantity(raw);
  // ceil(q / divisor), as upstream's ExtractContainerResourceValue rounds up.
  const n = (q.nanos + div.nanos - 1n) / div.nanos;
  return (q.nanos === 0n ? 0n : n).toString();
}
