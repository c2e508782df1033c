import { describe, expect, it } from 'vitest';
import { mustResource } from '../../../api/registry.js';
import type { KubeObject } from '../../../api/meta.js';
import { planDelete, prepareForCreate, prepareForUpdate, qosClass, shouldRemoveAfterUpdate } from '../../../apiserver/strategy.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const pods = mustResource('pods');
const cms = mustResource('configmaps');
const deploys = mustResource('deployments');

function pod(opts: { node?: string; phase?: string; grace?: number; meta?: Partial<KubeObject['metadata']> } = {}): KubeObject {
  return {
    metadata: { name: 'p', namespace: 'ns', resourceVersion: '5', ...opts.meta },
    spec: { nodeName: opts.node, terminationGracePeriodSeconds: opts.grace, containers: [] },
    status: { phase: opts.phase ?? 'Running' },
  };
}

describe('planDelete', () => {
  const cases: { name: string; res: typeof pods; obj: KubeObject; opts?: object; want: string; grace?: number; finalizers?: string[] }[] = [
    { name: 'unbound pod goes at once', res: pods, obj: pod(), want: 'delete' },
    { name: 'bound pod waits its grace period', res: pods, obj: pod({ node: 'n1' }), want: 'mark', grace: 30 },
    { name: 'bound pod with its own grace', res: pods, obj: pod({ node: 'n1', grace: 5 }), want: 'mark', grace: 5 },
    { name: 'grace 0 removes a bound pod', res: pods, obj: pod({ node: 'n1' }), opts: { gracePeriodSeconds: 0 }, want: 'delete' },
    { name: 'finished pods need no kubelet', res: pods, obj: pod({ node: 'n1', phase: 'Succeeded' }), want: 'delete' },
    {
      name: 'a second delete with a longer grace changes nothing',
      res: pods,
      obj: pod({ node: 'n1', meta: { deletionTimestamp: '2026-01-01T00:00:10Z', deletionGracePeriodSeconds: 10 } }),
      opts: { gracePeriodSeconds: 30 },
      want: 'none',
    },
    {
      name: 'a second delete with a shorter grace shortens it',
      res: pods,
      obj: pod({ node: 'n1', meta: { deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } }),
      opts: { gracePeriodSeconds: 1 },
      want: 'mark',
      grace: 1,
    },
    { name: 'finalizers hold an object', res: cms, obj: { metadata: { name: 'c', finalizers: ['x/y'] } }, want: 'mark', grace: 0, finalizers: ['x/y'] },
    { name: 'foreground adds its finalizer', res: deploys, obj: { metadata: { name: 'd' } }, opts: { propagationPolicy: 'Foreground' }, want: 'mark', finalizers: ['foregroundDeletion'] },
    { name: 'orphan adds its finalizer', res: deploys, obj: { metadata: { name: 'd' } }, opts: { propagationPolicy: 'Orphan' }, want: 'mark', finalizers: ['orphan'] },
    { name: 'background deletes at once', res: deploys, obj: { metadata: { name: 'd' } }, opts: { propagationPolicy: 'Background' }, want: 'delete' },
  ];
  it.each(cases)('$name', ({ res, obj, opts, want, grace, finalizers }) => {
    const plan = planDelete(res, obj, opts ?? {}, NOW);
    expect(plan.action).toBe(want);
    if (plan.action === 'mark') {
      if (grace !== undefined) expect(plan.obj.metadata.deletionGracePeriodSeconds).toBe(grace);
      if (finalizers) expect(plan.obj.metadata.finalizers).toEqual(finalizers);
      expect(plan.obj.metadata.deletionTimestamp).toBeTruthy();
    }
  });

  it('a terminating namespace is marked, with phase Terminating', () => {
    const ns = { metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    const plan = planDelete(mustResource('namespaces'), ns, {}, NOW);
    expect(plan.action).toBe('mark');
    if (plan.action === 'mark') expect(plan.obj.status).toEqual({ phase: 'Terminating' });
  });
});

describe('prepareForCreate / prepareForUpdate', () => {
  it('create sets uid, timestamp, generation 1, and resets status', () => {
    const d = prepareForCreate(deploys, { metadata: { name: 'd', generation: 7 }, spec: {}, status: { replicas: 3 } }, 'u1', NOW);
    expect(d.metadata).toMatchObject({ uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 });
    expect(d.status).toEqual({});
  });

  it('create gives a pod phase Pending and its QoS class', () => {
    const p = prepareForCreate(pods, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }, 'u', NOW);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  const cur = { metadata: { name: 'd', uid: 'u1', generation: 2, resourceVersion: '9', creationTimestamp: 'T' }, spec: { replicas: 1 }, status: { replicas: 1 } };
  it.each([
    { name: 'label change keeps generation', next: { metadata: { name: 'd', labels: { a: 'b' } }, spec: { replicas: 1 } }, generation: 2 },
    { name: 'spec change bumps generation', next: { metadata: { name: 'd' }, spec: { replicas: 2 } }, generation: 3 },
    { name: 'status in the body is ignored', next: { metadata: { name: 'd' }, spec: { replicas: 1 }, status: { replicas: 9 } }, generation: 2 },
  ])('update: $name', ({ next, generation }) => {
    const out = prepareForUpdate(deploys, next, cur);
    expect(out.metadata.generation).toBe(generation);
    expect(out.metadata.uid).toBe('u1');
    expect(out.status).toEqual({ replicas: 1 });
  });
});

describe('qosClass', () => {
  const c = (requests?: object, limits?: object) => ({ name: 'c', resources: { requests, limits } });
  it.each([
    { name: 'no resources', containers: [{ name: 'c' }], want: 'BestEffort' },
    { name: 'limits equal requests', containers: [c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })], want: 'Guaranteed' },
    { name: 'limits only', containers: [c(undefined, { cpu: '1', memory: '1Gi' })], want: 'Guaranteed' },
    { name: 'requests only', containers: [c({ cpu: '1' })], want: 'Burstable' },
  ])('$name -> $want', ({ containers, want }) => {
    expect(qosClass({ metadata: {}, spec: { containers } })).toBe(want);
  });
});

describe('shouldRemoveAfterUpdate', () => {
  it.each([
    { name: 'not terminating', meta: {}, want: false },
    { name: 'terminating with finalizers', meta: { deletionTimestamp: 'T', finalizers: ['a'] }, want: false },
    { name: 'terminating, finalizers gone', meta: { deletionTimestamp: 'T', deletionGracePeriodSeconds: 0 }, want: true },
    { name: 'pod still in its grace period', meta: { deletionTimestamp: 'T', deletionGracePeriodSeconds: 30 }, want: false },
  ])('$name', ({ meta, want }) => {
    expect(shouldRemoveAfterUpdate(cms, { metadata: { name: 'x', ...meta } })).toBe(want);
  });
});
