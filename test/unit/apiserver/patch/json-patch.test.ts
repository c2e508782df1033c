import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../apiserver/patch/index.js';
import { container, deployment, expectBadRequest, podSpecOf, type Obj } from './fixtures.js';

const base = (): Obj => deployment([container('nginx'), container('sidecar')]);

const applied: { name: string; original?: () => Obj; ops: unknown; check: (out: Obj) => void }[] = [
  {
    name: 'replace a scalar',
    ops: [{ op: 'replace', path: '/spec/replicas', value: 5 }],
    check: (out) => expect((out.spec as Obj).replicas).toBe(5),
  },
  {
    name: 'add a label with an escaped key',
    ops: [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }],
    check: (out) =>
      expect((out.metadata as Obj).labels).toEqual({ app: 'web', 'app.kubernetes.io/name': 'web' }),
  },
  {
    name: 'remove a list element',
    ops: [{ op: 'remove', path: '/spec/template/spec/containers/1' }],
    check: (out) => expect(podSpecOf(out).containers).toHaveLength(1),
  },
  {
    name: 'append with -',
    ops: [{ op: 'add', path: '/metadata/finalizers/-', value: 'c' }],
    check: (out) => expect((out.metadata as Obj).finalizers).toEqual(['a', 'b', 'c']),
  },
  {
    name: 'passing test then replace',
    ops: [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ],
    check: (out) => expect((out.spec as Obj).replicas).toBe(3),
  },
  {
    name: 'move and copy',
    ops: [
      { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
      { op: 'move', from: '/spec/replicas', path: '/spec/paused' },
    ],
    check: (out) => {
      expect((out.metadata as Obj).annotations).toEqual({ app: 'web' });
      expect(out.spec).toMatchObject({ paused: 2 });
      expect(out.spec).not.toHaveProperty('replicas');
    },
  },
  {
    name: 'kubectl rollout undo replaces template and annotations',
    original: () => ({
      ...base(),
      metadata: { ...(base().metadata as Obj), annotations: { 'deployment.kubernetes.io/revision': '2' } },
    }),
    ops: [
      {
        op: 'replace',
        path: '/spec/template',
        value: { metadata: { labels: { app: 'web' } }, spec: { containers: [container('old')] } },
      },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ],
    check: (out) => {
      expect(podSpecOf(out)).toEqual({ containers: [container('old')] });
      expect((out.metadata as Obj).annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    },
  },
  {
    name: 'empty operation list is a no-op',
    ops: [],
    check: (out) => expect(out).toEqual(base()),
  },
];

const rejected: { name: string; ops: unknown; message: RegExp }[] = [
  {
    name: 'failing test',
    ops: [{ op: 'test', path: '/spec/replicas', value: 9 }],
    message: /json patch operation 0 \(test \/spec\/replicas\): test failed/,
  },
  {
    name: 'replace of a missing path',
    ops: [{ op: 'replace', path: '/spec/nope', value: 1 }],
    message: /path does not exist/,
  },
  {
    name: 'second operation fails, reported with its index',
    ops: [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'remove', path: '/nope' },
    ],
    message: /operation 1 \(remove \/nope\): path does not exist/,
  },
  { name: 'add without value', ops: [{ op: 'add', path: '/x' }], message: /value is required/ },
  {
    name: 'remove of a missing path',
    ops: [{ op: 'remove', path: '/metadata/annotations' }],
    message: /path does not exist/,
  },
  {
    name: 'add under a missing parent',
    ops: [{ op: 'add', path: '/status/x/y', value: 1 }],
    message: /parent of the path does not exist/,
  },
  {
    name: 'move from a missing path',
    ops: [{ op: 'move', from: '/nope', path: '/x' }],
    message: /from path \/nope does not exist/,
  },
  { name: 'unknown op', ops: [{ op: 'frobnicate', path: '/spec' }], message: /unsupported op "frobnicate"/ },
  {
    name: 'array index out of bounds',
    ops: [{ op: 'add', path: '/metadata/finalizers/7', value: 'x' }],
    message: /out of bounds/,
  },
  {
    name: 'body is an object',
    ops: { op: 'add' },
    message: /must be a JSON array of operations, got a object/,
  },
  { name: 'operation is not an object', ops: ['add'], message: /operation 0 must be an object/ },
  {
    name: 'replacing the root with a scalar',
    ops: [{ op: 'replace', path: '', value: 3 }],
    message: /must leave an object/,
  },
];

describe('applyPatch json', () => {
  it.each(applied)('$name', ({ original: make = base, ops, check }) => {
    const original = make();
    check(applyPatch('json', original, ops, 'Deployment'));
    expect(original).toEqual(make());
  });

  it.each(rejected)('rejects $name', ({ ops, message }) => {
    const original = base();
    expectBadRequest(() => applyPatch('json', original, ops, 'Deployment'), message);
    expect(original).toEqual(base());
  });
});
