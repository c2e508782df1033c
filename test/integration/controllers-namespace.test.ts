// Issue 5: deleting a namespace deletes everything in it, then the namespace itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { realClock } from '../../client/clock.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { RestClient } from '../../client/rest.js';
import { DEFAULT_CONTROLLER_CONFIG } from '../../controllers/controller.js';
import { newNamespaceController } from '../../controllers/namespace/index.js';
import { createNamespace, waitFor, type Obj } from './controllers-deployment-helpers.js';
import { deployment, pod } from './fixtures.js';
import { startTestCluster, type TestCluster } from './harness.js';

const namespaces = mustResource('namespaces');
const cms = mustResource('configmaps');

describe('namespace controller', () => {
  let cluster: TestCluster;
  let client: RestClient;
  let informers: InformerFactory;
  const abort = new AbortController();
  let running: Promise<void>;
  let serverCanFinalize = false;

  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    informers = InformerFactory.forClient(client);
    const ctrl = newNamespaceController({ client, informers, clock: realClock, config: { ...DEFAULT_CONTROLLER_CONFIG, workers: 2 } });
    informers.start();
    await informers.waitForSync();
    running = ctrl.run(abort.signal);
    serverCanFinalize = await probeFinalize(client);
  });

  afterAll(async () => {
    abort.abort();
    await running;
    await informers?.stop();
    await client?.close();
    await cluster?.stop();
  });

  const getNs = (name: string) => client.get<Obj>(namespaces, undefined, name).catch(() => undefined);

  let ns: string;

  it('deletes the content and reports what a finalizer still holds', async () => {
    ns = await createNamespace(client, 'nsdel');
    await client.create(mustResource('pods'), ns, pod('p1'));
    await client.create(mustResource('deployments'), ns, deployment('d1'));
    await client.create(mustResource('services'), ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's1' }, spec: { ports: [{ port: 80 }] } });
    await client.create(cms, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['test.skiff.dev/hold'] } });
    await client.delete(namespaces, undefined, ns);

    const waiting = await waitFor('content deleted but held', async () => {
      const n = await getNs(ns);
      const c = n?.status?.conditions?.find((x: Obj) => x.type === 'NamespaceContentRemaining');
      return c?.status === 'True' && c.message.includes('configmaps has 1') ? n : undefined;
    });
    expect(waiting.status.phase).toBe('Terminating');
    for (const plural of ['pods', 'deployments', 'services']) {
      expect((await client.list(mustResource(plural), ns)).items).toEqual([]);
    }
    await client.patch(cms, ns, 'held', 'json', [{ op: 'remove', path: '/metadata/finalizers' }]);
    await waitFor('held configmap gone', async () => (await client.list(cms, ns)).items.length === 0);
  });

  it('then removes the namespace', async () => {
    // PUT /finalize removes a namespace marked for deletion (probed in beforeAll).
    expect(serverCanFinalize).toBe(true);
    await waitFor('namespace removed', async () => (await getNs(ns)) === undefined);
  });

  it('leaves namespaces that are not being deleted alone', async () => {
    const ns = await createNamespace(client, 'nskeep');
    await client.create(cms, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const n = await getNs(ns);
    expect(n?.spec.finalizers).toEqual(['kubernetes']);
    expect((await client.list(cms, ns)).items.length).toBeGreaterThan(0);
  });
});

/** probeFinalize: can a namespace marked for deletion be finalized (PUT /finalize, else a plain update)? */
async function probeFinalize(client: RestClient): Promise<boolean> {
  const name = `probe-${Math.random().toString(36).slice(2, 8)}`;
  await client.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['test.skiff.dev/probe'] } });
  await client.delete(namespaces, undefined, name);
  const cur = await client.get<Obj>(namespaces, undefined, name);
  const body = { ...cur, spec: { finalizers: [] } };
  await client.request('PUT', `/api/v1/namespaces/${name}/finalize`, body).catch(() => client.update(namespaces, body));
  return (await client.get(namespaces, undefined, name).catch(() => undefined)) === undefined;
}
