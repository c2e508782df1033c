// The scheduler against a real API server and etcd: Node objects only (no agents). Tests run in
// order and each deletes its nodes, so every test sees only its own nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness.js';
import { RestClient } from '../../client/rest.js';
import { mustResource } from '../../api/registry.js';
import { startScheduler, type RunningScheduler } from '../../scheduler/index.js';

const PODS = mustResource('pods');
const NODES = mustResource('nodes');
const EVENTS = mustResource('events');
let cluster: TestCluster;
let client: RestClient;
let sched: RunningScheduler;
let nsSeq = 0;

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  sched = await startScheduler({ client, port: 0 });
});
afterAll(async () => {
  await sched?.stop();
  await client?.close();
  await cluster?.stop();
});

function node(name: string, cpu: string, memory: string, extra: { labels?: Record<string, string>; taints?: object[]; unschedulable?: boolean } = {}) {
  const res = { cpu, memory, pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: { taints: extra.taints, unschedulable: extra.unschedulable },
    status: { capacity: res, allocatable: res, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(name: string, cpu: string, memory: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta },
    spec: { containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu, memory } } }], ...spec },
  };
}

async function withNodes(nodes: ReturnType<typeof node>[], fn: (ns: string) => Promise<void>) {
  const ns = `sched-${process.pid}-${++nsSeq}`;
  await client.create(mustResource('namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const n of nodes) await client.create(NODES, undefined, n as any);
  try {
    await fn(ns);
  } finally {
    // Leftover pending pods would otherwise land on the next test's nodes.
    for (const p of (await client.list(PODS, ns)).items) await client.delete(PODS, ns, p.metadata.name!, { gracePeriodSeconds: 0 }).catch(() => {});
    for (const n of nodes) await client.delete(NODES, undefined, n.metadata.name).catch(() => {});
  }
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const nodeOf = (ns: string, name: string) => waitFor(`${name} bound`, async () => (await client.get<any>(PODS, ns, name)).spec.nodeName as string);

async function eventsFor(ns: string, name: string) {
  const list = await client.list<any>(EVENTS, ns);
  return list.items.filter((e) => e.involvedObject?.name === name);
}

describe('scheduler', () => {
  it('places pods where they fit and records Scheduled events', async () => {
    await withNodes([node('fit-small', '1', '1Gi'), node('fit-big', '8', '32Gi')], async (ns) => {
      await client.create(PODS, ns, pod('big', '4', '8Gi') as any);
      await client.create(PODS, ns, pod('tiny', '100m', '64Mi') as any);
      expect(await nodeOf(ns, 'big')).toBe('fit-big');
      expect(['fit-small', 'fit-big']).toContain(await nodeOf(ns, 'tiny'));
      const ev = await waitFor('Scheduled event', async () => (await eventsFor(ns, 'big')).find((e) => e.reason === 'Scheduled'));
      expect(ev.message).toBe(`Successfully assigned ${ns}/big to fit-big`);
    });
  });

  it('keeps a too-big pod Pending with FailedScheduling, then schedules it when a big node appears', async () => {
    await withNodes([node('tb-a', '2', '2Gi'), node('tb-b', '2', '2Gi')], async (ns) => {
      await client.create(PODS, ns, pod('huge', '1', '16Gi') as any);
      const cond = await waitFor('PodScheduled=False', async () => {
        const p = await client.get<any>(PODS, ns, 'huge');
        return p.status?.conditions?.find((c: any) => c.type === 'PodScheduled' && c.status === 'False');
      });
      expect(cond.reason).toBe('Unschedulable');
      expect(cond.message).toMatch(/^0\/2 nodes are available: 2 Insufficient memory\./);
      const ev = await waitFor('FailedScheduling', async () => (await eventsFor(ns, 'huge')).find((e) => e.reason === 'FailedScheduling'));
      expect(ev.type).toBe('Warning');
      const big = node('tb-huge', '4', '64Gi');
      await client.create(NODES, undefined, big as any);
      try {
        expect(await nodeOf(ns, 'huge')).toBe('tb-huge');
      } finally {
        await client.delete(NODES, undefined, 'tb-huge');
      }
    });
  });

  it('puts nothing on a cordoned node and respects taints and tolerations', async () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    await withNodes([node('ct-cordoned', '8', '8Gi', { unschedulable: true }), node('ct-tainted', '8', '8Gi', { taints: [taint] }), node('ct-plain', '1', '1Gi')], async (ns) => {
      for (let i = 0; i < 3; i++) await client.create(PODS, ns, pod(`plain-${i}`, '100m', '100Mi') as any);
      for (let i = 0; i < 3; i++) expect(await nodeOf(ns, `plain-${i}`)).toBe('ct-plain');
      const tol = { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'ct-tainted' } };
      await client.create(PODS, ns, pod('tolerant', '100m', '100Mi', tol) as any);
      expect(await nodeOf(ns, 'tolerant')).toBe('ct-tainted');
      await client.create(PODS, ns, pod('needs-2cpu', '2', '100Mi') as any);
      const ev = await waitFor('FailedScheduling', async () => (await eventsFor(ns, 'needs-2cpu')).find((e) => e.reason === 'FailedScheduling'));
      expect(ev.message).toMatch(/^0\/3 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 1 node\(s\) were unschedulable\./);
    });
  });

  it('honours required and preferred node affinity', async () => {
    await withNodes([node('na-a', '4', '4Gi', { labels: { disk: 'ssd', zone: 'z1' } }), node('na-b', '4', '4Gi', { labels: { disk: 'hdd', zone: 'z2' } })], async (ns) => {
      const required = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }] } } };
      await client.create(PODS, ns, pod('req', '100m', '64Mi', { affinity: required }) as any);
      expect(await nodeOf(ns, 'req')).toBe('na-b');
      const preferred = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] } }] } };
      await client.create(PODS, ns, pod('pref', '100m', '64Mi', { affinity: preferred }) as any);
      expect(await nodeOf(ns, 'pref')).toBe('na-a');
    });
  });

  it('spreads a 6-replica set over 3 nodes', async () => {
    await withNodes([node('sp-1', '8', '16Gi'), node('sp-2', '8', '16Gi'), node('sp-3', '8', '16Gi')], async (ns) => {
      const owner = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: `uid-${ns}`, controller: true }], labels: { app: 'web' } };
      for (let i = 0; i < 6; i++) await client.create(PODS, ns, pod(`web-${i}`, '100m', '128Mi', {}, owner) as any);
      const placed = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => nodeOf(ns, `web-${i}`)));
      const counts = new Map<string, number>();
      for (const n of placed) counts.set(n, (counts.get(n) ?? 0) + 1);
      expect([...counts.values()].sort()).toEqual([2, 2, 2]);
    });
  });

  it('lets a high-priority pod preempt a low-priority one', async () => {
    await withNodes([node('pr-only', '2', '4Gi')], async (ns) => {
      // No kubelet runs here, so the victim must not need one to finish its graceful deletion.
      await client.create(PODS, ns, pod('low', '1500m', '1Gi', { priority: 0, terminationGracePeriodSeconds: 0 }) as any);
      expect(await nodeOf(ns, 'low')).toBe('pr-only');
      await client.create(PODS, ns, pod('high', '1500m', '1Gi', { priority: 1000 }) as any);
      expect(await nodeOf(ns, 'high')).toBe('pr-only');
      await waitFor('low deleted', async () => !(await client.get(PODS, ns, 'low').then(() => true, () => false)));
      const ev = (await eventsFor(ns, 'high')).find((e) => e.reason === 'FailedScheduling');
      expect(ev?.message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
    });
  });

  it('serves /healthz and /metrics', async () => {
    const health = await fetch(`http://127.0.0.1:${sched.port}/healthz`);
    expect(health.status).toBe(200);
    const text = await (await fetch(`http://127.0.0.1:${sched.port}/metrics`)).text();
    expect(text).toMatch(/scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} \d+/);
    expect(text).toContain('scheduler_pending_pods');
  });
});
