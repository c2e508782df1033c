import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../api/types/common.js';
import type { Node, Taint } from '../../../api/types/core.js';
import type { Lease } from '../../../api/types/misc.js';
import type { Pod, Toleration } from '../../../api/types/pod.js';
import { decideNode, desiredTaints, evictionInMs, fullDisruption, observe, planEvictions, podsToMarkNotReady, unknownConditions } from '../../../controllers/nodelifecycle/index.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const ISO = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const GRACE = 40_000;
const UNREACH = 'node.kubernetes.io/unreachable';
const NOTREADY = 'node.kubernetes.io/not-ready';

const node = (ready?: string, taints: Taint[] = [], heartbeat = 'h1'): Node => ({
  metadata: { name: 'n' },
  spec: { taints },
  status: { conditions: ready ? [{ type: 'Ready', status: ready, lastHeartbeatTime: heartbeat }, { type: 'MemoryPressure', status: 'False' }] : [] },
});
const allUnknown = (taints: Taint[]): Node => ({ ...node('Unknown', taints), status: { conditions: [{ type: 'Ready', status: 'Unknown' }, { type: 'MemoryPressure', status: 'Unknown' }] } });
const lease = (renew: string): Lease => ({ metadata: { name: 'n', resourceVersion: renew }, spec: { renewTime: renew } });

describe('observe', () => {
  const base = { probeMs: T0, leaseVersion: 'r1', heartbeat: 'h1' };
  const cases = [
    { name: 'first sight counts as life', prev: undefined, node: node('True'), lease: lease('r1'), want: { probeMs: T0 + 5, leaseVersion: 'r1', heartbeat: 'h1' } },
    { name: 'nothing new keeps the old probe time', prev: base, node: node('True'), lease: lease('r1'), want: base },
    { name: 'renewed lease is life', prev: base, node: node('True'), lease: lease('r2'), want: { probeMs: T0 + 5, leaseVersion: 'r2', heartbeat: 'h1' } },
    { name: 'new Ready heartbeat is life', prev: base, node: node('True', [], 'h2'), lease: lease('r1'), want: { probeMs: T0 + 5, leaseVersion: 'r1', heartbeat: 'h2' } },
  ];
  for (const tc of cases) it(tc.name, () => expect(observe(tc.prev, tc.node, tc.lease, T0 + 5)).toEqual(tc.want));
});

describe('decideNode', () => {
  const rec = { probeMs: T0 };
  const keys = (t?: Taint[]) => t?.map((x) => `${x.key}:${x.effect}`);
  const cases = [
    { name: 'healthy: nothing to write, look again when the grace runs out', node: node('True'), now: T0 + 10_000, want: { unreachable: false, conditions: undefined, taints: undefined, recheckAfterMs: 30_001 } },
    { name: 'exactly at the grace period: still healthy', node: node('True'), now: T0 + GRACE, want: { unreachable: false, conditions: undefined, taints: undefined, recheckAfterMs: 1 } },
    { name: 'past the grace: Unknown and unreachable taints', node: node('True'), now: T0 + GRACE + 1, want: { unreachable: true, conditionStatus: ['Unknown', 'Unknown'], taints: [`${UNREACH}:NoSchedule`, `${UNREACH}:NoExecute`] } },
    { name: 'already Unknown and tainted: nothing to write', node: allUnknown([{ key: UNREACH, effect: 'NoSchedule' }, { key: UNREACH, effect: 'NoExecute' }]), now: T0 + GRACE + 1, want: { unreachable: true, conditions: undefined, taints: undefined } },
    { name: 'kubelet reports Ready=False: not-ready taints', node: node('False'), now: T0 + 1, want: { unreachable: false, taints: [`${NOTREADY}:NoSchedule`, `${NOTREADY}:NoExecute`] } },
    { name: 'lease renewed: unreachable taints go, foreign taints stay', node: node('Unknown', [{ key: UNREACH, effect: 'NoExecute' }, { key: 'dedicated', effect: 'NoSchedule' }]), now: T0 + 1, want: { unreachable: false, taints: ['dedicated:NoSchedule'] } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const d = decideNode(tc.node, rec, tc.now, GRACE, ISO(tc.now));
      const w = tc.want as Record<string, unknown>;
      expect(d.unreachable).toBe(w.unreachable);
      if ('conditions' in w) expect(d.conditions).toBe(w.conditions);
      if ('conditionStatus' in w) expect(d.conditions?.map((c) => c.status)).toEqual(w.conditionStatus);
      if ('taints' in w) expect(keys(d.taints)).toEqual(w.taints);
      if ('recheckAfterMs' in w) expect(d.recheckAfterMs).toBe(w.recheckAfterMs);
    });
  }
});

describe('unknownConditions / desiredTaints', () => {
  it('marks kubelet conditions Unknown with upstream reason, keeping heartbeat', () => {
    const prev: Condition[] = [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'h', lastTransitionTime: 'old' }, { type: 'Custom', status: 'True' }];
    expect(unknownConditions(prev, 'now')).toEqual([
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: 'h', lastTransitionTime: 'now' },
      { type: 'Custom', status: 'True' },
    ]);
  });
  it('adds Ready=Unknown for a node that never posted status', () => {
    expect(unknownConditions([], 'now')).toEqual([{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastTransitionTime: 'now' }]);
  });
  it('keeps timeAdded of an existing taint', () => {
    const cur = [{ key: UNREACH, effect: 'NoExecute', timeAdded: 'then' }];
    expect(desiredTaints(cur, UNREACH, 'now')).toEqual([...cur, { key: UNREACH, effect: 'NoSchedule', timeAdded: 'now' }]);
  });
  it('switching not-ready to unreachable replaces both', () => {
    const cur = [{ key: NOTREADY, effect: 'NoExecute' }, { key: NOTREADY, effect: 'NoSchedule' }];
    expect(desiredTaints(cur, UNREACH, 'now')?.map((t) => t.key)).toEqual([UNREACH, UNREACH]);
  });
});

const pod = (name: string, tolerations?: Toleration[], extra: Partial<Pod['metadata']> = {}, ready = true): Pod => ({
  metadata: { name, ...extra },
  spec: { containers: [], tolerations },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const unreachableSince = (ms: number): Taint[] => [{ key: UNREACH, effect: 'NoExecute', timeAdded: ISO(ms) }, { key: UNREACH, effect: 'NoSchedule', timeAdded: ISO(ms) }];

describe('evictionInMs', () => {
  // What the API server's DefaultTolerationSeconds admission gives every pod.
  const admitted = [NOTREADY, UNREACH].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
  const cases = [
    { name: 'no toleration at all: now (as upstream; admission normally prevents this)', pod: pod('a'), taints: unreachableSince(T0), now: T0, want: 0 },
    { name: 'the admitted 300 s, counted from timeAdded', pod: pod('a', admitted), taints: unreachableSince(T0), now: T0 + 100_000, want: 200_000 },
    { name: 'the admitted 300 s ran out: now', pod: pod('a', admitted), taints: unreachableSince(T0), now: T0 + 300_000, want: 0 },
    { name: 'a shorter own toleration wins', pod: pod('a', [{ key: UNREACH, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, ...admitted]), taints: unreachableSince(T0), now: T0 + 4000, want: 6000 },
    { name: 'negative seconds count as zero', pod: pod('a', [{ key: UNREACH, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -5 }]), taints: unreachableSince(T0), now: T0, want: 0 },
    { name: 'tolerated forever', pod: pod('a', [{ key: UNREACH, operator: 'Exists', effect: 'NoExecute' }]), taints: unreachableSince(T0), now: T0 + 1e9, want: undefined },
    { name: 'wildcard toleration tolerates everything', pod: pod('a', [{ operator: 'Exists' }]), taints: [...unreachableSince(T0), { key: 'x', effect: 'NoExecute' }], now: T0, want: undefined },
    { name: 'an untolerated foreign NoExecute taint: now', pod: pod('a', admitted), taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }], now: T0, want: 0 },
    { name: 'Equal toleration with the right value', pod: pod('a', [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }]), taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }], now: T0, want: undefined },
    { name: 'Equal toleration with another value: now', pod: pod('a', [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }]), taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }], now: T0, want: 0 },
    { name: 'NoSchedule taints never evict', pod: pod('a'), taints: [{ key: 'x', effect: 'NoSchedule' }], now: T0, want: undefined },
  ];
  for (const tc of cases) it(tc.name, () => expect(evictionInMs(tc.pod, tc.taints, tc.now)).toBe(tc.want));
});

describe('planEvictions / podsToMarkNotReady', () => {
  const pods = [pod('due'), pod('later', [{ key: UNREACH, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]), pod('gone', undefined, { deletionTimestamp: 'x' }), pod('unready', undefined, {}, false)];
  it('evicts due pods and reports the next deadline', () => {
    const plan = planEvictions(pods, unreachableSince(T0), T0 + 1000);
    expect(plan.evict.map((p) => p.metadata.name)).toEqual(['due', 'unready']);
    expect(plan.nextInMs).toBe(59_000);
  });
  it('marks only ready, live pods not ready', () => expect(podsToMarkNotReady(pods).map((p) => p.metadata.name)).toEqual(['due', 'later']));
});

describe('fullDisruption', () => {
  const cases = [
    { name: 'no nodes: not disrupted', probes: [], want: false },
    { name: 'one healthy node: not disrupted', probes: [T0 - 100_000, T0 - 1000], want: false },
    { name: 'every node silent: disrupted', probes: [T0 - 100_000, T0 - 50_000], want: true },
    { name: 'exactly at the grace period counts as healthy', probes: [T0 - GRACE], want: false },
  ];
  for (const tc of cases) it(tc.name, () => expect(fullDisruption(tc.probes.map((probeMs) => ({ probeMs })), T0, GRACE)).toBe(tc.want));
});
