// Issue 5: node IPAM, node lifecycle (a node whose lease stops is marked Unknown, tainted, its
// pods evicted and replaced by their ReplicaSet; it comes back clean when the lease is renewed)
// and the pod GC (pods of a deleted node, terminated pods past the threshold), with short grace
// periods from the controller config and a test loop standing in for the healthy node's agent.
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

const nodes = mustResource('nodes');
const leases = mustResource('leases');
const pods = mustResource('pods');
const replicasets = mustResource('replicasets');
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

  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    informers = InformerFactory.forClient(client);
    const config = { ...DEFAULT_CONTROLLER_CONFIG, workers: 2, nodeMonitorGracePeriodMs: 2000, podEvictionTimeoutMs: 1000, terminatedPodGcThreshold: 2 };
    const ctx: ControllerContext = { client, informers, clock: realClock, config };
    const ctrls = [newNodeIpamController, newNodeLifecycleController, newPodGcController, newReplicaSetController].map((f) => f(ctx));
    informers.start();
    await informers.waitForSync();
    running = Promise.all(ctrls.map((c) => c.run(abort.signal)));
    ns = await createNamespace(client, 'nodes');
    for (const n of [nodeA, nodeB]) await registerNode(n);
    heart = heartbeat();
  });

  afterAll(async () => {
    abort.abort();
    await heart;
    await running;
    await informers?.stop();
    await client?.close();
    await cluster?.stop();
  });

  async function registerNode(name: string): Promise<void> {
    await client.create<Obj>(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    const now = new Date().toISOString();
    const status = { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }] };
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

  it('marks a silent node Unknown and tainted, evicts its pods, and their ReplicaSet replaces them', async () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    await client.create(replicasets, ns, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template } });
    const first = await waitFor('2 pods', async () => {
      const items = (await client.list<Obj>(pods, ns)).items;
      return items.length === 2 && items;
    });
    for (const p of first) await bindReady(p.metadata.name!, nodeA);

    beating.delete(nodeA);
    const silent = await waitFor('node a unreachable', async () => {
      const n = await getNode(nodeA);
      return ready(n) === 'Unknown' && taintKeys(n).includes('node.kubernetes.io/unreachable:NoExecute') && n;
    }, 15_000);
    expect(taintKeys(silent)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(taintKeys(await getNode(nodeB))).toEqual([]);

    await waitFor('pods on a evicted and replaced', async () => {
      const items = (await client.list<Obj>(pods, ns)).items;
      const evicted = items.filter((p) => p.spec.nodeName === nodeA && p.metadata.deletionTimestamp);
      const fresh = items.filter((p) => !p.metadata.deletionTimestamp && p.spec.nodeName !== nodeA);
      return evicted.length === 2 && fresh.length === 2;
    }, 15_000);
    const evictedPod = (await client.list<Obj>(pods, ns)).items.find((p) => p.spec.nodeName === nodeA)!;
    expect(evictedPod.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('False');
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
      await client.create(pods, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'done' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
      await bindStatus(name, nodeB, { phase: 'Succeeded' });
    }
    await waitFor('oldest terminated pod collected', async () => {
      const names = (await client.list<Obj>(pods, ns, { labelSelector: 'app=done' })).items.map((p) => p.metadata.name).sort();
      return names.join(',') === 'done-2,done-3';
    });
  });

  async function bindReady(name: string, node: string): Promise<void> {
    const now = new Date().toISOString();
    await bindStatus(name, node, { phase: 'Running', podIP: '10.244.9.9', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] });
  }

  async function bindStatus(name: string, node: string, status: Obj['status']): Promise<void> {
    await client.request('POST', `/api/v1/namespaces/${ns}/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } });
    const p = await client.get<Obj>(pods, ns, name);
    await client.updateStatus(pods, { ...p, status });
  }
});
