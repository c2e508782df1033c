// Watch semantics against a real etcd: resume from a resourceVersion, 410 after compaction with
// the informer relisting, selector transitions, and an API server restart that loses nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness.js';
import { httpFor, readWatch, type Http } from './http.js';
import { compact, currentRevision } from '../../apiserver/compactor.js';
import { RestClient } from '../../client/rest.js';
import { Informer } from '../../client/informer.js';
import { restListerWatcher } from '../../client/lister-watcher.js';
import { mustResource } from '../../api/registry.js';
import type { KubeObject } from '../../api/meta.js';

let cluster: TestCluster;
let http: Http;

beforeAll(async () => {
  cluster = await startTestCluster({ maxWatchSeconds: 60 });
  http = httpFor(cluster);
  for (const ns of ['w1', 'w2', 'w3', 'w4', 'w5']) await http('POST', '/api/v1/namespaces', { metadata: { name: ns } });
});
afterAll(async () => {
  await cluster?.stop();
});

async function createCm(ns: string, name: string, labels: Record<string, string> = {}) {
  const res = await http('POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name, labels }, data: { v: '0' } });
  expect(res.status).toBe(201);
  return res.body;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('watch', () => {
  it('from a resourceVersion delivers exactly the later events, in order', async () => {
    const a = await createCm('w1', 'a');
    const from = a.metadata.resourceVersion;
    await createCm('w1', 'b');
    await http('PATCH', '/api/v1/namespaces/w1/configmaps/a', { data: { v: '1' } }, { 'content-type': 'application/merge-patch+json' });
    await http('DELETE', '/api/v1/namespaces/w1/configmaps/b');
    const events = await readWatch(cluster, `/api/v1/namespaces/w1/configmaps?watch=1&resourceVersion=${from}`, (e) => e.length >= 3);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['MODIFIED', 'a'],
      ['DELETED', 'b'],
    ]);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
    expect(rvs[0]).toBeGreaterThan(Number(from));
  });

  it('without a resourceVersion starts with the current state as ADDED, then live events', async () => {
    await createCm('w2', 'present');
    const watch = readWatch(cluster, '/api/v1/namespaces/w2/configmaps?watch=true', (e) => e.length >= 2);
    await waitFor(() => cluster.api.stores.get('configmaps')!.cache.watcherCount > 0, 'the watch to open');
    await createCm('w2', 'later');
    const events = await watch;
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'present'],
      ['ADDED', 'later'],
    ]);
  });

  it('a label selector turns objects leaving or entering it into DELETED / ADDED', async () => {
    const x = await createCm('w3', 'x', { team: 'red' });
    const watch = readWatch(
      cluster,
      `/api/v1/namespaces/w3/configmaps?watch=1&labelSelector=team%3Dred&resourceVersion=${x.metadata.resourceVersion}`,
      (e) => e.length >= 2,
    );
    const relabel = (team: string) =>
      http('PATCH', '/api/v1/namespaces/w3/configmaps/x', { metadata: { labels: { team } } }, { 'content-type': 'application/merge-patch+json' });
    await relabel('blue');
    await relabel('red');
    const events = await watch;
    expect(events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
  });

  it('a watch on one object (fieldSelector metadata.name) sees only it, with bookmarks when asked', async () => {
    const one = await createCm('w4', 'one');
    const watch = readWatch(
      cluster,
      `/api/v1/namespaces/w4/configmaps?watch=1&fieldSelector=metadata.name%3Done&resourceVersion=${one.metadata.resourceVersion}&allowWatchBookmarks=true`,
      (e) => e.some((x) => x.type === 'MODIFIED'),
    );
    await createCm('w4', 'two');
    await http('PATCH', '/api/v1/namespaces/w4/configmaps/one', { data: { v: '2' } }, { 'content-type': 'application/merge-patch+json' });
    const events = await watch;
    expect(events.filter((e) => e.type !== 'BOOKMARK').map((e) => e.object.metadata.name)).toEqual(['one']);
  });

  it('with the Table Accept (kubectl get -w) each event carries a one-row Table', async () => {
    const first = await createCm('w4', 'tbl-1');
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const watch = readWatch(
      cluster,
      `/api/v1/namespaces/w4/configmaps?watch=true&resourceVersion=${first.metadata.resourceVersion}`,
      (e) => e.length >= 2,
      10_000,
      { accept },
    );
    await createCm('w4', 'tbl-2');
    await http('DELETE', '/api/v1/namespaces/w4/configmaps/tbl-2');
    const events = await watch;
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    expect(events[0]!.object.kind).toBe('Table');
    expect(events[0]!.object.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(events[0]!.object.rows[0].cells[0]).toBe('tbl-2');
    expect(events[1]!.object.columnDefinitions).toBeNull();
  });

  it('timeoutSeconds ends the stream', async () => {
    const started = await readWatch(cluster, '/api/v1/namespaces/w4/configmaps?watch=1&timeoutSeconds=1', () => false, 8000);
    // The stream ended by itself (the server closed it) before the 8 s client timeout.
    expect(started.every((e) => e.type === 'ADDED')).toBe(true);
  });
});

describe('compaction', () => {
  it('a watch from a compacted resourceVersion gets 410 Expired; the informer relists and recovers', async () => {
    const client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    const cms = mustResource('configmaps');
    const seen = new Map<string, KubeObject>();
    const deleted: string[] = [];
    const informer = new Informer(restListerWatcher(client, cms, { namespace: 'w5' }));
    informer.addEventHandler({
      onAdd: (o) => seen.set(o.metadata.name!, o),
      onUpdate: (_old, o) => seen.set(o.metadata.name!, o),
      onDelete: (o) => {
        seen.delete(o.metadata.name!);
        deleted.push(o.metadata.name!);
      },
    });
    try {
      const old = await createCm('w5', 'before');
      informer.start();
      expect(await informer.waitForSync()).toBe(true);
      // Make history, then compact it away and force the informer's watch to reconnect.
      for (let i = 0; i < 5; i++) await createCm('w5', `c${i}`);
      await http('DELETE', '/api/v1/namespaces/w5/configmaps/before');
      await compact(cluster.api.etcd, await currentRevision(cluster.api.etcd));
      const expired = await readWatch(cluster, `/api/v1/namespaces/w5/configmaps?watch=1&resourceVersion=${old.metadata.resourceVersion}`, (e) => e.length >= 1);
      // The cache window still has these events; a restarted server must go to etcd and get 410.
      expect(expired.length).toBeGreaterThanOrEqual(1);
      await cluster.restartApiServer();
      const gone = await readWatch(cluster, `/api/v1/namespaces/w5/configmaps?watch=1&resourceVersion=${old.metadata.resourceVersion}`, (e) => e.length >= 1);
      expect(gone[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
      await createCm('w5', 'after-restart');
      await waitFor(() => seen.has('after-restart'), 'the informer to see an object created after the restart');
      expect([...seen.keys()].sort()).toEqual(['after-restart', 'c0', 'c1', 'c2', 'c3', 'c4']);
      expect(deleted).toContain('before');
    } finally {
      await informer.stop();
      client.close();
    }
  });
});

describe('API server restart', () => {
  it('loses nothing, and a watch resumes from a resourceVersion taken before the restart', async () => {
    await http('POST', '/api/v1/namespaces', { metadata: { name: 'rs1' } });
    const created: string[] = [];
    for (let i = 0; i < 20; i++) created.push((await createCm('rs1', `keep-${i}`)).metadata.name);
    const list = await http('GET', '/api/v1/namespaces/rs1/configmaps');
    const rv = list.body.metadata.resourceVersion;
    await cluster.restartApiServer();
    http = httpFor(cluster);
    const after = await http('GET', '/api/v1/namespaces/rs1/configmaps');
    expect(after.body.items.map((i: any) => i.metadata.name).sort()).toEqual([...created].sort());
    await createCm('rs1', 'new-after-restart');
    const events = await readWatch(cluster, `/api/v1/namespaces/rs1/configmaps?watch=1&resourceVersion=${rv}`, (e) => e.length >= 1);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'new-after-restart']]);
  });
});
