// Client-side apply's three-way strategic merge patch, checked against the bodies kubectl sends
// (shared/kubectl-wire.md §3.2) and by applying each patch with the server's SMP implementation.
import { describe, expect, it } from 'vitest';
import { applyStrategicPatch } from '../../../apiserver/patch/strategic-merge.js';
import { threeWayPatch } from '../../../cli/verbs/three-way.js';

type Obj = Record<string, any>;

const deploy = (containers: Obj[], extra: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', ...(extra.labels ?? {}) } },
  spec: { ...(extra.spec ?? {}), template: { spec: { containers } } },
});

const nginx = (image: string, more: Obj = {}): Obj => ({ name: 'nginx', image, ...more });

interface Case {
  name: string;
  kind: string;
  original: Obj | undefined;
  modified: Obj;
  current: Obj;
  patch: Obj;
}

const cases: Case[] = [
  {
    name: 'nothing changed is an empty patch',
    kind: 'Deployment',
    original: deploy([nginx('a')]),
    modified: deploy([nginx('a')]),
    current: { ...deploy([nginx('a', { imagePullPolicy: 'IfNotPresent' })]), status: { replicas: 1 } },
    patch: {},
  },
  {
    name: 'changed image names the container and keeps order',
    kind: 'Deployment',
    original: deploy([nginx('nginx:1.25')]),
    modified: deploy([nginx('nginx:1.26')]),
    current: deploy([nginx('nginx:1.25', { imagePullPolicy: 'IfNotPresent' })]),
    patch: {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } },
    },
  },
  {
    name: 'removed label, env var, port and container become deletions',
    kind: 'Deployment',
    original: deploy(
      [
        { name: 'a', image: 'x', env: [{ name: 'E1', value: '1' }, { name: 'E2', value: '2' }], ports: [{ containerPort: 80 }, { containerPort: 443 }] },
        { name: 'b', image: 'y' },
      ],
      { labels: { tier: 'fe' } },
    ),
    modified: deploy([{ name: 'a', image: 'x', env: [{ name: 'E1', value: '1' }], ports: [{ containerPort: 80 }] }]),
    current: deploy(
      [
        { name: 'a', image: 'x', env: [{ name: 'E1', value: '1' }, { name: 'E2', value: '2' }], ports: [{ containerPort: 80 }, { containerPort: 443 }] },
        { name: 'b', image: 'y' },
      ],
      { labels: { tier: 'fe' } },
    ),
    patch: {
      metadata: { labels: { tier: null } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }],
            containers: [
              {
                name: 'a',
                '$setElementOrder/env': [{ name: 'E1' }],
                env: [{ $patch: 'delete', name: 'E2' }],
                '$setElementOrder/ports': [{ containerPort: 80 }],
                ports: [{ $patch: 'delete', containerPort: 443 }],
              },
              { $patch: 'delete', name: 'b' },
            ],
          },
        },
      },
    },
  },
  {
    name: 'strategy switch carries $retainKeys',
    kind: 'Deployment',
    original: deploy([nginx('a')], { spec: { strategy: { type: 'RollingUpdate' } } }),
    modified: deploy([nginx('a')], { spec: { strategy: { type: 'Recreate' } } }),
    current: deploy([nginx('a')], { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
  },
  {
    name: 'fields set by others (not in last-applied) survive',
    kind: 'ConfigMap',
    original: { metadata: { name: 'c' }, data: { a: '1' } },
    modified: { metadata: { name: 'c' }, data: { a: '2' } },
    current: { metadata: { name: 'c', labels: { added: 'by-hand' } }, data: { a: '1', b: 'other' } },
    patch: { data: { a: '2' } },
  },
  {
    name: 'no last-applied: nothing is deleted',
    kind: 'ConfigMap',
    original: undefined,
    modified: { metadata: { name: 'c' }, data: { a: '1' } },
    current: { metadata: { name: 'c' }, data: { a: '1', b: '2' } },
    patch: {},
  },
  {
    name: 'a field dropped from the manifest is nulled',
    kind: 'ConfigMap',
    original: { metadata: { name: 'c' }, data: { a: '1', b: '2' } },
    modified: { metadata: { name: 'c' }, data: { a: '1' } },
    current: { metadata: { name: 'c' }, data: { a: '1', b: '2' } },
    patch: { data: { b: null } },
  },
  {
    name: 'finalizers (primitive merge list) add and delete',
    kind: 'ConfigMap',
    original: { metadata: { name: 'c', finalizers: ['a', 'b'] } },
    modified: { metadata: { name: 'c', finalizers: ['a', 'c'] } },
    current: { metadata: { name: 'c', finalizers: ['a', 'b'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['a', 'c'], finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['b'] } },
  },
];

describe('threeWayPatch', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      expect(threeWayPatch(tc.original, tc.modified, tc.current, tc.kind)).toEqual(tc.patch);
    });
  }

  it('applied to the live object, the removal patch yields the manifest plus server-set fields', () => {
    const tc = cases[2];
    const result = applyStrategicPatch(structuredClone(tc.current), threeWayPatch(tc.original, tc.modified, tc.current, tc.kind), tc.kind);
    expect(result.metadata).toEqual({ name: 'web', labels: { app: 'web' } });
    expect((result.spec as Obj).template.spec.containers).toEqual(tc.modified.spec.template.spec.containers);
  });
});
