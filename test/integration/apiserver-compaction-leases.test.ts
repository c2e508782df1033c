// Periodic compaction against a real etcd, and leader election between two candidates on a
// real Lease through the API server (issue 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness.js';
import { httpFor, type Http } from './http.js';
import { Compactor, currentRevision } from '../../apiserver/compactor.js';
import { RestClient } from '../../client/rest.js';
import { LeaderElector, restLeaseApi } from '../../client/leader-election.js';

let cluster: TestCluster;
let http: Http;

beforeAll(async () => {
  cluster = await startTestCluster();
  http = httpFor(cluster);
});
afterAll(async () => {
  await cluster?.stop();
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('compaction', () => {
  it('each tick compacts to the revision seen at the previous tick; old continue tokens get 410', async () => {
    for (let i = 0; i < 6; i++) await http('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `page-${i}` } });
    const first = await http('GET', '/api/v1/namespaces/default/configmaps?limit=2');
    const token = first.body.metadata.continue;
    expect(token).toBeTruthy();
    const etcd = cluster.api.etcd;
    const compactor = new Compactor(etcd, 0);
    await http('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'before-tick' } });
    await compactor.tick(); // remembers the current revision, compacts nothing yet
    const stillValid = await http('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(token)}`);
    expect(stillValid.status).toBe(200);
    await http('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-tick' } });
    await compactor.tick(); // compacts to the first tick's revision
    const expired = await http('GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(token)}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    // Current data is untouched by compaction.
    const all = await http('GET', '/api/v1/namespaces/default/configmaps');
    expect(all.body.items.map((i: any) => i.metadata.name)).toContain('after-tick');
    expect(await currentRevision(etcd)).toBeGreaterThan(Number(first.body.metadata.resourceVersion));
  });
});

describe('leader election on a Lease', () => {
  it('one of two candidates leads; when it stops, the other takes over', async () => {
    const client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    const leading = new Set<string>();
    const candidate = (identity: string) =>
      new LeaderElector({
        api: restLeaseApi(client),
        namespace: 'kube-system',
        name: 'it-election',
        identity,
        leaseDurationMs: 2000,
        renewDeadlineMs: 1500,
        retryPeriodMs: 200,
        onStartedLeading: () => leading.add(identity),
        onStoppedLeading: () => leading.delete(identity),
      });
    const a = candidate('a');
    const b = candidate('b');
    try {
      void a.run();
      await waitFor(() => leading.has('a'), 'a to lead');
      void b.run();
      const lease = await http('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/it-election');
      expect(lease.body.spec.holderIdentity).toBe('a');
      expect(leading.has('b')).toBe(false);
      await a.stop();
      await waitFor(() => leading.has('b'), 'b to take over');
      const after = await http('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/it-election');
      expect(after.body.spec.holderIdentity).toBe('b');
      expect(after.body.spec.leaseTransitions).toBeGreaterThanOrEqual(1);
    } finally {
      await a.stop();
      await b.stop();
      client.close();
    }
  });
});

describe('encryption at rest', () => {
  it('a Secret read straight from etcd is not plain text, and reads back through the API', async () => {
    const secret = { metadata: { name: 'enc' }, stringData: { password: 'hunter2-plain' }, data: { b: Buffer.from('base64-secret').toString('base64') } };
    const created = await http('POST', '/api/v1/namespaces/default/secrets', secret);
    expect(created.status, created.text).toBe(201);
    const raw = (await cluster.api.etcd.get('/registry/secrets/default/enc').buffer())!;
    expect(raw.subarray(0, 18).toString()).toBe('k8s:enc:aesgcm:v1:');
    expect(raw.includes(Buffer.from('hunter2'))).toBe(false);
    expect(raw.includes(Buffer.from('YmFzZTY0'))).toBe(false);
    const got = await http('GET', '/api/v1/namespaces/default/secrets/enc');
    expect(Buffer.from(got.body.data.b, 'base64').toString()).toBe('base64-secret');
    // stringData is write-only: merged into data.
    expect(Buffer.from(got.body.data.password, 'base64').toString()).toBe('hunter2-plain');
    expect(got.body.stringData).toBeUndefined();
    const listed = await http('GET', '/api/v1/namespaces/default/secrets?resourceVersion=0');
    expect(listed.body.items.map((i: any) => i.metadata.name)).toContain('enc');
    // ConfigMaps are not encrypted.
    await http('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'plain' }, data: { k: 'visible' } });
    expect((await cluster.api.etcd.get('/registry/configmaps/default/plain').string())).toContain('visible');
  });
});
