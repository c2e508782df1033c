// Table tests for the ReplicaSet controller's pure parts: deletion ranking, replica plans,
// status, claims, slow-start batches and expectations (FakeClock).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/clock.js';
import { selectorFromLabelSelector } from '../../../api/labels.js';
import type { PodObj, ReplicaSetObj } from '../../../controllers/replicaset/objects.js';
import { podsToDelete } from '../../../controllers/replicaset/ranking.js';
import { calculateStatus, nextAvailabilityCheckMs, planReplicas } from '../../../controllers/replicaset/plan.js';
import { planClaims } from '../../../controllers/replicaset/claim.js';
import { batchSizes, slowStartBatch } from '../../../controllers/replicaset/slowstart.js';
import { Expectations, EXPECTATIONS_TTL_MS } from '../../../controllers/replicaset/expectations.js';

const T0 = Date.UTC(2024, 0, 1);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

interface PodOpts { node?: string; phase?: string; ready?: boolean; readyAt?: number; restarts?: number; created?: number; labels?: Record<string, string>; owner?: string; cost?: string }
function pod(name: string, o: PodOpts = {}): PodObj {
  return {
    metadata: {
      name, namespace: 'ns', uid: name, creationTimestamp: iso(o.created ?? 0), labels: o.labels ?? { app: 'web' },
      ownerReferences: o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: o.owner, controller: true }] : undefined,
      annotations: o.cost ? { 'controller.kubernetes.io/pod-deletion-cost': o.cost } : undefined,
    },
    spec: { nodeName: o.node, containers: [{ name: 'c', image: 'x' }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: iso(o.readyAt ?? 0) }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: o.restarts ?? 0, image: 'x', imageID: '' }],
    },
  };
}
function rset(replicas: number, minReadySeconds = 0): ReplicaSetObj {
  return { metadata: { name: 'rs', namespace: 'ns', uid: 'rs', generation: 2 }, spec: { replicas, minReadySeconds, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', x: '1' } }, spec: { containers: [] } } } };
}

describe('deletion ranking', () => {
  it.each([
    { name: 'unassigned before assigned', pods: [pod('a', { node: 'n1' }), pod('b')], want: 'b' },
    { name: 'pending before running', pods: [pod('a', { node: 'n1' }), pod('b', { node: 'n2', phase: 'Pending' })], want: 'b' },
    { name: 'not ready before ready', pods: [pod('a', { node: 'n1' }), pod('b', { node: 'n2', ready: false })], want: 'b' },
    { name: 'lower deletion cost first', pods: [pod('a', { node: 'n1', cost: '10' }), pod('b', { node: 'n2' })], want: 'b' },
    { name: 'doubled-up node first', pods: [pod('a', { node: 'n1' }), pod('b', { node: 'n2' }), pod('c', { node: 'n2', readyAt: -1 })], want: 'b' },
    { name: 'ready for less time first', pods: [pod('a', { node: 'n1', readyAt: 1 }), pod('b', { node: 'n2', readyAt: 5 })], want: 'b' },
    { name: 'more restarts first', pods: [pod('a', { node: 'n1' }), pod('b', { node: 'n2', restarts: 3 })], want: 'b' },
    { name: 'newer first', pods: [pod('a', { node: 'n1', created: 1 }), pod('b', { node: 'n2', created: 9 })], want: 'b' },
  ])('$name', ({ pods, want }) => expect(podsToDelete(pods, 1).map((p) => p.metadata.name)).toEqual([want]));
});

describe('planReplicas', () => {
  it.each([
    { name: 'too few creates the difference', replicas: 5, have: 2, burst: 500, create: 3, remove: 0 },
    { name: 'creates capped at burst', replicas: 800, have: 0, burst: 500, create: 500, remove: 0 },
    { name: 'too many deletes the difference', replicas: 1, have: 3, burst: 500, create: 0, remove: 2 },
    { name: 'exact does nothing', replicas: 2, have: 2, burst: 500, create: 0, remove: 0 },
  ])('$name', ({ replicas, have, burst, create, remove }) => {
    const plan = planReplicas(rset(replicas), Array.from({ length: have }, (_, i) => pod(`p${i}`)), burst);
    expect([plan.create, plan.remove.length]).toEqual([create, remove]);
  });
});

describe('calculateStatus', () => {
  it('counts labeled, ready and available (minReadySeconds) pods and requeues for the next one', () => {
    const pods = [pod('a', { labels: { app: 'web', x: '1' }, readyAt: 0 }), pod('b', { readyAt: 8 }), pod('c', { ready: false })];
    const now = T0 + 10_000;
    const s = calculateStatus(rset(3, 5), pods, now);
    expect(s).toMatchObject({ replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 2 });
    expect(nextAvailabilityCheckMs(rset(3, 5), pods, now)).toBe(3001);
    expect(nextAvailabilityCheckMs(rset(3, 0), pods, now)).toBeUndefined();
  });
  it('sets ReplicaFailure on a failed create and clears it afterwards', () => {
    const s = calculateStatus(rset(1), [], T0, 'quota exceeded');
    expect(s.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' });
    expect(calculateStatus({ ...rset(1), status: s }, [], T0).conditions).toBeUndefined();
  });
});

describe('planClaims', () => {
  const owner = rset(1);
  const sel = selectorFromLabelSelector(owner.spec.selector);
  it.each([
    { name: 'owned and matching is kept', p: pod('a', { owner: 'rs' }), want: 'owned' },
    { name: 'orphan matching is adopted', p: pod('a'), want: 'adopt' },
    { name: 'owned but not matching is released', p: pod('a', { owner: 'rs', labels: { app: 'other' } }), want: 'release' },
    { name: 'owned by another is ignored', p: pod('a', { owner: 'other' }), want: 'none' },
    { name: 'orphan not matching is ignored', p: pod('a', { labels: { app: 'x' } }), want: 'none' },
  ])('$name', ({ p, want }) => {
    const plan = planClaims(owner, sel, [p]);
    const got = plan.owned.length ? 'owned' : plan.adopt.length ? 'adopt' : plan.release.length ? 'release' : 'none';
    expect(got).toBe(want);
  });
});

describe('slow start', () => {
  it.each([
    { count: 0, want: [] }, { count: 1, want: [1] }, { count: 7, want: [1, 2, 4] }, { count: 10, want: [1, 2, 4, 3] },
  ])('batches for $count', ({ count, want }) => expect(batchSizes(count, 1)).toEqual(want));
  it('stops after the first batch with a failure', async () => {
    let calls = 0;
    const res = await slowStartBatch(100, 1, async () => {
      calls++;
      if (calls > 4) throw new Error('broken template');
    });
    expect(calls).toBe(7);
    expect(res.successes).toBe(4);
    expect(res.error).toBeInstanceOf(Error);
  });
});

describe('expectations', () => {
  it('blocks until creations and deletions are observed, or expire', () => {
    const clock = new FakeClock(T0);
    const e = new Expectations(clock);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expect('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expect('ns/rs', 0, ['ns/p1']);
    expect(e.satisfied('ns/rs')).toBe(false);
    clock.step(EXPECTATIONS_TTL_MS + 1);
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});
