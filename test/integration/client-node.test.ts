// The official @kubernetes/client-node (v1.x) against a real etcd + API server: discovery-free typed
// clients (CoreV1Api, AppsV1Api), the patch content types and an informer's list + watch.
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestCluster, type TestCluster } from './harness.js';

const NS = 'client-node';

let cluster: TestCluster;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  cluster = await startTestCluster();
  kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
});

afterAll(async () => {
  await cluster?.stop();
});

/** The HTTP status of a failed client-node call (ApiException.code). */
async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
  return 200;
}

function deployment(name: string): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

describe('@kubernetes/client-node', () => {
  it('lists namespaces, including the built-in ones and the one it created', async () => {
    const list = await core.listNamespace();
    const names = list.items.map((n) => n.metadata?.name);
    expect(names).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease', NS]),
    );
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    const ns = await core.readNamespace({ name: NS });
    expect(ns.status?.phase).toBe('Active');
  });

  it('creates, reads, patches (merge, strategic, json) and deletes a ConfigMap', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: NS,
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'conf', labels: { app: 'demo' } },
        data: { a: '1' },
      },
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.namespace).toBe(NS);

    const read = await core.readNamespacedConfigMap({ name: 'conf', namespace: NS });
    expect(read.data).toEqual({ a: '1' });
    expect(read.metadata?.labels).toEqual({ app: 'demo' });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    const merged = await core.patchNamespacedConfigMap(
      { name: 'conf', namespace: NS, body: { data: { b: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ a: '1', b: '2' });
    expect((await core.readNamespacedConfigMap({ name: 'conf', namespace: NS })).data).toEqual({
      a: '1',
      b: '2',
    });

    const strategic = await core.patchNamespacedConfigMap(
      { name: 'conf', namespace: NS, body: { data: { c: '3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.data).toEqual({ a: '1', b: '2', c: '3' });

    // Without a header option client-node sends application/json-patch+json.
    const jsonPatched = await core.patchNamespacedConfigMap({
      name: 'conf',
      namespace: NS,
      body: [{ op: 'remove', path: '/data/a' }],
    });
    expect(jsonPatched.data).toEqual({ b: '2', c: '3' });

    const list = await core.listNamespacedConfigMap({ namespace: NS });
    expect(list.items.map((c) => c.metadata?.name)).toContain('conf');

    await core.deleteNamespacedConfigMap({ name: 'conf', namespace: NS });
    expect(await statusOf(core.readNamespacedConfigMap({ name: 'conf', namespace: NS }))).toBe(404);
  });

  it('creates, reads, lists, scales via patch and deletes a Deployment (AppsV1Api)', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web') });
    expect(created.metadata?.generation).toBe(1);
    // Defaults are applied by the server and survive the typed round trip.
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    expect(created.spec?.template.spec?.containers[0]?.ports?.[0]?.protocol).toBe('TCP');

    const read = await apps.readNamespacedDeployment({ name: 'web', namespace: NS });
    expect(read.spec?.replicas).toBe(2);
    expect(read.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.25');

    const list = await apps.listNamespacedDeployment({ namespace: NS });
    expect(list.items.map((d) => d.metadata?.name)).toEqual(['web']);

    const patched = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: NS, body: { spec: { replicas: 5 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec?.replicas).toBe(5);
    expect(patched.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.25');

    // Duplicate create → 409 AlreadyExists surfaces as an ApiException.
    expect(await statusOf(apps.createNamespacedDeployment({ namespace: NS, body: deployment('web') }))).toBe(
      409,
    );

    await apps.deleteNamespacedDeployment({ name: 'web', namespace: NS });
    await vi.waitFor(
      async () =>
        expect(await statusOf(apps.readNamespacedDeployment({ name: 'web', namespace: NS }))).toBe(404),
      { timeout: 10_000, interval: 100 },
    );
  });

  it('an informer sees the initial list, then add, update and delete events', async () => {
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'before' }, data: { x: '0' } },
    });

    const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${NS}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace: NS }),
    );
    const added: V1ConfigMap[] = [];
    const updated: V1ConfigMap[] = [];
    const deleted: V1ConfigMap[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => added.push(o));
    informer.on('update', (o) => updated.push(o));
    informer.on('delete', (o) => deleted.push(o));
    informer.on('error', (e) => errors.push(e));
    const names = (l: readonly V1ConfigMap[]) => l.map((o) => o.metadata?.name);

    try {
      await informer.start();
      // The initial list is delivered as an add.
      expect(names(added)).toEqual(['before']);
      expect(informer.get('before', NS)?.data).toEqual({ x: '0' });

      await core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: 'watched' }, data: { v: '1' } },
      });
      await vi.waitFor(() => expect(names(added)).toEqual(['before', 'watched']), {
        timeout: 10_000,
        interval: 50,
      });
      expect(added[1]?.data).toEqual({ v: '1' });

      await core.replaceNamespacedConfigMap({
        name: 'watched',
        namespace: NS,
        body: { metadata: { name: 'watched' }, data: { v: '2' } },
      });
      await vi.waitFor(() => expect(names(updated)).toEqual(['watched']), { timeout: 10_000, interval: 50 });
      expect(updated[0]?.data).toEqual({ v: '2' });
      expect(informer.get('watched', NS)?.data).toEqual({ v: '2' });

      await core.deleteNamespacedConfigMap({ name: 'watched', namespace: NS });
      await vi.waitFor(() => expect(names(deleted)).toEqual(['watched']), { timeout: 10_000, interval: 50 });
      expect(informer.get('watched', NS)).toBeUndefined();
      expect(names(informer.list(NS))).toEqual(['before']);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }

    await core.deleteNamespacedConfigMap({ name: 'before', namespace: NS });
    expect((await core.listNamespacedConfigMap({ namespace: NS })).items).toEqual([]);
  });
});
