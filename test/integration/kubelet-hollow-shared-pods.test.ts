// Hollow nodes share one pod watch (ISSUE-7 hollow mode): a pod bound later through the binding
// subresource reaches the node it was bound to (and only it), runs, and a graceful delete is
// carried out by that node (stop, final status, delete with grace 0), all through the API. Each
// node renews its own Lease, over the heartbeat client's own connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Lease } from '../../api/types/misc.js';
import type { Pod } from '../../api/types/pod.js';
import { RestClient } from '../../client/rest.js';
import { startHollowNodes, type HollowNodes } from '../../kubelet/hollow.js';
import { startTestCluster, type TestCluster } from './harness.js';
import { waitFor } from '../helpers/wait.js';

const PODS = mustResource('pods');
const LEASES = mustResource('leases');

let cluster: TestCluster;
let client: RestClient;
let hollow: HollowNodes | undefined;
const prefix = `shared-${process.env.SKIFF_TEST_RUN ?? process.pid}`.toLowerCase().slice(0, 40);

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  hollow = await startHollowNodes({ client, count: 3, prefix, agent: { plegPeriodMs: 100, leaseRenewIntervalMs: 300 } });
}, 120_000);

afterAll(async () => {
  await hollow?.stop();
  await client?.close();
  await cluster?.stop();
});

const getPod = async (name: string) => (await client.get(PODS, 'default', name)) as unknown as Pod;

describe('hollow nodes on one shared pod watch', () => {
  it('renews each node\'s own Lease', async () => {
    const lease = async () => (await client.get(LEASES, 'kube-node-lease', `${prefix}-2`)) as unknown as Lease;
    const first = await lease();
    expect(first.spec?.holderIdentity).toBe(`${prefix}-2`);
    await waitFor('a renewal', async () => (await lease()).spec?.renewTime !== first.spec?.renewTime, 30_000);
  });

  it('withOwnConnections reaches the same server with the same credentials', async () => {
    const own = client.withOwnConnections('heartbeat-test');
    try {
      expect((await own.get(LEASES, 'kube-node-lease', `${prefix}-0`)).metadata.name).toBe(`${prefix}-0`);
    } finally {
      await own.close();
    }
  });

  it('runs a pod bound later on the node it was bound to, and deletes it gracefully', async () => {
    const name = `${prefix}-late`;
    const node = `${prefix}-1`;
    await client.create(PODS, 'default', { metadata: { name }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'pause:3.9' }] } } as unknown as KubeObject);
    const created = await getPod(name);
    await client.request('POST', `/api/v1/namespaces/default/pods/${name}/binding`, {
      apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: 'default', uid: created.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node },
    });
    const running = await waitFor('the bound pod Running', async () => {
      const p = await getPod(name);
      return p.status?.phase === 'Running' && p;
    }, 30_000);
    expect(running.spec.nodeName).toBe(node);
    expect(running.status?.hostIP).toBe('10.0.0.2'); // hollow node 1's address: its agent wrote the status
    const started = hollow!.runtimes.map((rt) => rt.listContainers().then((cs) => cs.length));
    expect(await Promise.all(started)).toEqual([0, 1, 0]);

    await client.delete(PODS, 'default', name);
    await waitFor('the pod gone', async () => getPod(name).then(() => false, (err) => isStatusError(err, 'NotFound')), 30_000);
    expect((await hollow!.runtimes[1]!.listPodSandbox()).length).toBe(0);
  });
});
