// The node status loop against a real API server (ISSUE-7): the Node is created with its status, an unchanged status is not posted again, and a change made on the server by someone
// else (the node lifecycle controller marking Ready Unknown) is corrected at the next tick,
// because the decision compares with the server's copy, not with what the agent last sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Node } from '../../api/types/core.js';
import { realClock } from '../../client/clock.js';
import { Informer } from '../../client/informer.js';
import { restListerWatcher } from '../../client/lister-watcher.js';
import { RestClient } from '../../client/rest.js';
import { NodeLease, NODE_LEASE_NAMESPACE } from '../../kubelet/node-lease.js';
import { NodeReporter } from '../../kubelet/node.js';
import type { HostInfo } from '../../kubelet/node-status.js';
import { startTestCluster, type TestCluster } from './harness.js';

const NODES = mustResource('nodes');
const LEASES = mustResource('leases');
const host: HostInfo = {
  cpus: 2, memoryBytes: 4 * 1024 ** 3, hostname: 'h', hostIP: '10.0.0.9', os: 'linux', arch: 'x64',
  kernelVersion: '6.1.0', osImage: 'Debian', machineID: 'm', bootID: 'b',
};

let cluster: TestCluster;
let client: RestClient;

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
});

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

function reporter(name: string, observed?: () => Node | undefined, extra: { labels?: Record<string, string>; registeredBefore?: boolean } = {}): NodeReporter {
  return new NodeReporter({
    client, clock: realClock, name, host, labels: extra.labels ?? {}, taints: [], registeredBefore: extra.registeredBefore,
    // An hour: only a change makes these reporters post, so the test sees the decision alone.
    reportFrequencyMs: 3_600_000,
    facts: async () => ({ runtimeVersion: 'fake://0.1.0', runtimeReady: true, pressure: { memory: false, disk: false, pid: false }, daemonPort: 10250 }),
    observed,
  });
}

const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');

describe('node status against the server copy', () => {
  it('an agent that ran before adopts its Node (same uid, labels merged), or creates it when it was deleted', async () => {
    const name = `status-${process.pid}-again`;
    await reporter(name).register();
    const first = (await client.get(NODES, undefined, name)) as unknown as Node;
    const again = reporter(name, undefined, { labels: { tier: 'b' }, registeredBefore: true });
    await again.register();
    const adopted = (await client.get(NODES, undefined, name)) as unknown as Node;
    expect(adopted.metadata.uid).toBe(first.metadata.uid);
    expect(again.uid).toBe(first.metadata.uid);
    expect(adopted.metadata.labels).toMatchObject({ tier: 'b' });
    expect(ready(adopted)?.status).toBe('True');

    await client.delete(NODES, undefined, name);
    const afterDelete = reporter(name, undefined, { registeredBefore: true });
    await afterDelete.register();
    const created = (await client.get(NODES, undefined, name)) as unknown as Node;
    expect(created.metadata.uid).not.toBe(first.metadata.uid);
    expect(afterDelete.uid).toBe(created.metadata.uid);
    expect(ready(created)?.status).toBe('True');
  });

  it('registers with its status and does not post an unchanged status', async () => {
    const name = `status-${process.pid}-a`;
    const r = reporter(name);
    await r.register();
    const node = (await client.get(NODES, undefined, name)) as unknown as Node;
    expect(ready(node)?.status).toBe('True');
    expect(node.status?.capacity).toMatchObject({ cpu: '2', pods: '110' });
    expect(await r.update()).toBe(false);
    const after = (await client.get(NODES, undefined, name)) as unknown as Node;
    expect(after.metadata.resourceVersion).toBe(node.metadata.resourceVersion);
  });

  it('posts again when someone else changed the server copy (seen through an informer)', async () => {
    const name = `status-${process.pid}-b`;
    const informer = new Informer<Node & KubeObject>(restListerWatcher(client, NODES, { fieldSelector: `metadata.name=${name}` }));
    informer.start();
    await informer.waitForSync();
    try {
      const r = reporter(name, () => informer.store.get(name));
      await r.register();
      const node = (await client.get(NODES, undefined, name)) as unknown as Node;
      const conditions = node.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : c));
      const marked = (await client.patch(NODES, undefined, name, 'merge', { status: { conditions } }, { subresource: 'status' })) as unknown as Node;
      await waitFor(() => informer.store.get(name)?.metadata.resourceVersion === marked.metadata.resourceVersion);
      expect(await r.update()).toBe(true);
      const fixed = (await client.get(NODES, undefined, name)) as unknown as Node;
      expect(ready(fixed)).toMatchObject({ status: 'True', reason: 'KubeletReady' });
      expect(await r.update()).toBe(false);
    } finally {
      await informer.stop();
    }
  });

  it('creates its Lease with renewTime in one write, then renews it', async () => {
    const name = `status-${process.pid}-c`;
    const lease = new NodeLease(client, realClock, name, 40, () => '');
    await lease.renew();
    const created = (await client.get(LEASES, NODE_LEASE_NAMESPACE, name)) as KubeObject & { spec: { renewTime: string; holderIdentity: string } };
    expect(created.spec.holderIdentity).toBe(name);
    expect(created.metadata.resourceVersion).toBeDefined();
    await lease.renew();
    const renewed = (await client.get(LEASES, NODE_LEASE_NAMESPACE, name)) as KubeObject;
    expect(Number(renewed.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(lease.renewals).toBe(2);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the informer');
    await new Promise((r) => setTimeout(r, 50));
  }
}
