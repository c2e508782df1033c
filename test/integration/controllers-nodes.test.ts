// Issue 5: node IPAM, node lifecycle (a node whose lease stops is marked Unknown, tainted, its
// pods evicted once their (short) tolerations run out and replaced by their ReplicaSet on the
// other node, placed there by the real scheduler; it comes back clean when the lease is renewed)
// and the pod GC (pods of a deleted node, terminated pods past the threshold), with a short grace
// period from the controller config and a test loop standing in for the healthy nodes' agents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { realClock } from '../../client/clock.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { RestClient } from '../../client/rest.js';
import { DEFAULT_CONTROLLER_CONFIG, type ControllerContext } from '../../controllers/controller.js';
import { newNodeIpamController } from '../../controllers/nodeipam/index.js';
import { newNodeLifecycleController } from '../../controllers/nodelifecycle/index.js';
import { newPodGcController } from '../../controllers/podgc/index.js';
import { newReplicaSetController } from '../../controllers/replicaset/index.js';
import { createNamespace, waitFor, type Obj } from './controllers-deployment-helpers.js';
import { startTestCluster, type TestCluster } from './harness.js';
import { startScheduler, type RunningScheduler } from '../../scheduler/index.js';

const nodes = mustResource('nodes');
const leases = mustResource('leases');
const pods = mustResource('pods');
const replicasets = mustResource('replicasets');
const events = mustResource('events');
const HOLD = 'test.skiff.dev/hold';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const LEASE_NS = 'kube-node-lease';

describe('node controllers', () => {
  let cluster: TestCluster;
  let client: RestClient;
  let informers: InformerFactory;
  let ns: string;
  const abort = new AbortController();
  let running: Promise<void[]>;
  const suffix = Math.random().toString(36).slice(2, 7);
  const nodeA = `a-${suffix}`;
  const nodeB = `b-${suffix}`;
  const beating = new Set<string>();
  let heart: Promise<void>;
  let scheduler: RunningScheduler;

  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    informers = InformerFactory.forClient(client);
    const config = { ...DEFAULT_CONTROLLER_CONFIG, workers: 2, nodeMonitorGracePeriodMs: 2000, terminatedPodGcThreshold: 2 };
    const ctx: ControllerContext = { client, informers, clock: realClock, config };
    const ctrls = [newNodeIpamController, newNodeLifecycleController, newPodGcController, newReplicaSetController].map((f) => f(ctx));
    informers.start();
    await informers.waitForSync();
    running = Promise.all(ctrls.map((c) => c.run(abort.signal)));
    ns = await createNamespace(client, 'nodes');
    // b is held (a NoSchedule taint of the test's own) until a's pods are placed.
    await registerNode(nodeA);
    await registerNode(nodeB, [{ key: HOLD, effect: 'NoSchedule' }]);
    heart = heartbeat();
    scheduler = await startScheduler({ client });
  });

  afterAll(async () => {
    abort.abort();
    await scheduler?.stop();
    await heart;
    await running;
    await informers?.stop();
    await client?.close();
    await cluster?.stop();
  });

  async function registerNode(name: string, taints?: { key: string; effect: string }[]): Promise<void> {
    await client.create<Obj>(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: { taints } });
    const now = new Date().toISOString();
    const res = { cpu: '4', memory: '8Gi', pods: '110' };
    const conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }];
    const status = { capacity: res, allocatable: res, conditions };
    await client.patch(nodes, undefined, name, 'merge', { status }, { subresource: 'status' });
    await client.create(leases, LEASE_NS, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 2, renewTime: now } });
    beating.add(name);
  }

  async function renew(name: string): Promise<void> {
    const lease = await client.get<Obj>(leases, LEASE_NS, name);
    await client.update(leases, { ...lease, spec: { ...lease.spec, renewTime: new Date().toISOString().replace('Z', '000Z') } });
  }

  /** The healthy nodes' agents: renew each beating node's lease every 300 ms until the test ends. */
  async function heartbeat(): Promise<void> {
    while (!abort.signal.aborted) {
      for (const n of beating) await renew(n).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  const getNode = (name: string) => client.get<Obj>(nodes, undefined, name);
  const taintKeys = (n: Obj) => (n.spec?.taints ?? []).map((t: Obj) => `${t.key}:${t.effect}`).sort();
  const ready = (n: Obj) => n.status?.conditions?.find((c: Obj) => c.type === 'Ready')?.status;

  it('gives each node its own podCIDR from the cluster CIDR', async () => {
    const cidrs = await waitFor('podCIDRs', async () => {
      const both = await Promise.all([nodeA, nodeB].map(getNode));
      return both.every((n) => n.spec?.podCIDR) && both.map((n) => n.spec.podCIDR as string);
    });
    expect(new Set(cidrs).size).toBe(2);
    for (const c of cidrs) expect(c).toMatch(/^10\.244\.\d+\.0\/24$/);
  });

  it('marks a silent node Unknown and tainted, evicts its pods when their toleration runs out, and they come back on the other node', async () => {
    // The pods tolerate the unreachable taint for 2 s; the API server adds the default 300 s one for not-ready.
    const short = { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 };
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], tolerations: [short] } };
    await client.create(replicasets, ns, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template } });
    const first = await waitFor('2 pods on a', async () => {
      const items = (await client.list<Obj>(pods, ns)).items;
      return items.length === 2 && items.every((p) => p.spec.nodeName === nodeA) && items;
    });
    expect(first[0]!.spec.tolerations).toEqual([short, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
    for (const p of first) await markReady(p.metadata.name!);
    await client.patch(nodes, undefined, nodeB, 'merge', { spec: { taints: null } });

    beating.delete(nodeA);
    const silent = await waitFor('node a unreachable', async () => {
      const n = await getNode(nodeA);
      return ready(n) === 'Unknown' && taintKeys(n).includes(`${UNREACHABLE}:NoExecute`) && n;
    }, 15_000);
    expect(taintKeys(silent)).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    expect(taintKeys(await getNode(nodeB))).toEqual([]);

    await waitFor('pods on a evicted and replaced on b', async () => {
      const items = (await client.list<Obj>(pods, ns)).items;
      const evicted = items.filter((p) => p.spec.nodeName === nodeA && p.metadata.deletionTimestamp);
      const fresh = items.filter((p) => !p.metadata.deletionTimestamp && p.spec.nodeName === nodeB);
      return evicted.length === 2 && fresh.length === 2;
    }, 20_000);
    const evictedPod = (await client.list<Obj>(pods, ns)).items.find((p) => p.spec.nodeName === nodeA)!;
    expect(evictedPod.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('False');

    const seen = await waitFor('node controller events', async () => {
      const mine = [...(await client.list<Obj>(events, ns)).items, ...(await client.list<Obj>(events, 'default')).items]
        .filter((e) => e.source?.component === 'node-controller')
        .map((e) => `${e.reason} ${e.involvedObject.kind}: ${e.message}`);
      const want = [`NodeNotReady Node: Node ${nodeA} status is now: NodeNotReady`, `TaintManagerEviction Pod: Marking for deletion Pod ${ns}/${evictedPod.metadata.name}`];
      return want.every((w) => mine.includes(w)) && mine;
    });
    expect(seen).toContain('NodeNotReady Pod: Node is not ready');
    expect(seen).toContain(`RegisteredNode Node: Node ${nodeB} event: Registered Node ${nodeB} in Controller`);
  });

  it('clears the unreachable taints once the lease is renewed again', async () => {
    beating.add(nodeA);
    await waitFor('node a clean', async () => taintKeys(await getNode(nodeA)).length === 0, 15_000);
  });

  it('force-deletes the pods of a deleted node', async () => {
    beating.delete(nodeA);
    await client.delete(nodes, undefined, nodeA);
    await waitFor('pods of node a gone', async () => (await client.list<Obj>(pods, ns)).items.every((p) => p.spec.nodeName !== nodeA));
  });

  // creationTimestamp has 1 s resolution; equal timestamps order by name, so done-1 is the oldest.
  it('keeps at most terminatedPodGcThreshold terminated pods, deleting the oldest', async () => {
    for (const name of ['done-1', 'done-2', 'done-3']) {
      const spec = { nodeName: nodeB, containers: [{ name: 'c', image: 'busybox' }] };
      await client.create(pods, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'done' } }, spec });
      await setStatus(name, { phase: 'Succeeded' });
    }
    await waitFor('oldest terminated pod collected', async () => {
      const names = (await client.list<Obj>(pods, ns, { labelSelector: 'app=done' })).items.map((p) => p.metadata.name).sort();
      return names.join(',') === 'done-2,done-3';
    });
  });

  async function markReady(name: string): Promise<void> {
    const now = new Date().toISOString();
    await setStatus(name, { phase: 'Running', podIP: '10.244.9.9', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] });
  }

  async function setStatus(name: string, status: Obj['status']): Promise<void> {
    const p = await client.get<Obj>(pods, ns, name);
    await client.updateStatus(pods, { ...p, status });
  }
});
