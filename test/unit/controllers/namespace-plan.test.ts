import { describe, expect, it } from 'vitest';
import { deletionConditions, needsFinalizing, planContent, withoutOurFinalizer, type Content } from '../../../controllers/namespace/index.js';

const NOW = Date.parse('2024-01-01T00:00:00Z');
const item = (plural: string, name: string, deleteInMs?: number): Content => ({
  plural,
  obj: { metadata: { name, deletionTimestamp: deleteInMs === undefined ? undefined : new Date(NOW + deleteInMs).toISOString() } },
});

describe('planContent', () => {
  const cases = [
    { name: 'empty namespace is done', items: [], want: { toDelete: [], remaining: {}, requeueAfterMs: 0 } },
    { name: 'live objects are deleted, look again in 1 s', items: [item('pods', 'a'), item('configmaps', 'c')], want: { toDelete: [item('pods', 'a'), item('configmaps', 'c')], remaining: { pods: 1, configmaps: 1 }, requeueAfterMs: 1000 } },
    { name: 'terminating pods are not deleted again; wait for their grace', items: [item('pods', 'a', 20_000), item('pods', 'b')], want: { toDelete: [item('pods', 'b')], remaining: { pods: 2 }, requeueAfterMs: 20_000 } },
    { name: 'long grace waits at most 30 s', items: [item('pods', 'a', 600_000)], want: { toDelete: [], remaining: { pods: 1 }, requeueAfterMs: 30_000 } },
    { name: 'past grace (held by a finalizer) checks again in 1 s', items: [item('configmaps', 'h', -5000)], want: { toDelete: [], remaining: { configmaps: 1 }, requeueAfterMs: 1000 } },
  ];
  for (const tc of cases) it(tc.name, () => expect(planContent(tc.items, NOW)).toEqual(tc.want));
});

describe('needsFinalizing / withoutOurFinalizer', () => {
  const cases = [
    { name: 'active namespace', ns: { metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] } }, want: false },
    { name: 'terminating with our finalizer', ns: { metadata: { name: 'a', deletionTimestamp: 'x' }, spec: { finalizers: ['kubernetes'] } }, want: true },
    { name: 'terminating, finalized already', ns: { metadata: { name: 'a', deletionTimestamp: 'x' }, spec: { finalizers: ['other'] } }, want: false },
  ];
  for (const tc of cases) it(tc.name, () => expect(needsFinalizing(tc.ns)).toBe(tc.want));
  it('removes only kubernetes', () => {
    expect(withoutOurFinalizer({ metadata: {}, spec: { finalizers: ['a', 'kubernetes'] } }).spec?.finalizers).toEqual(['a']);
  });
});

describe('deletionConditions', () => {
  it('reports remaining content and keeps lastTransitionTime while unchanged', () => {
    const first = deletionConditions([], { pods: 2 }, undefined, 't1');
    expect(first[0]).toEqual({ type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods has 2 resource instances', lastTransitionTime: 't1' });
    const again = deletionConditions(first, { pods: 1 }, undefined, 't2');
    expect(again[0]!.lastTransitionTime).toBe('t1');
    const failed = deletionConditions(first, {}, 'boom', 't3');
    expect(failed.map((c) => [c.status, c.lastTransitionTime])).toEqual([['False', 't3'], ['True', 't3']]);
  });
});
