// Pod admission on the node (upstream lifecycle/predicate.go): a pod is admitted only if its
// requests fit in allocatable next to the pods already admitted, and its nodeSelector and
// required node affinity match the Node's labels as the agent's Node informer has them now (a
// pod bound by name to a node whose labels changed since). A rejected pod is failed with reason
// OutOf<resource> or NodeAffinity and never started.

import { milliValue, parseQuantity, value } from '../api/quantity.js';
import type { Pod } from '../api/types/pod.js';
import { affinityOf } from '../scheduler/affinity-types.js';
import { compileNodeAffinity, ERR_NODE_AFFINITY } from '../scheduler/plugins/node-affinity.js';
import { podRequest } from './resources.js';

/** AdmitResult: admitted, or rejected with upstream's reason and message. */
export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/**
 * admitPod checks pods, cpu and memory. Example: allocatable cpu 2, admitted 1500m, new pod
 * 1 → rejected: "Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000".
 */
export function admitPod(pod: Pod, admitted: Pod[], allocatable: Record<string, string>, node?: { name: string; labels: Record<string, string> }): AdmitResult {
  const used = { milliCPU: 0, memory: 0 };
  for (const p of admitted) {
    const r = podRequest(p);
    used.milliCPU += r.milliCPU;
    used.memory += r.memory;
  }
  const req = podRequest(pod);
  const maxPods = Number(allocatable.pods ?? 110);
  if (admitted.length + 1 > maxPods) return reject('pods', 1, admitted.length, maxPods);
  const cpu = Number(milliValue(parseQuantity(allocatable.cpu ?? '0')));
  if (req.milliCPU > 0 && used.milliCPU + req.milliCPU > cpu) return reject('cpu', req.milliCPU, used.milliCPU, cpu);
  const mem = Number(value(parseQuantity(allocatable.memory ?? '0')));
  if (req.memory > 0 && used.memory + req.memory > mem) return reject('memory', req.memory, used.memory, mem);
  if (node && !matchesNode(pod, node)) return { admit: false, reason: 'NodeAffinity', message: `Predicate NodeAffinity failed: ${ERR_NODE_AFFINITY}` };
  return { admit: true };
}

// The scheduler's own matcher, as upstream's kubelet runs the scheduler's NodeAffinity filter.
function matchesNode(pod: Pod, node: { name: string; labels: Record<string, string> }): boolean {
  if (!pod.spec.nodeSelector && !affinityOf(pod)?.nodeAffinity) return true;
  return compileNodeAffinity(pod).required(node.labels, node.name);
}

function reject(resource: string, requested: number, used: number, capacity: number): AdmitResult {
  return {
    admit: false,
    reason: `OutOf${resource}`,
    message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  };
}
