import { describe, expect, it } from 'vitest';
import { applyPatch, type PatchType } from '../../../../apiserver/patch/index.js';
import { container, deployment, expectBadRequest, podSpecOf, type Obj } from './fixtures.js';

const base = (): Obj => deployment([container('nginx'), container('sidecar')]);

const cases: { name: string; patch: unknown; check: (out: Obj) => void }[] = [
  {
    name: 'kubectl scale body sets replicas',
    patch: { spec: { replicas: 3 } },
    check: (out) => expect(out.spec).toMatchObject({ replicas: 3, strategy: { type: 'RollingUpdate' } }),
  },
  {
    name: 'null deletes a key',
    patch: { metadata: { labels: { app: null } } },
    check: (out) => expect((out.metadata as Obj).labels).toEqual({}),
  },
  {
    name: 'null for an absent key is dropped',
    patch: { metadata: { annotations: { a: null, b: 'x' } } },
    check: (out) => expect((out.metadata as Obj).annotations).toEqual({ b: 'x' }),
  },
  {
    name: 'objects merge recursively',
    patch: { spec: { strategy: { rollingUpdate: { maxSurge: 1 } } } },
    check: (out) =>
      expect((out.spec as Obj).strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' },
      }),
  },
  {
    name: 'arrays replace wholesale',
    patch: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } } },
    check: (out) => expect(podSpecOf(out).containers).toEqual([{ name: 'nginx', image: 'nginx:2' }]),
  },
  {
    name: 'object replaces a scalar',
    patch: { spec: { replicas: { a: 1, b: null } } },
    check: (out) => expect((out.spec as Obj).replicas).toEqual({ a: 1 }),
  },
  {
    name: 'strategic directives are plain data to a merge patch',
    patch: { metadata: { labels: { $patch: 'delete' } } },
    check: (out) => expect((out.metadata as Obj).labels).toEqual({ app: 'web', $patch: 'delete' }),
  },
  {
    name: 'empty patch is a no-op',
    patch: {},
    check: (out) => expect(out).toEqual(base()),
  },
];

describe('applyPatch merge', () => {
  it.each(cases)('$name', ({ patch, check }) => {
    const original = base();
    check(applyPatch('merge', original, patch, 'Deployment'));
    expect(original).toEqual(base());
  });

  it('shares no structure with the patch', () => {
    const patch = { metadata: { finalizers: ['x'] } };
    const out = applyPatch('merge', base(), patch, 'Deployment');
    ((out.metadata as Obj).finalizers as string[]).push('y');
    expect(patch.metadata.finalizers).toEqual(['x']);
  });

  it.each([
    { name: 'array', patch: [{ op: 'add' }], message: /must be a JSON object, got an array/ },
    { name: 'null', patch: null, message: /got null/ },
    { name: 'string', patch: 'x', message: /got a string/ },
  ])('rejects a body that is $name', ({ patch, message }) => {
    expectBadRequest(() => applyPatch('merge', base(), patch, 'Deployment'), message);
  });
});

describe('applyPatch apply (merge of the manifest until server-side apply lands)', () => {
  const cases: { name: string; patch: unknown; type: PatchType }[] = [
    { name: 'decoded object', patch: { spec: { replicas: 4 } }, type: 'apply' },
    { name: 'YAML text', patch: 'spec:\n  replicas: 4\n', type: 'apply' },
    { name: 'JSON text (YAML superset)', patch: '{"spec":{"replicas":4}}', type: 'apply' },
  ];
  it.each(cases)('$name', ({ patch, type }) => {
    const out = applyPatch(type, base(), patch, 'Deployment');
    expect(out.spec).toMatchObject({ replicas: 4, strategy: { type: 'RollingUpdate' } });
  });

  it('rejects malformed YAML', () => {
    expectBadRequest(
      () => applyPatch('apply', base(), 'spec: [unclosed', 'Deployment'),
      /error decoding YAML apply patch/,
    );
  });
});
