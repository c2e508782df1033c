// A pod's effective resource request and a node's allocatable, as plain numbers: cpu in
// millicores, everything else in whole units (bytes for memory), as upstream's framework.Resource.
// Parsing goes through api/quantity.ts (exact) once per object; results are cached per object,
// which is safe because informer objects are never mutated.

import { milliValue, parseQuantity, value } from '../api/quantity.js';
import type { Node, Pod, ResourceList } from '../api/types/index.js';
import type { Container } from '../api/types/pod.js';

/** Resource is a set of amounts; scalar holds extended resources such as example.com/gpu. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Allowed pod count on a node (0 in pod requests). */
  pods: number;
  scalar: Map<string, number>;
}

/** PodResources is what a pod asks for, plus the non-zero figures used only for scoring. */
export interface PodResources extends Resource {
  /** Requests with upstream's scoring defaults (100m cpu, 200Mi memory) for containers asking none. */
  nonZeroCPU: number;
  nonZeroMemory: number;
}

/** Defaults used for scoring pods without requests (upstream schedutil.DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

/** emptyResource returns a new all-zero Resource. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: new Map() };
}

/** amount converts one quantity: millicores for cpu, whole units otherwise. */
export function amount(name: string, q: string | number): number {
  const parsed = parseQuantity(q);
  return Number(name === 'cpu' ? milliValue(parsed) : value(parsed));
}

/** resourceFromList parses a ResourceList; unknown names other than hugepages are scalars. */
export function resourceFromList(list: ResourceList | undefined): Resource {
  const r = emptyResource();
  for (const [name, q] of Object.entries(list ?? {})) addNamed(r, name, amount(name, q));
  return r;
}

function addNamed(r: Resource, name: string, v: number): void {
  if (name === 'cpu') r.milliCPU += v;
  else if (name === 'memory') r.memory += v;
  else if (name === 'ephemeral-storage') r.ephemeralStorage += v;
  else if (name === 'pods') r.pods += v;
  else r.scalar.set(name, (r.scalar.get(name) ?? 0) + v);
}

/** addInto adds b to a in place. */
export function addInto(a: Resource, b: Resource, sign = 1): void {
  a.milliCPU += sign * b.milliCPU;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  for (const [k, v] of b.scalar) a.scalar.set(k, (a.scalar.get(k) ?? 0) + sign * v);
}

function maxInto(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [k, v] of b.scalar) a.scalar.set(k, Math.max(a.scalar.get(k) ?? 0, v));
}

function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

/** containerRequests is a container's requests, with limits standing in for missing requests. */
export function containerRequests(c: Container): Resource {
  const res = c.resources ?? {};
  return resourceFromList({ ...(res.limits ?? {}), ...(res.requests ?? {}) });
}

/**
 * computePodResources is upstream's resource.PodRequests: the sum of app containers (plus
 * restartable "sidecar" init containers, which keep running) against the largest init step.
 * Example: app containers 100m + 200m, init containers 500m and 50m → max(300m, 500m) = 500m.
 */
export function computePodResources(pod: Pod): PodResources {
  const sum = emptyResource();
  let nonZeroCPU = 0;
  let nonZeroMemory = 0;
  for (const c of pod.spec.containers ?? []) {
    const r = containerRequests(c);
    addInto(sum, r);
    nonZeroCPU += r.milliCPU || DEFAULT_MILLI_CPU;
    nonZeroMemory += r.memory || DEFAULT_MEMORY;
  }
  const init = initRequests(pod, sum);
  maxInto(sum, init);
  return { ...sum, nonZeroCPU: Math.max(nonZeroCPU, init.milliCPU), nonZeroMemory: Math.max(nonZeroMemory, init.memory) };
}

// Walks init containers in order; sidecars (restartPolicy Always) add to the running pod and to every later step.
function initRequests(pod: Pod, appSum: Resource): Resource {
  const sidecars = emptyResource();
  const peak = emptyResource();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addInto(appSum, r);
      addInto(sidecars, r);
      maxInto(peak, sidecars);
      continue;
    }
    const step = cloneResource(r);
    addInto(step, sidecars);
    maxInto(peak, step);
  }
  return peak;
}

const podCache = new WeakMap<Pod, PodResources>();

/** podResources is computePodResources cached per pod object. */
export function podResources(pod: Pod): PodResources {
  let r = podCache.get(pod);
  if (!r) podCache.set(pod, (r = computePodResources(pod)));
  return r;
}

/** nodeAllocatable is status.allocatable, falling back to capacity as upstream's kubelet does. */
export function nodeAllocatable(node: Node): Resource {
  return resourceFromList(node.status?.allocatable ?? node.status?.capacity);
}
