// Issue 5: cascading deletion in all three modes (Background, Foreground, Orphan) through the
// garbage collector against the real API server; ConfigMaps stand in for owner and dependents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { realClock } from '../../client/clock.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { RestClient } from '../../client/rest.js';
import { DEFAULT_CONTROLLER_CONFIG } from '../../controllers/controller.js';
import { newGarbageCollector } from '../../controllers/garbagecollector/index.js';
import { newReplicaSetController } from '../../controllers/replicaset/index.js';
import { createNamespace, waitFor, type Obj } from './controllers-deployment-helpers.js';
import { startTestCluster, type TestCluster } from './harness.js';

const cms = mustResource('configmaps');
const rsRes = mustResource('replicasets');
const podRes = mustResource('pods');
const HOLD = 'test.skiff.dev/hold';

describe('garbage collector', () => {
  let cluster: TestCluster;
  let client: RestClient;
  let informers: InformerFactory;
  let ns: string;
  const abort = new AbortController();
  let running: Promise<void>;

  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    informers = InformerFactory.forClient(client);
    const ctx = { client, informers, clock: realClock, config: { ...DEFAULT_CONTROLLER_CONFIG, workers: 2 } };
    const ctrls = [newGarbageCollector(ctx), newReplicaSetController(ctx)];
    informers.start();
    await informers.waitForSync();
    running = Promise.all(ctrls.map((c) => c.run(abort.signal))).then(() => undefined);
    ns = await createNamespace(client, 'gc');
  });

  afterAll(async () => {
    abort.abort();
    await running;
    await informers?.stop();
    await client?.close();
    await cluster?.stop();
  });

  const get = (name: string) => client.get<Obj>(cms, ns, name).catch(() => undefined);
  const gone = (name: string) => async () => (await get(name)) === undefined;

  async function family(prefix: string, holdFirst = false): Promise<Obj> {
    const owner = await client.create<Obj>(cms, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-owner` } });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
    for (const [i, name] of [`${prefix}-a`, `${prefix}-b`].entries()) {
      const finalizers = holdFirst && i === 0 ? [HOLD] : undefined;
      await client.create(cms, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: [ref], finalizers } });
    }
    return owner;
  }

  it('Background: the owner goes at once, then its dependents', async () => {
    await family('bg');
    await client.delete(cms, ns, 'bg-owner', { propagationPolicy: 'Background' });
    expect(await get('bg-owner')).toBeUndefined();
    await waitFor('bg dependents deleted', async () => (await gone('bg-a')()) && gone('bg-b')());
  });

  it('Foreground: dependents are deleted first, the owner waits for the blocking ones', async () => {
    await family('fg', true);
    const marked = await client.delete<Obj>(cms, ns, 'fg-owner', { propagationPolicy: 'Foreground' });
    expect(marked.metadata.finalizers).toContain('foregroundDeletion');
    await waitFor('fg-b deleted', gone('fg-b'));
    const held: Obj = await waitFor('fg-a marked', async () => {
      const a = await get('fg-a');
      return a?.metadata.deletionTimestamp ? a : undefined;
    });
    // fg-a still blocks: the owner must still be there, waiting.
    const owner = await get('fg-owner');
    expect(owner?.metadata.finalizers).toEqual(['foregroundDeletion']);
    await client.patch(cms, ns, 'fg-a', 'json', [{ op: 'remove', path: '/metadata/finalizers' }, { op: 'test', path: '/metadata/uid', value: held.metadata.uid }]);
    await waitFor('fg-a gone', gone('fg-a'));
    await waitFor('fg-owner gone after its dependents', gone('fg-owner'));
  });

  it('Orphan: the dependents stay, without the owner reference', async () => {
    const owner = await family('or');
    await client.delete(cms, ns, 'or-owner', { propagationPolicy: 'Orphan' });
    await waitFor('or-owner gone', gone('or-owner'));
    for (const name of ['or-a', 'or-b']) {
      const dep = await get(name);
      expect(dep?.metadata.deletionTimestamp).toBeUndefined();
      expect((dep?.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid)).toBe(false);
    }
  });

  it('keeps a dependent that still has a live owner, dropping only the dangling reference', async () => {
    const a = await client.create<Obj>(cms, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two-a' } });
    const b = await client.create<Obj>(cms, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two-b' } });
    const refs = [a, b].map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid! }));
    await client.create(cms, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two-dep', ownerReferences: refs } });
    await client.delete(cms, ns, 'two-a');
    const dep = await waitFor('dangling ref dropped', async () => {
      const d = await get('two-dep');
      return d?.metadata.ownerReferences?.length === 1 && d;
    });
    expect(dep.metadata.ownerReferences![0]!.uid).toBe(b.metadata.uid);
  });

  for (const policy of ['Foreground', 'Background'] as const) {
    it(`a ReplicaSet deleted with ${policy} takes its pods with it`, async () => {
      const name = `rs-${policy.toLowerCase()}`;
      const template = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
      await client.create(rsRes, ns, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name }, spec: { replicas: 3, selector: { matchLabels: { app: name } }, template } });
      const podsOf = async () => (await client.list<Obj>(podRes, ns, { labelSelector: `app=${name}` })).items;
      const pods = await waitFor('3 pods', async () => {
        const items = await podsOf();
        return items.length === 3 && items;
      });
      expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.blockOwnerDeletion)).toBe(true);
      await client.delete(rsRes, ns, name, { propagationPolicy: policy });
      await waitFor('pods and ReplicaSet gone', async () => (await podsOf()).length === 0 && (await client.get(rsRes, ns, name).catch(() => undefined)) === undefined);
    });
  }
});
