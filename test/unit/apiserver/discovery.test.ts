import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../api/registry.js';
import { aggregatedVersion, discoveryRoutes } from '../../../apiserver/discovery.js';
import { versionRoutes } from '../../../apiserver/version.js';

const ACCEPT_V2 =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const ACCEPT_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface Resource {
  resource: string;
  scope: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  responseKind: { group: string; version: string; kind: string };
  subresources?: { subresource: string; responseKind: { group: string; kind: string }; verbs: string[] }[];
}
interface GroupDiscovery {
  metadata: { name: string };
  versions: { version: string; freshness: string; resources: Resource[] }[];
}

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(discoveryRoutes);
  await app.register(versionRoutes);
  await app.ready();
});
afterAll(() => app.close());

async function get(url: string, accept = 'application/json, */*') {
  const res = await app.inject({ method: 'GET', url, headers: { accept } });
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() };
}

describe('aggregatedVersion', () => {
  it.each([
    [ACCEPT_V2, 'v2'],
    [ACCEPT_V2BETA1, 'v2beta1'],
    ['application/json', undefined],
    ['application/json, */*', undefined],
    [undefined, undefined],
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=Table', undefined],
  ])('%s -> %s', (accept, want) => {
    expect(aggregatedVersion(accept)).toBe(want);
  });
});

describe('aggregated discovery', () => {
  it.each([
    ['/api', ACCEPT_V2, 'v2'],
    ['/apis', ACCEPT_V2, 'v2'],
    ['/api?timeout=32s', ACCEPT_V2BETA1, 'v2beta1'],
    ['/apis?timeout=32s', ACCEPT_V2BETA1, 'v2beta1'],
  ])('%s with %s answers %s with the aggregated content type', async (url, accept, v) => {
    const res = await get(url, accept);
    expect(res.status).toBe(200);
    expect(res.type).toBe(`application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
    expect(res.body.kind).toBe('APIGroupDiscoveryList');
    expect(res.body.apiVersion).toBe(`apidiscovery.k8s.io/${v}`);
  });

  it('/api holds only the core group with every core resource', async () => {
    const items = (await get('/api', ACCEPT_V2)).body.items as GroupDiscovery[];
    expect(items.map((i) => i.metadata.name)).toEqual(['']);
    const names = items[0]!.versions[0]!.resources.map((r) => r.resource);
    expect(names.sort()).toEqual(RESOURCES.filter((r) => r.group === '').map((r) => r.plural).sort());
  });

  it('/apis lists each named group once, with versions marked Current', async () => {
    const items = (await get('/apis', ACCEPT_V2)).body.items as GroupDiscovery[];
    const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => r.group))];
    expect(items.map((i) => i.metadata.name)).toEqual(groups);
    expect(items.every((i) => i.versions.every((v) => v.freshness === 'Current'))).toBe(true);
  });

  it('deployments carry scope, verbs, shortNames, categories and the scale subresource', async () => {
    const items = (await get('/apis', ACCEPT_V2)).body.items as GroupDiscovery[];
    const apps = items.find((i) => i.metadata.name === 'apps')!;
    const deploy = apps.versions[0]!.resources.find((r) => r.resource === 'deployments')!;
    expect(deploy).toMatchObject({
      scope: 'Namespaced',
      singularResource: 'deployment',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
    });
    const scale = deploy.subresources!.find((s) => s.subresource === 'scale')!;
    expect(scale).toEqual({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
  });

  it('nodes and namespaces are cluster-scoped', async () => {
    const core = ((await get('/api', ACCEPT_V2)).body.items as GroupDiscovery[])[0]!.versions[0]!.resources;
    for (const name of ['nodes', 'namespaces']) expect(core.find((r) => r.resource === name)!.scope).toBe('Cluster');
    expect(core.find((r) => r.resource === 'pods')!.scope).toBe('Namespaced');
  });
});

describe('legacy discovery', () => {
  it('GET /api without the aggregated Accept is APIVersions', async () => {
    const res = await get('/api');
    expect(res.type.startsWith('application/json')).toBe(true);
    expect(res.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect(res.body.serverAddressByClientCIDRs[0].clientCIDR).toBe('0.0.0.0/0');
  });

  it('GET /apis without the aggregated Accept is APIGroupList', async () => {
    const { body } = await get('/apis', 'application/json');
    expect(body.kind).toBe('APIGroupList');
    const apps = body.groups.find((g: { name: string }) => g.name === 'apps');
    expect(apps).toEqual({
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
  });

  it('GET /apis/apps is an APIGroup', async () => {
    const { body } = await get('/apis/apps');
    expect(body).toMatchObject({ kind: 'APIGroup', name: 'apps', preferredVersion: { version: 'v1' } });
  });

  it.each([
    ['pods', { singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] }],
    ['pods/log', { namespaced: true, kind: 'Pod', verbs: ['get'] }],
    ['pods/status', { kind: 'Pod', verbs: ['get', 'patch', 'update'] }],
    ['pods/binding', { kind: 'Binding', verbs: ['create'] }],
    ['pods/eviction', { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }],
    ['nodes', { namespaced: false, kind: 'Node', shortNames: ['no'] }],
    ['namespaces', { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }],
  ])('GET /api/v1 lists %s', async (name, want) => {
    const { body } = await get('/api/v1?timeout=32s');
    expect(body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(body.resources.find((r: { name: string }) => r.name === name)).toMatchObject(want);
  });

  it('pods/status names no group because it is served in its own group-version', async () => {
    const { body } = await get('/api/v1');
    expect(body.resources.find((r: { name: string }) => r.name === 'pods/status').group).toBeUndefined();
  });

  it('GET /apis/apps/v1 lists deployments/scale as autoscaling/v1 Scale', async () => {
    const { body } = await get('/apis/apps/v1');
    expect(body.groupVersion).toBe('apps/v1');
    expect(body.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  });

  it.each(['/api/v2', '/apis/nope', '/apis/apps/v9', '/apis/nope/v1'])('%s is a 404 Status', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
  });
});

describe('version', () => {
  it('reports minor 33 so the kubectl dispatcher picks kubectl.1.33', async () => {
    const { body } = await get('/version?timeout=5s');
    expect(body).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.0-skiff', platform: 'linux/amd64' });
    expect(body.goVersion).toBe(`node${process.version}`);
  });
});
