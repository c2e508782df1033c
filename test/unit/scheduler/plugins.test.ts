import { describe, expect, it } from 'vitest';
import { NodeInfo, newPodInfo } from '../../../scheduler/nodeinfo.js';
import { NodeResourcesFit, fits, resourceScore } from '../../../scheduler/plugins/noderesources-fit.js';
import { balancedScore } from '../../../scheduler/plugins/balanced-allocation.js';
import { NodeName, NodeUnschedulable } from '../../../scheduler/plugins/node-name.js';
import { NodeAffinity } from '../../../scheduler/plugins/node-affinity.js';
import { TaintToleration } from '../../../scheduler/plugins/taint-toleration.js';
import { NodePorts } from '../../../scheduler/plugins/node-ports.js';
import { computePodResources } from '../../../scheduler/resources.js';
import { Code } from '../../../scheduler/framework/status.js';
import { fitErrorMessage } from '../../../scheduler/message.js';
import { numFeasibleNodesToFind, selectHost } from '../../../scheduler/algorithm.js';
import { mkNode, mkPod } from './builders.js';

function nodeInfo(node = mkNode('n'), pods: ReturnType<typeof mkPod>[] = []): NodeInfo {
  const ni = new NodeInfo('n', node);
  for (const p of pods) ni.addPod(newPodInfo(p));
  return ni;
}

describe('effective pod requests', () => {
  const cases = [
    { name: 'sum of app containers', spec: { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }, { name: 'b', resources: { requests: { cpu: '200m' } } }] }, cpu: 300 },
    { name: 'limits stand in for missing requests', spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }] }, cpu: 1000 },
    { name: 'largest init container wins', spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '500m' } } }], containers: [{ name: 'a', resources: { requests: { cpu: '300m' } } }] }, cpu: 500 },
    { name: 'sidecar init containers add to the app sum', spec: { initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } }], containers: [{ name: 'a', resources: { requests: { cpu: '300m' } } }] }, cpu: 400 },
  ];
  it.each(cases)('$name', ({ spec, cpu }) => {
    expect(computePodResources({ metadata: { name: 'p' }, spec } as any).milliCPU).toBe(cpu);
  });
  it('uses 100m / 200Mi for scoring containers without requests', () => {
    const r = computePodResources(mkPod('p'));
    expect([r.milliCPU, r.nonZeroCPU, r.nonZeroMemory]).toEqual([0, 100, 200 * 1024 * 1024]);
  });
});

describe('NodeResourcesFit', () => {
  const small = mkNode('n', { cpu: '1', memory: '1Gi', pods: '2', 'example.com/gpu': '1' });
  const cases = [
    { name: 'fits', pod: mkPod('p', { cpu: '500m', memory: '512Mi' }), bound: [], reasons: [] },
    { name: 'every short dimension is reported', pod: mkPod('p', { cpu: '2', memory: '2Gi' }), bound: [], reasons: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'counts bound pods', pod: mkPod('p', { cpu: '600m' }), bound: [mkPod('a', { cpu: '500m' })], reasons: ['Insufficient cpu'] },
    { name: 'too many pods', pod: mkPod('p'), bound: [mkPod('a'), mkPod('b')], reasons: ['Too many pods'] },
    { name: 'extended resources', pod: mkPod('p', { 'example.com/gpu': '2' }), bound: [], reasons: ['Insufficient example.com/gpu'] },
    { name: 'unknown extended resource', pod: mkPod('p', { 'example.com/fpga': '1' }), bound: [], reasons: ['Insufficient example.com/fpga'] },
  ];
  it.each(cases)('$name', ({ pod, bound, reasons }) => {
    expect(fits(pod, nodeInfo(small, bound)).map((r) => r.reason)).toEqual(reasons);
  });

  const scoreCases = [
    { name: 'LeastAllocated: half free', strategy: 'LeastAllocated' as const, requested: 50, alloc: 100, score: 50 },
    { name: 'LeastAllocated: over capacity', strategy: 'LeastAllocated' as const, requested: 150, alloc: 100, score: 0 },
    { name: 'MostAllocated: 30% used', strategy: 'MostAllocated' as const, requested: 30, alloc: 100, score: 30 },
    { name: 'MostAllocated: capped', strategy: 'MostAllocated' as const, requested: 150, alloc: 100, score: 100 },
  ];
  it.each(scoreCases)('$name', ({ strategy, requested, alloc, score }) => expect(resourceScore(strategy, requested, alloc)).toBe(score));

  it('LeastAllocated prefers the emptier node, MostAllocated the fuller one', () => {
    const pod = mkPod('p', { cpu: '1', memory: '1Gi' });
    const empty = nodeInfo(mkNode('e'));
    const busy = nodeInfo(mkNode('b'), [mkPod('x', { cpu: '2', memory: '4Gi' })]);
    const least = new NodeResourcesFit();
    const most = new NodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } });
    expect(least.score(new Map(), pod, empty)).toBeGreaterThan(least.score(new Map(), pod, busy));
    expect(most.score(new Map(), pod, busy)).toBeGreaterThan(most.score(new Map(), pod, empty));
  });
});

describe('BalancedAllocation', () => {
  it.each([
    { name: 'equal fractions', f: [0.5, 0.5], score: 100 },
    { name: 'cpu 50%, memory 10%', f: [0.5, 0.1], score: 80 },
    { name: 'capped above 1', f: [2, 0], score: 50 },
  ])('$name', ({ f, score }) => expect(balancedScore(f)).toBe(score));
});

describe('filters', () => {
  const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  const cases = [
    { name: 'NodeName matches', plugin: new NodeName(), node: mkNode('n'), pod: mkPod('p', {}, { nodeName: 'n' }), code: Code.Success },
    { name: 'NodeName mismatch', plugin: new NodeName(), node: mkNode('n'), pod: mkPod('p', {}, { nodeName: 'other' }), code: Code.UnschedulableAndUnresolvable, reason: "node(s) didn't match the requested node name" },
    { name: 'cordoned', plugin: new NodeUnschedulable(), node: mkNode('n', undefined, { unschedulable: true }), pod: mkPod('p'), code: Code.UnschedulableAndUnresolvable, reason: 'node(s) were unschedulable' },
    { name: 'cordoned but tolerated', plugin: new NodeUnschedulable(), node: mkNode('n', undefined, { unschedulable: true }), pod: mkPod('p', {}, { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), code: Code.Success },
    { name: 'untolerated taint', plugin: new TaintToleration(), node: mkNode('n', undefined, { taints: [taint] }), pod: mkPod('p'), code: Code.UnschedulableAndUnresolvable, reason: 'node(s) had untolerated taint {k: v}' },
    { name: 'tolerated by Equal', plugin: new TaintToleration(), node: mkNode('n', undefined, { taints: [taint] }), pod: mkPod('p', {}, { tolerations: [{ key: 'k', operator: 'Equal', value: 'v' }] }), code: Code.Success },
    { name: 'tolerated by empty-key Exists', plugin: new TaintToleration(), node: mkNode('n', undefined, { taints: [taint] }), pod: mkPod('p', {}, { tolerations: [{ operator: 'Exists' }] }), code: Code.Success },
    { name: 'wrong value not tolerated', plugin: new TaintToleration(), node: mkNode('n', undefined, { taints: [taint] }), pod: mkPod('p', {}, { tolerations: [{ key: 'k', operator: 'Equal', value: 'x' }] }), code: Code.UnschedulableAndUnresolvable },
    { name: 'PreferNoSchedule does not filter', plugin: new TaintToleration(), node: mkNode('n', undefined, { taints: [{ ...taint, effect: 'PreferNoSchedule' }] }), pod: mkPod('p'), code: Code.Success },
    { name: 'NoExecute filters', plugin: new TaintToleration(), node: mkNode('n', undefined, { taints: [{ ...taint, effect: 'NoExecute' }] }), pod: mkPod('p'), code: Code.UnschedulableAndUnresolvable },
    { name: 'nodeSelector matches', plugin: new NodeAffinity(), node: mkNode('n', undefined, { labels: { disk: 'ssd' } }), pod: mkPod('p', {}, { nodeSelector: { disk: 'ssd' } }), code: Code.Success },
    { name: 'nodeSelector mismatch', plugin: new NodeAffinity(), node: mkNode('n'), pod: mkPod('p', {}, { nodeSelector: { disk: 'ssd' } }), code: Code.UnschedulableAndUnresolvable, reason: "node(s) didn't match Pod's node affinity/selector" },
    {
      name: 'required affinity: terms are ORed', plugin: new NodeAffinity(), node: mkNode('n', undefined, { labels: { zone: 'b' } }),
      pod: mkPod('p', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }] } } } }),
      code: Code.Success,
    },
    {
      name: 'required affinity: Gt', plugin: new NodeAffinity(), node: mkNode('n', undefined, { labels: { gen: '3' } }),
      pod: mkPod('p', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }] } } } }),
      code: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'matchFields metadata.name', plugin: new NodeAffinity(), node: mkNode('n'),
      pod: mkPod('p', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } } }),
      code: Code.Success,
    },
  ];
  it.each(cases)('$name', ({ plugin, node, pod, code, reason }) => {
    const s = plugin.filter(new Map(), pod, nodeInfo(node));
    expect(s.code).toBe(code);
    if (reason) expect(s.reasons).toEqual([reason]);
  });

  it('NodePorts: conflicts on the same port and protocol, 0.0.0.0 overlaps any address', () => {
    const withPort = (name: string, hostPort: number, hostIP?: string, protocol = 'TCP') => mkPod(name, {}, { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, hostIP, protocol }] }] });
    const ni = nodeInfo(mkNode('n'), [withPort('a', 8080, '10.0.0.1')]);
    const np = new NodePorts();
    expect(np.filter(new Map(), withPort('b', 8080), ni).code).toBe(Code.Unschedulable);
    expect(np.filter(new Map(), withPort('b', 8080, '10.0.0.2'), ni).code).toBe(Code.Success);
    expect(np.filter(new Map(), withPort('b', 8080, undefined, 'UDP'), ni).code).toBe(Code.Success);
  });
});

describe('FailedScheduling message', () => {
  it('counts reasons over nodes, sorted', () => {
    const statuses = [
      { code: Code.UnschedulableAndUnresolvable, reasons: ['node(s) had untolerated taint {k: v}'] },
      { code: Code.Unschedulable, reasons: ['Insufficient memory'] },
      { code: Code.Unschedulable, reasons: ['Insufficient memory'] },
    ];
    expect(fitErrorMessage(3, statuses)).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient memory.');
  });
});

describe('algorithm', () => {
  it.each([
    { nodes: 50, pct: 0, want: 50 },
    { nodes: 500, pct: 0, want: 230 },
    { nodes: 5000, pct: 0, want: 500 },
    { nodes: 10000, pct: 0, want: 500 },
    { nodes: 1000, pct: 5, want: 100 },
    { nodes: 1000, pct: 100, want: 1000 },
  ])('numFeasibleNodesToFind($nodes, $pct) = $want', ({ nodes, pct, want }) => expect(numFeasibleNodesToFind(pct, nodes)).toBe(want));

  it('selectHost picks the best and breaks ties with the random source', () => {
    expect(selectHost(['a', 'b', 'c'], [1, 5, 2], () => 0.99)).toBe('b');
    expect(selectHost(['a', 'b'], [5, 5], () => 0)).toBe('b');
    expect(selectHost(['a', 'b'], [5, 5], () => 0.99)).toBe('a');
  });
});
