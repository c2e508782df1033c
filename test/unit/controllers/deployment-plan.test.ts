// Table tests for the rolling-update arithmetic, proportional scaling, hashing and revisions.
import { describe, expect, it } from 'vitest';
import type { DeploymentObj, ReplicaSetObj } from '../../../controllers/replicaset/objects.js';
import { maxUnavailable, newRSNewReplicas, planOldScaleDown, resolveFenceposts, scaledValue } from '../../../controllers/deployment/plan.js';
import { isScalingEvent, planProportionalScale } from '../../../controllers/deployment/proportional.js';
import { computeHash, templatesEqual } from '../../../controllers/deployment/hash.js';
import { newRSAnnotations } from '../../../controllers/deployment/revision.js';
import { deploymentComplete, rolloutStatus, stuckRequeueMs } from '../../../controllers/deployment/progress.js';

function dep(replicas: number, surge: number | string = '25%', unavail: number | string = '25%', type = 'RollingUpdate'): DeploymentObj {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 1, uid: 'd1' },
    spec: {
      replicas, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      strategy: { type, rollingUpdate: type === 'RollingUpdate' ? { maxSurge: surge, maxUnavailable: unavail } : undefined },
    },
  };
}

let seq = 0;
function rs(name: string, replicas: number, available = replicas, ann: Record<string, string> = {}): ReplicaSetObj {
  seq++;
  return {
    metadata: { name, uid: name, creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString(), annotations: ann },
    spec: { replicas, selector: {} },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}

describe('scaledValue and resolveFenceposts', () => {
  it.each([
    { name: 'int', v: 3, total: 10, up: true, want: 3 },
    { name: '25% of 10 rounds up', v: '25%', total: 10, up: true, want: 3 },
    { name: '25% of 10 rounds down', v: '25%', total: 10, up: false, want: 2 },
    { name: '0%', v: '0%', total: 10, up: true, want: 0 },
    { name: '100% of 7', v: '100%', total: 7, up: false, want: 7 },
  ])('$name', ({ v, total, up, want }) => expect(scaledValue(v, total, up)).toBe(want));

  it.each([
    { name: 'defaults on 10', s: '25%', u: '25%', n: 10, want: [3, 2] },
    { name: 'both zero makes unavailable 1', s: 0, u: 0, n: 10, want: [0, 1] },
    { name: '0% / 0% also', s: '0%', u: '0%', n: 3, want: [0, 1] },
    { name: 'defaults on 1', s: '25%', u: '25%', n: 1, want: [1, 0] },
    { name: 'ints', s: 2, u: 1, n: 10, want: [2, 1] },
  ])('$name', ({ s, u, n, want }) => expect(resolveFenceposts(s, u, n)).toEqual(want));

  it('maxUnavailable is capped at replicas and 0 for Recreate', () => {
    expect(maxUnavailable(dep(2, 0, 5))).toBe(2);
    expect(maxUnavailable(dep(2, 0, 1, 'Recreate'))).toBe(0);
  });
});

describe('newRSNewReplicas', () => {
  it.each([
    { name: 'fresh rollout uses the surge', d: dep(10, 2, 1), old: 10, cur: 0, want: 2 },
    { name: 'no room beyond the surge', d: dep(10, 2, 1), old: 10, cur: 2, want: 2 },
    { name: 'room after old scaled down', d: dep(10, 2, 1), old: 9, cur: 2, want: 3 },
    { name: 'never above replicas', d: dep(10, 5, 1), old: 1, cur: 9, want: 10 },
    { name: 'Recreate goes straight to replicas', d: dep(4, 0, 0, 'Recreate'), old: 0, cur: 0, want: 4 },
    { name: 'old scaled down but its pod not yet deleted: no room yet', d: dep(10, 2, 1), old: 9, oldPods: 10, cur: 2, want: 2 },
    { name: 'old pod gone: room', d: dep(10, 2, 1), old: 9, oldPods: 9, cur: 2, want: 3 },
    { name: 'new pods not yet created count as the spec', d: dep(10, 2, 1), old: 9, oldPods: 9, cur: 3, curPods: 1, want: 3 },
  ])('$name', (c: { d: DeploymentObj; old: number; cur: number; want: number; oldPods?: number; curPods?: number }) => {
    const newRS = rs('new', c.cur);
    const oldRS = rs('old', c.old);
    if (c.oldPods !== undefined) oldRS.status = { ...oldRS.status, replicas: c.oldPods };
    if (c.curPods !== undefined) newRS.status = { ...newRS.status, replicas: c.curPods };
    expect(newRSNewReplicas(c.d, [oldRS, newRS], newRS)).toBe(c.want);
  });
});

describe('planOldScaleDown', () => {
  const sizes = (steps: { rs: ReplicaSetObj; replicas: number }[]) => Object.fromEntries(steps.map((s) => [s.rs.metadata.name, s.replicas]));
  it.each([
    { name: 'worked example: 10 old, 2 new unavailable → old 9', d: dep(10, 2, 1), olds: [rs('a', 10)], n: rs('n', 2, 0), want: { a: 9 } },
    { name: 'new pods available → old shrinks by what they cover', d: dep(10, 2, 1), olds: [rs('a', 9)], n: rs('n', 3, 3), want: { a: 6 } },
    { name: 'unhealthy old pods go first, capped by maxScaledDown', d: dep(10, 0, 1), olds: [rs('a', 10, 7)], n: rs('n', 0, 0), want: { a: 9 } },
    { name: 'unhealthy cleanup up to the budget', d: dep(10, 3, 1), olds: [rs('a', 10, 7)], n: rs('n', 3, 0), want: { a: 9 } },
    { name: 'no budget: nothing', d: dep(10, 2, 1), olds: [rs('a', 9, 9)], n: rs('n', 3, 0), want: {} },
    { name: 'oldest RS first', d: dep(4, 1, 2), olds: [rs('a', 2), rs('b', 2)], n: rs('n', 1, 1), want: { a: 0, b: 1 } },
    { name: 'stale status above spec is not counted', d: dep(10, 2, 1), olds: [rs('a', 9, 10)], n: rs('n', 2, 0), want: {} },
  ])('$name', ({ d, olds, n, want }) => {
    expect(sizes(planOldScaleDown(d, olds, n))).toEqual(want);
  });
});

describe('proportional scaling', () => {
  const ann = (desired: number, max: number) => ({ 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(max) });
  it('detects a scaling event from the desired-replicas annotation', () => {
    expect(isScalingEvent(dep(20), [rs('a', 8, 8, ann(10, 13))])).toBe(true);
    expect(isScalingEvent(dep(10), [rs('a', 8, 8, ann(10, 13))])).toBe(false);
    expect(isScalingEvent(dep(20), [rs('a', 0, 0, ann(10, 13))])).toBe(false);
  });
  it.each([
    { name: '10 → 20 mid-rollout keeps the shape', d: dep(20), rss: [rs('old', 8, 8, ann(10, 13)), rs('new', 5, 0, ann(10, 13))], want: { old: 15, new: 10 } },
    { name: '10 → 5 shrinks both', d: dep(5), rss: [rs('old', 8, 8, ann(10, 13)), rs('new', 5, 0, ann(10, 13))], want: { old: 4, new: 3 } },
    { name: 'to zero', d: dep(0), rss: [rs('old', 8, 8, ann(10, 13)), rs('new', 5, 0, ann(10, 13))], want: { old: 0, new: 0 } },
  ])('$name', ({ d, rss, want }) => {
    const got = Object.fromEntries(planProportionalScale(d, rss).map((s) => [s.rs.metadata.name, s.replicas]));
    expect(got).toEqual(want);
  });
});

describe('template hash and equality', () => {
  const t1 = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', imagePullPolicy: 'IfNotPresent' }] } };
  const undo = { spec: { containers: [{ imagePullPolicy: 'IfNotPresent', image: 'x', name: 'c', resources: {} }] }, metadata: { creationTimestamp: null, labels: { app: 'web' } } };
  it.each([
    { name: 'key order, null creationTimestamp and empty resources are ignored', a: t1, b: undo, equal: true },
    { name: 'the pod-template-hash label is ignored', a: t1, b: { ...t1, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } }, equal: true },
    { name: 'image differs', a: t1, b: { ...t1, spec: { containers: [{ name: 'c', image: 'y' }] } }, equal: false },
  ])('$name', ({ a, b, equal }) => {
    expect(templatesEqual(a as never, b as never)).toBe(equal);
    expect(computeHash(a as never) === computeHash(b as never)).toBe(equal);
  });
  it('hash is safe-encoded and changes with collisionCount', () => {
    expect(computeHash(t1 as never)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(computeHash(t1 as never, 1)).not.toBe(computeHash(t1 as never));
  });
});

describe('revision annotations', () => {
  it.each([
    { name: 'new RS gets the revision and change-cause', rsAnn: {}, next: 3, want: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'why' } },
    { name: 'revived RS is bumped and remembers its old number', rsAnn: { 'deployment.kubernetes.io/revision': '1' }, next: 4,
      want: { 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/revision-history': '1', 'kubernetes.io/change-cause': 'why' } },
    { name: 'current revision is kept', rsAnn: { 'deployment.kubernetes.io/revision': '4' }, next: 4, want: { 'deployment.kubernetes.io/revision': '4', 'kubernetes.io/change-cause': 'why' } },
  ])('$name', ({ rsAnn, next, want }) => {
    const dAnn = { 'kubernetes.io/change-cause': 'why', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '9' };
    expect(newRSAnnotations(dAnn, rs('x', 1, 1, rsAnn as Record<string, string>), next)).toEqual(want);
  });
});

describe('rollout status and progress deadline', () => {
  const now = Date.UTC(2024, 0, 1, 1, 0, 0);
  it('completes with NewReplicaSetAvailable', () => {
    const d = { ...dep(3), spec: { ...dep(3).spec, progressDeadlineSeconds: 600 } };
    const n = rs('n', 3, 3);
    const s = rolloutStatus(d, [n], n, now);
    expect(deploymentComplete(d, s)).toBe(true);
    expect(s.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(s.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  });
  it('times out after progressDeadlineSeconds without progress, and says when to look', () => {
    const base = dep(3);
    const last = new Date(now - 5000).toISOString();
    const d: DeploymentObj = {
      ...base, spec: { ...base.spec, progressDeadlineSeconds: 10 },
      status: { replicas: 4, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3, observedGeneration: 1,
        conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: last, lastTransitionTime: last }] },
    };
    const all = [rs('o', 3, 3), rs('n', 1, 0)];
    all[1]!.status!.readyReplicas = 0;
    expect(stuckRequeueMs(d, rolloutStatus(d, all, all[1], now), now)).toBe(6000);
    const later = rolloutStatus(d, all, all[1], now + 11_000);
    expect(later.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });
});
