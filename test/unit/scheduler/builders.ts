// Tiny builders for scheduler unit tests.
import type { Node, Pod } from '../../../api/types/index.js';
import { SchedulerCache } from '../../../scheduler/cache.js';

export function mkNode(name: string, alloc: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110' }, extra: Partial<Node['spec']> & { labels?: Record<string, string> } = {}): Node {
  const { labels, ...spec } = extra;
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec, status: { allocatable: alloc } };
}

export function mkPod(name: string, requests: Record<string, string> = {}, spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...meta },
    spec: { containers: [{ name: 'c', resources: { requests } }], ...spec },
  };
}

/** cacheWith builds a cache holding nodes and bound pods ([pod, nodeName]). */
export function cacheWith(nodes: Node[], pods: [Pod, string][] = []): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.addNode(n);
  for (const [p, n] of pods) c.addPod({ ...p, spec: { ...p.spec, nodeName: n } });
  return c;
}
