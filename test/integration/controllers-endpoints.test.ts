// Issue 5: the Endpoints controller follows pod readiness against the real API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { realClock } from '../../client/clock.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { RestClient } from '../../client/rest.js';
import { DEFAULT_CONTROLLER_CONFIG, type ControllerContext } from '../../controllers/controller.js';
import { newEndpointsController } from '../../controllers/endpoints/index.js';
import { createNamespace, waitFor, type Obj } from './controllers-deployment-helpers.js';
import { startTestCluster, type TestCluster } from './harness.js';

const pods = mustResource('pods');
const services = mustResource('services');
const endpoints = mustResource('endpoints');

describe('endpoints controller', () => {
  let cluster: TestCluster;
  let client: RestClient;
  let ns: string;
  const abort = new AbortController();
  let running: Promise<void>;
  let informers: InformerFactory;

  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    informers = InformerFactory.forClient(client);
    const ctx: ControllerContext = { client, informers, clock: realClock, config: { ...DEFAULT_CONTROLLER_CONFIG, workers: 2 } };
    const ctrl = newEndpointsController(ctx);
    informers.start();
    await informers.waitForSync();
    running = ctrl.run(abort.signal);
    ns = await createNamespace(client, 'ep');
  });

  afterAll(async () => {
    abort.abort();
    await running;
    await informers?.stop();
    await client?.close();
    await cluster?.stop();
  });

  async function makePod(name: string, ip: string, port: number): Promise<void> {
    const spec = { containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'web', containerPort: port }] }] };
    await client.create(pods, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec });
    await setReady(name, ip, true);
  }

  async function setReady(name: string, ip: string, ready: boolean): Promise<void> {
    const p = await client.get<Obj>(pods, ns, name);
    const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    await client.updateStatus(pods, { ...p, status });
  }

  const getEp = () => client.get<Obj>(endpoints, ns, 'web').catch(() => undefined);
  const ips = (subsets: Obj[] | undefined, field: string) =>
    (subsets ?? []).flatMap((s) => (s[field] ?? []).map((a: Obj) => a.ip)).sort().join(',');

  it('lists ready pods in addresses with ports resolved by name, and moves them as readiness changes', async () => {
    await client.create(services, ns, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] },
    });
    await makePod('a', '10.1.0.1', 8080);
    await makePod('b', '10.1.0.2', 8080);
    const ep = await waitFor('both ready', async () => {
      const e = await getEp();
      return ips(e?.subsets, 'addresses') === '10.1.0.1,10.1.0.2' && e;
    });
    expect(ep.subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets[0].addresses[0].targetRef).toMatchObject({ kind: 'Pod', name: 'a', namespace: ns });

    await setReady('b', '10.1.0.2', false);
    await waitFor('b not ready', async () => {
      const e = await getEp();
      return ips(e?.subsets, 'addresses') === '10.1.0.1' && ips(e?.subsets, 'notReadyAddresses') === '10.1.0.2';
    });

    await setReady('b', '10.1.0.2', true);
    await client.delete(pods, ns, 'a', { gracePeriodSeconds: 0 });
    await waitFor('a gone, b ready again', async () => {
      const e = await getEp();
      return ips(e?.subsets, 'addresses') === '10.1.0.2' && ips(e?.subsets, 'notReadyAddresses') === '';
    });
  });

  it('deletes the Endpoints with the Service, and recreates Endpoints deleted by hand', async () => {
    await client.create(services, ns, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web2' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const get2 = () => client.get<Obj>(endpoints, ns, 'web2').catch(() => undefined);
    const first = await waitFor('web2 endpoints', get2);
    await client.delete(endpoints, ns, 'web2');
    await waitFor('recreated', async () => {
      const e = await get2();
      return e && e.metadata.uid !== first.metadata.uid;
    });
    await client.delete(services, ns, 'web2');
    await waitFor('endpoints deleted', async () => (await get2()) === undefined);
  });
});
