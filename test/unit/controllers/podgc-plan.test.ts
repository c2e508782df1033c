import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/types/pod.js';
import { planPodGc } from '../../../controllers/podgc/index.js';

const pod = (name: string, o: { phase?: string; node?: string; created?: string; deleting?: boolean } = {}): Pod => ({
  metadata: { name, creationTimestamp: o.created ?? '2024-01-01T00:00:00Z', deletionTimestamp: o.deleting ? '2024-01-02T00:00:00Z' : undefined },
  spec: { containers: [], nodeName: o.node },
  status: { phase: o.phase ?? 'Running' },
});
const names = (ps: Pod[]) => ps.map((p) => p.metadata.name);

describe('planPodGc', () => {
  const nodes = new Set(['n1']);
  const cases = [
    { name: 'nothing to do', pods: [pod('a', { node: 'n1' }), pod('b')], threshold: 1, want: { terminated: [], orphaned: [], unscheduledTerminating: [] } },
    {
      name: 'terminated beyond the threshold, oldest first',
      pods: [pod('new', { phase: 'Failed', node: 'n1', created: '2024-01-03T00:00:00Z' }), pod('old', { phase: 'Succeeded', node: 'n1', created: '2024-01-01T00:00:00Z' }), pod('mid', { phase: 'Succeeded', node: 'n1', created: '2024-01-02T00:00:00Z' })],
      threshold: 1,
      want: { terminated: ['old', 'mid'], orphaned: [], unscheduledTerminating: [] },
    },
    { name: 'threshold 0 disables terminated collection', pods: [pod('a', { phase: 'Failed', node: 'n1' })], threshold: 0, want: { terminated: [], orphaned: [], unscheduledTerminating: [] } },
    { name: 'equal timestamps order by name', pods: [pod('b', { phase: 'Failed', node: 'n1' }), pod('a', { phase: 'Failed', node: 'n1' })], threshold: 1, want: { terminated: ['a'], orphaned: [], unscheduledTerminating: [] } },
    { name: 'bound to a missing node', pods: [pod('a', { node: 'gone' }), pod('b', { node: 'n1' })], threshold: 10, want: { terminated: [], orphaned: ['a'], unscheduledTerminating: [] } },
    { name: 'a pod is listed once: terminated first, else orphaned', pods: [pod('a', { node: 'gone', phase: 'Failed' }), pod('b', { node: 'gone', phase: 'Failed' })], threshold: 1, want: { terminated: ['a'], orphaned: ['b'], unscheduledTerminating: [] } },
    { name: 'unbound and being deleted', pods: [pod('a', { deleting: true }), pod('b')], threshold: 10, want: { terminated: [], orphaned: [], unscheduledTerminating: ['a'] } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const plan = planPodGc(tc.pods, nodes, tc.threshold);
      expect({ terminated: names(plan.terminated), orphaned: names(plan.orphaned), unscheduledTerminating: names(plan.unscheduledTerminating) }).toEqual(tc.want);
    });
  }
});
