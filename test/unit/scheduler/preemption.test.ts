import { describe, expect, it } from 'vitest';
import { buildFramework } from '../../../scheduler/profile.js';
import { schedulePod } from '../../../scheduler/algorithm.js';
import { runPostFilter } from '../../../scheduler/framework/framework.js';
import { cacheWith, mkNode, mkPod } from './builders.js';

const fw = buildFramework({ plugins: { bind: { disabled: [{ name: '*' }] } } }, 0);

function preempt(nodes: ReturnType<typeof mkNode>[], bound: [ReturnType<typeof mkPod>, string][], pod: ReturnType<typeof mkPod>) {
  const cache = cacheWith(nodes, bound);
  const state = new Map<string, unknown>();
  const r = schedulePod(fw, state, pod, cache, 0, () => 0);
  if (r.kind !== 'unschedulable') throw new Error('expected no fit');
  return runPostFilter(fw, state, pod, cache, r.filtered);
}

describe('DefaultPreemption', () => {
  const cases = [
    {
      name: 'evicts the one low-priority pod that makes room',
      nodes: [mkNode('n1', { cpu: '2', memory: '4Gi', pods: '10' })],
      bound: [[mkPod('low', { cpu: '1500m' }, { priority: 0 }), 'n1']] as [any, string][],
      pod: mkPod('high', { cpu: '1500m' }, { priority: 1000 }),
      node: 'n1',
      victims: ['low'],
    },
    {
      name: 'keeps pods that need not go (reprieve highest priority first)',
      nodes: [mkNode('n1', { cpu: '3', memory: '4Gi', pods: '10' })],
      bound: [[mkPod('a', { cpu: '1' }, { priority: 5 }), 'n1'], [mkPod('b', { cpu: '1' }, { priority: 1 }), 'n1'], [mkPod('c', { cpu: '1' }, { priority: 3 }), 'n1']] as [any, string][],
      pod: mkPod('high', { cpu: '1' }, { priority: 10 }),
      node: 'n1',
      victims: ['b'],
    },
    {
      name: 'prefers the node whose victims have the lowest priority',
      nodes: [mkNode('n1', { cpu: '1', memory: '4Gi', pods: '10' }), mkNode('n2', { cpu: '1', memory: '4Gi', pods: '10' })],
      bound: [[mkPod('mid', { cpu: '1' }, { priority: 50 }), 'n1'], [mkPod('low', { cpu: '1' }, { priority: 1 }), 'n2']] as [any, string][],
      pod: mkPod('high', { cpu: '1' }, { priority: 100 }),
      node: 'n2',
      victims: ['low'],
    },
    {
      name: 'does not evict equal or higher priority pods',
      nodes: [mkNode('n1', { cpu: '1', memory: '4Gi', pods: '10' })],
      bound: [[mkPod('peer', { cpu: '1' }, { priority: 100 }), 'n1']] as [any, string][],
      pod: mkPod('p', { cpu: '1' }, { priority: 100 }),
      node: undefined,
      victims: [],
    },
  ];
  it.each(cases)('$name', ({ nodes, bound, pod, node, victims }) => {
    const r = preempt(nodes, bound, pod);
    expect(r.nominatedNodeName).toBe(node);
    expect((r.victims ?? []).map((v) => v.metadata.name).sort()).toEqual(victims);
  });

  it('explains itself when preemption cannot help', () => {
    const r = preempt([mkNode('n1', { cpu: '1', memory: '4Gi', pods: '10' }, { unschedulable: true }), mkNode('n2', { cpu: '1', memory: '4Gi', pods: '10' })], [[mkPod('peer', { cpu: '1' }, { priority: 100 }), 'n2']], mkPod('p', { cpu: '1' }));
    expect(r.status.reasons.join(' ')).toBe('preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
  });
});
