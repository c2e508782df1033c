import { describe, expect, it } from 'vitest';
import type { ConfigMap, Secret, Service } from '../../../api/types/core.js';
import type { Pod } from '../../../api/types/pod.js';
import { admitPod } from '../../../kubelet/admission.js';
import { Backoff } from '../../../kubelet/backoff.js';
import { selectLogs } from '../../../kubelet/cri-log.js';
import { ConfigError, expandVars, makeEnvironment, serviceEnv } from '../../../kubelet/env.js';
import { allocatableOf } from '../../../kubelet/node-status.js';
import { qosClass } from '../../../kubelet/resources.js';
import { volumeFiles, VolumeError } from '../../../kubelet/volumes.js';

describe('Backoff (10 s doubling to 5 min, reset after 10 min)', () => {
  it('grows, caps and resets', () => {
    const b = new Backoff({ initialMs: 10_000, maxMs: 300_000 });
    const delays = Array.from({ length: 7 }, (_, i) => b.next('k', i * 1000));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(b.remaining('k', 6000, 10_000)).toBe(296_000);
    expect(b.next('k', 6000 + 600_001)).toBe(10_000);
  });
  it('no entry: no wait', () => expect(new Backoff({ initialMs: 1, maxMs: 2 }).remaining('x', 0, 0)).toBe(0));
});

describe('expandVars', () => {
  const env = new Map([['A', 'x'], ['B', 'y']]);
  const cases = [
    ['$(A)', 'x'],
    ['$(A)-$(B)', 'x-y'],
    ['$$(A)', '$(A)'],
    ['$(C)', '$(C)'],
    ['plain', 'plain'],
  ];
  for (const [input, want] of cases) it(`${input} → ${want}`, () => expect(expandVars(input, env)).toBe(want));
});

describe('makeEnvironment', () => {
  const cm: ConfigMap = { metadata: { name: 'cm' }, data: { k: 'v' } };
  const secret: Secret = { metadata: { name: 's' }, data: { p: Buffer.from('pw').toString('base64') } };
  const pod = (env: NonNullable<Pod['spec']['containers'][number]['env']>): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { app: 'x' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', env, resources: { limits: { memory: '64Mi' } } }] } });
  const src = { configMap: (n: string) => (n === 'cm' ? cm : undefined), secret: (n: string) => (n === 's' ? secret : undefined), services: [], podIP: '10.0.0.1', hostIP: '1.2.3.4', allocatable: { cpu: '2' } };
  const cases: { name: string; env: NonNullable<Pod['spec']['containers'][number]['env']>; want?: Record<string, string>; error?: string }[] = [
    { name: 'configMapKeyRef', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }], want: { X: 'v' } },
    { name: 'secretKeyRef decodes base64', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }], want: { X: 'pw' } },
    { name: 'fieldRef', env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'L', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }, { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }], want: { N: 'n1', L: 'x', IP: '10.0.0.1' } },
    { name: 'resourceFieldRef with divisor', env: [{ name: 'M', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } }, { name: 'C', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }], want: { M: '64', C: '2' } },
    { name: 'missing configmap', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }], error: 'configmap "nope" not found' },
    { name: 'missing key', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'zz' } } }], error: "couldn't find key zz in ConfigMap ns/cm" },
    { name: 'optional missing is skipped', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } }], want: {} },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const p = pod(tc.env);
      if (tc.error) {
        expect(() => makeEnvironment(p, p.spec.containers[0], src)).toThrow(ConfigError);
        expect(() => makeEnvironment(p, p.spec.containers[0], src)).toThrow(tc.error);
        return;
      }
      expect(Object.fromEntries(makeEnvironment(p, p.spec.containers[0], src).map((e) => [e.key, e.value]))).toEqual(tc.want);
    });
  }
  it('service variables', () => {
    const svc: Service = { metadata: { name: 'my-db' }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 5432, protocol: 'TCP' }] } };
    expect(Object.fromEntries(serviceEnv([svc]))).toMatchObject({ MY_DB_SERVICE_HOST: '10.96.0.9', MY_DB_SERVICE_PORT: '5432', MY_DB_PORT: 'tcp://10.96.0.9:5432', MY_DB_PORT_5432_TCP_ADDR: '10.96.0.9' });
  });
});

describe('admitPod', () => {
  const p = (cpu?: string, memory?: string): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } }] } });
  const alloc = { cpu: '2', memory: '1Gi', pods: '3' };
  const cases: { name: string; pod: Pod; others: Pod[]; want: string | true }[] = [
    { name: 'fits', pod: p('500m'), others: [p('1')], want: true },
    { name: 'cpu short', pod: p('1'), others: [p('1500m')], want: 'OutOfcpu' },
    { name: 'memory short', pod: p(undefined, '600Mi'), others: [p(undefined, '500Mi')], want: 'OutOfmemory' },
    { name: 'pods full', pod: p(), others: [p(), p(), p()], want: 'OutOfpods' },
    { name: 'best effort always fits resources', pod: p(), others: [p('2')], want: true },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = admitPod(tc.pod, tc.others, alloc);
      expect(r.admit ? true : r.reason).toBe(tc.want);
    });
  }
  it('message as upstream', () => {
    const r = admitPod(p('1'), [p('1500m')], alloc);
    expect(r.admit ? '' : r.message).toBe("Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000");
  });
  describe("against the Node's labels", () => {
    const node = { name: 'n1', labels: { disk: 'ssd', zone: 'a' } };
    const sel = (spec: Partial<Pod['spec']>): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], ...spec } }) as Pod;
    const term = (key: string, operator: string, values?: string[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator, values }] }] } } });
    it.each([
      ['no selector', sel({}), true],
      ['nodeSelector matches', sel({ nodeSelector: { disk: 'ssd' } }), true],
      ['nodeSelector does not match (label changed since binding)', sel({ nodeSelector: { disk: 'hdd' } }), 'NodeAffinity'],
      ['required affinity In matches', sel({ affinity: term('zone', 'In', ['a', 'b']) } as Partial<Pod['spec']>), true],
      ['required affinity NotIn excludes', sel({ affinity: term('zone', 'NotIn', ['a']) } as Partial<Pod['spec']>), 'NodeAffinity'],
    ] as const)('%s', (_n, pod, want) => {
      const r = admitPod(pod, [], alloc, node);
      expect(r.admit ? true : r.reason).toBe(want);
    });
    it('message as upstream', () => {
      const r = admitPod(sel({ nodeSelector: { disk: 'hdd' } }), [], alloc, node);
      expect(r.admit ? '' : r.message).toBe("Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector");
    });
  });
});

describe('qosClass', () => {
  const c = (resources: object) => ({ metadata: {}, spec: { containers: [{ name: 'c', resources }] } }) as Pod;
  const cases: [string, object, string][] = [
    ['none', {}, 'BestEffort'],
    ['requests only', { requests: { cpu: '1' } }, 'Burstable'],
    ['limits = requests', { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }, 'Guaranteed'],
    ['limits only (requests default to limits)', { limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
  ];
  for (const [name, r, want] of cases) it(name, () => expect(qosClass(c(r))).toBe(want));
});

describe('allocatableOf', () => {
  it('subtracts reservations', () => expect(allocatableOf({ cpu: '4', memory: '8Gi', pods: '110' }, { cpu: '100m', memory: '1Gi' })).toEqual({ cpu: '3900m', memory: '7Gi', pods: '110' }));
});

describe('selectLogs', () => {
  const text = ['2024-05-01T10:00:00.000000000Z stdout F one', '2024-05-01T10:00:01.000000000Z stderr P tw', '2024-05-01T10:00:01.100000000Z stderr F o', '2024-05-01T10:00:02.000000000Z stdout F three', 'garbage'].join('\n');
  const cases: [string, Parameters<typeof selectLogs>[1], string][] = [
    ['all', {}, 'one\ntwo\nthree\n'],
    ['tail 2 joins partial records', { tailLines: 2 }, 'two\nthree\n'],
    ['tail 0', { tailLines: 0 }, ''],
    ['since', { sinceMs: Date.parse('2024-05-01T10:00:02Z') }, 'three\n'],
    ['timestamps', { tailLines: 1, timestamps: true }, '2024-05-01T10:00:02.000000000Z three\n'],
  ];
  for (const [name, opts, want] of cases) it(name, () => expect(selectLogs(text, opts)).toBe(want));
});

describe('volumeFiles', () => {
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', labels: { a: 'b' } }, spec: { containers: [] } };
  const src = { configMap: (n: string) => (n === 'cm' ? ({ metadata: {}, data: { x: '1', y: '2' } } as ConfigMap) : undefined), secret: () => undefined, podIP: '', hostIP: '' };
  it('configMap with items and mode', () => {
    const files = volumeFiles(pod, { name: 'v', configMap: { name: 'cm', items: [{ key: 'y', path: 'dir/y.txt', mode: 0o600 }] } }, src);
    expect(files?.map((f) => [f.path, f.content.toString(), f.mode])).toEqual([['dir/y.txt', '2', 0o600]]);
  });
  it('missing configMap is a VolumeError; optional is empty', () => {
    expect(() => volumeFiles(pod, { name: 'v', configMap: { name: 'nope' } }, src)).toThrow(VolumeError);
    expect(volumeFiles(pod, { name: 'v', configMap: { name: 'nope', optional: true } }, src)).toEqual([]);
  });
  it('downwardAPI labels', () => {
    const files = volumeFiles(pod, { name: 'v', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }, src);
    expect(files?.[0].content.toString()).toBe('a="b"');
  });
  it('emptyDir is not file-backed', () => expect(volumeFiles(pod, { name: 'v', emptyDir: {} }, src)).toBeUndefined());
});
