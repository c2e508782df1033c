// The API server against a real etcd: CRUD of every kind, optimistic concurrency, validation,
// selectors, paging, subresources and graceful deletion (issue 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness.js';
import { httpFor, type Http } from './http.js';
import { deployment, everyKind, pod } from './fixtures.js';

let cluster: TestCluster;
let http: Http;
const NS = 'crud';

beforeAll(async () => {
  cluster = await startTestCluster();
  http = httpFor(cluster);
  expect((await http('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status).toBe(201);
});
afterAll(async () => {
  await cluster?.stop();
});

describe('CRUD of every kind', () => {
  it.each(everyKind(NS))('$plural: create, get, list, update, patch, delete', async ({ collection, obj }) => {
    const name = obj.metadata.name;
    const created = await http('POST', collection, obj);
    expect(created.status, created.text).toBe(201);
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.metadata.creationTimestamp).toMatch(/Z$/);
    const rv = created.body.metadata.resourceVersion;

    const got = await http('GET', `${collection}/${name}`);
    expect(got.status).toBe(200);
    expect(got.body.metadata.resourceVersion).toBe(rv);

    const list = await http('GET', collection);
    expect(list.status).toBe(200);
    expect(list.body.kind).toBe(`${obj.kind}List`);
    expect(list.body.items.map((i: any) => i.metadata.name)).toContain(name);

    const updated = await http('PUT', `${collection}/${name}`, {
      ...got.body,
      metadata: { ...got.body.metadata, labels: { ...(got.body.metadata.labels ?? {}), touched: 'yes' } },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(Number(rv));

    const patched = await http('PATCH', `${collection}/${name}`, { metadata: { annotations: { note: 'x' } } }, {
      'content-type': 'application/merge-patch+json',
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.metadata.annotations.note).toBe('x');
    expect(patched.body.metadata.labels.touched).toBe('yes');

    const deleted = await http('DELETE', `${collection}/${name}`);
    expect(deleted.status, deleted.text).toBe(200);
    const after = await http('GET', `${collection}/${name}`);
    // Namespaces finalize through their controller; everything else is gone at once.
    if (obj.kind === 'Namespace') expect(after.body.status.phase).toBe('Terminating');
    else expect(after.status).toBe(404);
  });
});

describe('errors are Status objects with upstream reasons', () => {
  it('409 Conflict on a stale resourceVersion, and the stored object is untouched', async () => {
    const cm = await http('POST', `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'occ' }, data: { v: '1' } });
    const stale = cm.body;
    const first = await http('PUT', `/api/v1/namespaces/${NS}/configmaps/occ`, { ...stale, data: { v: '2' } });
    expect(first.status).toBe(200);
    const second = await http('PUT', `/api/v1/namespaces/${NS}/configmaps/occ`, { ...stale, data: { v: '3' } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(second.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await http('GET', `/api/v1/namespaces/${NS}/configmaps/occ`)).body.data).toEqual({ v: '2' });
  });

  it('404 NotFound names the resource and group', async () => {
    const res = await http('GET', `/apis/apps/v1/namespaces/${NS}/deployments/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
  });

  it('409 AlreadyExists', async () => {
    await http('POST', `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'twice' } });
    const res = await http('POST', `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'twice' } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "twice" already exists' });
  });

  it('unknown paths are a 404 Status', async () => {
    const res = await http('GET', '/api/v1/namespaces/x/widgets');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  const bad: { name: string; path: string; obj: Record<string, any>; field: string }[] = [
    { name: 'negative replicas', path: 'deployments', obj: { ...deployment('bad1'), spec: { ...deployment('bad1').spec, replicas: -1 } }, field: 'spec.replicas' },
    {
      name: 'selector does not match template labels',
      path: 'deployments',
      obj: { ...deployment('bad2'), spec: { ...deployment('bad2').spec, selector: { matchLabels: { app: 'other' } } } },
      field: 'spec.template.metadata.labels',
    },
    { name: 'uppercase name', path: 'configmaps', obj: { metadata: { name: 'Bad_Name' } }, field: 'metadata.name' },
    { name: 'pod without containers', path: 'pods', obj: { metadata: { name: 'bad3' }, spec: { containers: [] } }, field: 'spec.containers' },
    {
      name: 'duplicate container names',
      path: 'pods',
      obj: { metadata: { name: 'bad4' }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] } },
      field: 'spec.containers[1].name',
    },
    {
      name: 'container port out of range',
      path: 'pods',
      obj: { metadata: { name: 'bad5' }, spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] } },
      field: 'spec.containers[0].ports[0].containerPort',
    },
    {
      name: 'requests above limits',
      path: 'pods',
      obj: {
        metadata: { name: 'bad6' },
        spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } }] },
      },
      field: 'spec.containers[0].resources.requests[memory]',
    },
    { name: 'bad label value', path: 'configmaps', obj: { metadata: { name: 'bad7', labels: { a: 'not valid!' } } }, field: 'metadata.labels' },
  ];

  it.each(bad)('422 Invalid for $name, naming the field, and nothing stored', async ({ path, obj, field }) => {
    const base = path === 'deployments' ? `/apis/apps/v1/namespaces/${NS}` : `/api/v1/namespaces/${NS}`;
    const res = await http('POST', `${base}/${path}`, obj);
    expect(res.status, res.text).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.causes.map((c: any) => c.field)).toContain(field);
    expect((await http('GET', `${base}/${path}/${obj.metadata.name}`)).status).toBe(404);
  });

  it('malformed JSON and YAML are 400 BadRequest; an unknown media type is 415', async () => {
    const json = await http('POST', `/api/v1/namespaces/${NS}/configmaps`, '{"metadata": {', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(json.body.reason).toBe('BadRequest');
    const yaml = await http('POST', `/api/v1/namespaces/${NS}/configmaps`, 'metadata: [unclosed', { 'content-type': 'application/yaml' });
    expect(yaml.status).toBe(400);
    const other = await http('POST', `/api/v1/namespaces/${NS}/configmaps`, 'x', { 'content-type': 'text/csv' });
    expect(other.status).toBe(415);
    expect(other.body.reason).toBe('UnsupportedMediaType');
  });

  it('a body over the size limit is 413', async () => {
    const big = { metadata: { name: 'big' }, data: { a: 'x'.repeat(4 * 1024 * 1024) } };
    const res = await http('POST', `/api/v1/namespaces/${NS}/configmaps`, big);
    expect(res.status).toBe(413);
    expect(res.body.kind).toBe('Status');
  });

  it('accepts YAML bodies', async () => {
    const res = await http('POST', `/api/v1/namespaces/${NS}/configmaps`, 'metadata:\n  name: from-yaml\ndata:\n  k: v\n', {
      'content-type': 'application/yaml',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.data).toEqual({ k: 'v' });
  });

  it('fieldValidation=Strict refuses unknown fields; Warn warns and drops them', async () => {
    const obj = { metadata: { name: 'strict' }, data: { a: '1' }, bogus: true };
    const strict = await http('POST', `/api/v1/namespaces/${NS}/configmaps?fieldValidation=Strict`, obj);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "bogus"');
    const warn = await http('POST', `/api/v1/namespaces/${NS}/configmaps?fieldValidation=Warn`, obj);
    expect(warn.status).toBe(201);
    expect(String(warn.headers.warning)).toContain('unknown field');
    expect(warn.body.bogus).toBeUndefined();
  });

  it('dryRun=All validates and answers but stores nothing', async () => {
    const res = await http('POST', `/api/v1/namespaces/${NS}/configmaps?dryRun=All`, { metadata: { name: 'dry' } });
    expect(res.status).toBe(201);
    expect((await http('GET', `/api/v1/namespaces/${NS}/configmaps/dry`)).status).toBe(404);
  });
});

describe('namespaces', () => {
  it('the system namespaces exist from the first start', async () => {
    const names = (await http('GET', '/api/v1/namespaces')).body.items.map((i: any) => i.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
  });

  it('objects in a missing namespace are refused with 404, in a terminating one with 403', async () => {
    const missing = await http('POST', '/api/v1/namespaces/nowhere/configmaps', { metadata: { name: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('namespaces "nowhere" not found');
    await http('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await http('DELETE', '/api/v1/namespaces/doomed');
    const terminating = await http('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'x' } });
    expect(terminating.status).toBe(403);
    expect(terminating.body.message).toContain('because it is being terminated');
  });
});

describe('selectors and paging', () => {
  beforeAll(async () => {
    await http('POST', '/api/v1/namespaces', { metadata: { name: 'sel' } });
    for (let i = 0; i < 25; i++) {
      const tier = i % 2 === 0 ? 'front' : 'back';
      await http('POST', '/api/v1/namespaces/sel/configmaps', { metadata: { name: `cm-${String(i).padStart(2, '0')}`, labels: { tier, n: String(i) } } });
    }
  });

  it.each([
    ['tier=front', 13],
    ['tier!=front', 12],
    ['tier in (front,back)', 25],
    ['tier notin (front)', 12],
    ['n', 25],
    ['!n', 0],
    ['tier=back,n in (1,3,4)', 2],
  ])('labelSelector %s matches %i', async (sel, count) => {
    const res = await http('GET', `/api/v1/namespaces/sel/configmaps?labelSelector=${encodeURIComponent(sel)}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(count);
  });

  it('fieldSelector metadata.name, and 400 for an unsupported field', async () => {
    const res = await http('GET', `/api/v1/namespaces/sel/configmaps?fieldSelector=metadata.name%3Dcm-03`);
    expect(res.body.items.map((i: any) => i.metadata.name)).toEqual(['cm-03']);
    const bad = await http('GET', `/api/v1/namespaces/sel/configmaps?fieldSelector=spec.foo%3Dx`);
    expect(bad.status).toBe(400);
  });

  it('pages with limit and continue, each page at the first page`s revision', async () => {
    const seen: string[] = [];
    let cont = '';
    let pages = 0;
    let rv = '';
    do {
      const res = await http('GET', `/api/v1/namespaces/sel/configmaps?limit=10${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      expect(res.status).toBe(200);
      rv ||= res.body.metadata.resourceVersion;
      expect(res.body.metadata.resourceVersion).toBe(rv);
      seen.push(...res.body.items.map((i: any) => i.metadata.name));
      cont = res.body.metadata.continue ?? '';
      pages++;
      if (pages === 1) await http('POST', '/api/v1/namespaces/sel/configmaps', { metadata: { name: 'cm-zz-late' } });
    } while (cont && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });

  it('paging with a label selector fills pages with matches', async () => {
    const res = await http('GET', `/api/v1/namespaces/sel/configmaps?limit=5&labelSelector=tier%3Dback`);
    expect(res.body.items).toHaveLength(5);
    expect(res.body.items.every((i: any) => i.metadata.labels.tier === 'back')).toBe(true);
    expect(res.body.metadata.continue).toBeTruthy();
  });

  it('a malformed continue token is a 400', async () => {
    const res = await http('GET', `/api/v1/namespaces/sel/configmaps?limit=5&continue=garbage`);
    expect(res.status).toBe(400);
  });

  it('resourceVersion=0 lists from the watch cache', async () => {
    const res = await http('GET', `/api/v1/namespaces/sel/configmaps?resourceVersion=0`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(25);
  });
});

describe('generation, status and scale', () => {
  const base = `/apis/apps/v1/namespaces/${NS}/deployments`;

  it('generation moves on spec changes only', async () => {
    const d = (await http('POST', base, deployment('gen'))).body;
    expect(d.metadata.generation).toBe(1);
    const labelled = await http('PATCH', `${base}/gen`, { metadata: { labels: { x: 'y' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await http('PATCH', `${base}/gen`, { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    expect(scaled.body.metadata.generation).toBe(2);
  });

  it('the main resource ignores status; /status ignores spec', async () => {
    await http('POST', base, deployment('halves'));
    const viaMain = await http('PATCH', `${base}/halves`, { status: { replicas: 9 } }, { 'content-type': 'application/merge-patch+json' });
    expect(viaMain.body.status?.replicas).toBeUndefined();
    const viaStatus = await http(
      'PATCH',
      `${base}/halves/status`,
      { spec: { replicas: 7 }, status: { replicas: 3, observedGeneration: 1 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(viaStatus.status, viaStatus.text).toBe(200);
    expect(viaStatus.body.status.replicas).toBe(3);
    expect(viaStatus.body.spec.replicas).toBe(2);
    const cur = (await http('GET', `${base}/halves`)).body;
    const put = await http('PUT', `${base}/halves/status`, { ...cur, spec: { ...cur.spec, replicas: 11 }, status: { replicas: 4 } });
    expect(put.body.spec.replicas).toBe(2);
    expect(put.body.status.replicas).toBe(4);
  });

  it('scale reads and writes spec.replicas through autoscaling/v1 Scale', async () => {
    await http('POST', base, deployment('scaled', 2));
    const scale = await http('GET', `${base}/scaled/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { selector: 'app=scaled' } });
    // kubectl scale sends a PUT without a Content-Type.
    const put = await http('PUT', `${base}/scaled/scale`, JSON.stringify({ ...scale.body, spec: { replicas: 6 } }), { 'content-type': '' });
    expect(put.status, put.text).toBe(200);
    expect(put.body.spec.replicas).toBe(6);
    const patched = await http('PATCH', `${base}/scaled/scale`, { spec: { replicas: 1 } }, { 'content-type': 'application/merge-patch+json' });
    expect(patched.body.spec.replicas).toBe(1);
    expect((await http('GET', `${base}/scaled`)).body.spec.replicas).toBe(1);
    const stale = await http('PUT', `${base}/scaled/scale`, { ...scale.body, spec: { replicas: 3 } });
    expect(stale.status).toBe(409);
  });
});

describe('pods: binding and graceful deletion', () => {
  const base = `/api/v1/namespaces/${NS}/pods`;

  it('binds once; a second binding is a 409', async () => {
    await http('POST', base, pod('bindme'));
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bindme' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } };
    const first = await http('POST', `${base}/bindme/binding`, binding);
    expect(first.status, first.text).toBe(201);
    const got = (await http('GET', `${base}/bindme`)).body;
    expect(got.spec.nodeName).toBe('n1');
    expect(got.status.conditions.find((c: any) => c.type === 'PodScheduled').status).toBe('True');
    const second = await http('POST', `${base}/bindme/binding`, { ...binding, target: { kind: 'Node', name: 'n2' } });
    expect(second.status).toBe(409);
    expect(second.body.reason).toBe('Conflict');
  });

  it('a bound pod is deleted gracefully; a grace-0 delete removes it', async () => {
    await http('POST', base, pod('graceful'));
    await http('POST', `${base}/graceful/binding`, { metadata: { name: 'graceful' }, target: { kind: 'Node', name: 'n1' } });
    const first = await http('DELETE', `${base}/graceful`);
    expect(first.status).toBe(200);
    expect(first.body.metadata.deletionTimestamp).toBeTruthy();
    expect(first.body.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await http('GET', `${base}/graceful`)).status).toBe(200);
    const now = await http('DELETE', `${base}/graceful?gracePeriodSeconds=0`);
    expect(now.status).toBe(200);
    expect((await http('GET', `${base}/graceful`)).status).toBe(404);
  });

  it('an unbound pod is deleted at once', async () => {
    await http('POST', base, pod('unbound'));
    await http('DELETE', `${base}/unbound`);
    expect((await http('GET', `${base}/unbound`)).status).toBe(404);
  });

  it('finalizers hold an object until they are removed', async () => {
    await http('POST', `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const del = await http('DELETE', `/api/v1/namespaces/${NS}/configmaps/held`);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    const release = await http('PATCH', `/api/v1/namespaces/${NS}/configmaps/held`, { metadata: { finalizers: null } }, {
      'content-type': 'application/merge-patch+json',
    });
    expect(release.status).toBe(200);
    expect((await http('GET', `/api/v1/namespaces/${NS}/configmaps/held`)).status).toBe(404);
  });

  it('delete preconditions: a wrong uid is a 409', async () => {
    await http('POST', `/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'pre' } });
    const res = await http('DELETE', `/api/v1/namespaces/${NS}/configmaps/pre`, { preconditions: { uid: 'not-it' } });
    expect(res.status).toBe(409);
    expect((await http('GET', `/api/v1/namespaces/${NS}/configmaps/pre`)).status).toBe(200);
  });

  it('deletecollection removes what the selector matches', async () => {
    await http('POST', '/api/v1/namespaces', { metadata: { name: 'dc' } });
    for (const [n, keep] of [['a', 'no'], ['b', 'no'], ['c', 'yes']]) {
      await http('POST', '/api/v1/namespaces/dc/configmaps', { metadata: { name: n, labels: { keep } } });
    }
    const res = await http('DELETE', '/api/v1/namespaces/dc/configmaps?labelSelector=keep%3Dno');
    expect(res.status).toBe(200);
    const left = (await http('GET', '/api/v1/namespaces/dc/configmaps')).body.items.map((i: any) => i.metadata.name);
    expect(left).toEqual(['c']);
  });
});

describe('services get cluster IPs from the range', () => {
  it('allocates distinct IPs in 10.96.0.0/12 and refuses one already taken', async () => {
    const base = `/api/v1/namespaces/${NS}/services`;
    const a = await http('POST', base, { metadata: { name: 'ip-a' }, spec: { ports: [{ port: 80 }] } });
    const b = await http('POST', base, { metadata: { name: 'ip-b' }, spec: { ports: [{ port: 80 }] } });
    expect(a.body.spec.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./);
    expect(a.body.spec.clusterIP).not.toBe(b.body.spec.clusterIP);
    expect(a.body.spec.type).toBe('ClusterIP');
    const taken = await http('POST', base, { metadata: { name: 'ip-c' }, spec: { clusterIP: a.body.spec.clusterIP, ports: [{ port: 80 }] } });
    expect(taken.status).toBe(422);
    await http('DELETE', `${base}/ip-a`);
    const reused = await http('POST', base, { metadata: { name: 'ip-d' }, spec: { clusterIP: a.body.spec.clusterIP, ports: [{ port: 80 }] } });
    expect(reused.status, reused.text).toBe(201);
  });
});

describe('authentication, health and metrics', () => {
  it('requests without a valid token get 401; health and version are open', async () => {
    const anon = httpFor({ ...cluster, token: 'wrong' });
    const res = await anon('GET', '/api/v1/namespaces');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const h = await anon('GET', p);
      expect(h.status).toBe(200);
      expect(h.text).toBe('ok');
    }
    expect((await anon('GET', '/version')).body.major).toBe('1');
  });

  it('/metrics counts requests by verb, resource and code', async () => {
    const res = await http('GET', '/metrics');
    expect(res.text).toMatch(/apiserver_request_total\{verb="create",resource="configmaps",subresource="",code="201"\} \d+/);
    expect(res.text).toContain('apiserver_request_duration_seconds_bucket');
    expect(res.text).toContain('etcd_request_duration_seconds_bucket');
  });
});

describe('no-op writes', () => {
  it('an apply or patch that changes nothing writes nothing: same resourceVersion and generation', async () => {
    const base = `/apis/apps/v1/namespaces/${NS}/deployments`;
    const d = deployment('noop');
    const created = (await http('POST', base, d)).body;
    const apply = () =>
      http('PATCH', `${base}/noop?fieldManager=test`, JSON.stringify(d), { 'content-type': 'application/apply-patch+yaml' });
    // The first apply records the new manager in managedFields (a write); the spec is unchanged.
    const first = await apply();
    expect(first.status, first.text).toBe(200);
    expect(first.body.metadata.generation).toBe(created.metadata.generation);
    expect(first.body.metadata.managedFields.map((m: any) => [m.manager, m.operation])).toContainEqual(['test', 'Apply']);
    for (let i = 0; i < 2; i++) {
      const res = await apply();
      expect(res.status, res.text).toBe(200);
      expect(res.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
      expect(res.body.metadata.generation).toBe(1);
    }
  });
});
