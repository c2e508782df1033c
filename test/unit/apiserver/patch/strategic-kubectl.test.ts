// Strategic merge patches exactly as kubectl sends them (kubectl-wire.md sections 3 and 6).

import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../apiserver/patch/index.js';
import { container, deployment, names, podSpecOf, type Obj } from './fixtures.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface Case {
  name: string;
  kind?: string;
  original: () => Obj;
  patch: Obj;
  check: (out: Obj) => void;
}

const twoContainers = (): Obj => deployment([container('nginx'), container('sidecar')]);
const withEnv = (): Obj =>
  deployment([
    container('web', 'web:1', {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    }),
  ]);
const node = (): Obj => ({
  kind: 'Node',
  metadata: { name: 'n1' },
  spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] },
});

const cases: Case[] = [
  {
    name: 'set image keeps the other container and the other fields of nginx',
    original: twoContainers,
    patch: { spec: { template: { spec: { containers: [{ image: 'nginx:1.25', name: 'nginx' }] } } } },
    check: (out) =>
      expect(podSpecOf(out).containers).toEqual([container('nginx', 'nginx:1.25'), container('sidecar')]),
  },
  {
    name: 'set image with $setElementOrder (kubectl >= 1.27)',
    original: twoContainers,
    patch: {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
            containers: [{ image: 'sidecar:2', name: 'sidecar' }],
          },
        },
      },
    },
    check: (out) =>
      expect(podSpecOf(out).containers).toEqual([container('nginx'), container('sidecar', 'sidecar:2')]),
  },
  {
    name: 'client-side apply re-run sets the annotation and the image, no directive stored',
    original: () => deployment([container('web', 'nginx:1.25')]),
    patch: {
      metadata: { annotations: { [LAST_APPLIED]: '{"kind":"Deployment"}\n' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [{ image: 'nginx:1.26', name: 'web' }],
          },
        },
      },
    },
    check: (out) => {
      expect((out.metadata as Obj).annotations).toEqual({ [LAST_APPLIED]: '{"kind":"Deployment"}\n' });
      expect(podSpecOf(out)).toEqual({
        containers: [container('web', 'nginx:1.26')],
        restartPolicy: 'Always',
      });
    },
  },
  {
    name: 'rollout restart adds a template annotation and nothing else',
    original: twoContainers,
    patch: {
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } },
        },
      },
    },
    check: (out) => {
      const want = twoContainers();
      ((want.spec as Obj).template as Obj).metadata = {
        labels: { app: 'web' },
        annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' },
      };
      expect(out).toEqual(want);
    },
  },
  {
    name: 'rollout undo replaces the whole template',
    original: twoContainers,
    patch: {
      metadata: { annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: {
        template: {
          $patch: 'replace',
          metadata: { labels: { app: 'web', track: 'old' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.0' }] },
        },
      },
    },
    check: (out) => {
      expect((out.spec as Obj).template).toEqual({
        metadata: { labels: { app: 'web', track: 'old' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.0' }] },
      });
      expect((out.spec as Obj).replicas).toBe(2);
      expect((out.metadata as Obj).annotations).toEqual({ 'deployment.kubernetes.io/revision': '3' });
    },
  },
  {
    name: 'rollout pause then the other fields stay',
    original: twoContainers,
    patch: { spec: { paused: true } },
    check: (out) => expect(out.spec).toMatchObject({ paused: true, replicas: 2 }),
  },
  {
    name: 'rollout resume deletes paused',
    original: () => ({ ...twoContainers(), spec: { ...(twoContainers().spec as Obj), paused: true } }),
    patch: { spec: { paused: null } },
    check: (out) => expect(out.spec).not.toHaveProperty('paused'),
  },
  {
    name: 'cordon',
    kind: 'Node',
    original: () => ({ kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24' } }),
    patch: { spec: { unschedulable: true } },
    check: (out) => expect(out.spec).toEqual({ podCIDR: '10.0.0.0/24', unschedulable: true }),
  },
  {
    name: 'uncordon keeps taints',
    kind: 'Node',
    original: node,
    patch: { spec: { unschedulable: null } },
    check: (out) =>
      expect(out.spec).toEqual({
        taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
      }),
  },
  {
    name: 'taint merges by key',
    kind: 'Node',
    original: node,
    patch: { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } },
    check: (out) =>
      expect(names((out.spec as Obj).taints, 'key')).toEqual([
        'dedicated',
        'node.kubernetes.io/unschedulable',
      ]),
  },
  {
    name: 'apply removes an env var with $patch: delete',
    original: withEnv,
    patch: {
      spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', $patch: 'delete' }] }] } } },
    },
    check: (out) => expect((podSpecOf(out).containers as Obj[])[0]?.env).toEqual([{ name: 'B', value: '2' }]),
  },
  {
    name: 'apply removes a label, an env var, a port, a container and switches strategy',
    original: () =>
      deployment([
        container('a', 'a:1', {
          env: [
            { name: 'E1', value: '1' },
            { name: 'E2', value: '2' },
          ],
          ports: [{ containerPort: 80 }, { containerPort: 443 }],
        }),
        container('b'),
      ]),
    patch: {
      metadata: { labels: { app: null } },
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
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
    check: (out) => {
      expect((out.metadata as Obj).labels).toEqual({});
      expect((out.spec as Obj).strategy).toEqual({ type: 'Recreate' });
      expect(podSpecOf(out).containers).toEqual([
        {
          name: 'a',
          image: 'a:1',
          imagePullPolicy: 'IfNotPresent',
          env: [{ name: 'E1', value: '1' }],
          ports: [{ containerPort: 80 }],
        },
      ]);
    },
  },
  {
    name: 'ConfigMap data merges like a map',
    kind: 'ConfigMap',
    original: () => ({ kind: 'ConfigMap', metadata: { name: 'c' }, data: { key1: 'value1', other: 'x' } }),
    patch: { data: { key1: 'value2' }, metadata: { annotations: { [LAST_APPLIED]: '{}' } } },
    check: (out) => expect(out.data).toEqual({ key1: 'value2', other: 'x' }),
  },
];

describe('applyPatch strategic: kubectl bodies', () => {
  it.each(cases)('$name', ({ kind = 'Deployment', original, patch, check }) => {
    const before = original();
    const out = applyPatch('strategic', before, JSON.parse(JSON.stringify(patch)), kind);
    check(out);
    expect(before).toEqual(original());
    expect(JSON.stringify(out)).not.toMatch(/"\$(patch|retainKeys|setElementOrder|deleteFromPrimitiveList)/);
  });
});
