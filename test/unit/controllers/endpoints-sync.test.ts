// Sync fixture for the Endpoints controller: listers preloaded, syncEndpoints run once, the
// recorded client calls compared with the expected actions.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { IndexedStore } from '../../../client/store.js';
import type { RestClient } from '../../../client/rest.js';
import { syncEndpoints, type EndpointsListers } from '../../../controllers/endpoints/index.js';

type Any = KubeObject & Record<string, never>;
const svc = (selector?: Record<string, string>): KubeObject => ({ metadata: { name: 'web', namespace: 'ns' }, spec: { selector, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } });
const pod: KubeObject = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { app: 'web' } },
  spec: { containers: [] },
  status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
};
const ep = (subsets: unknown[]): KubeObject => ({ metadata: { name: 'web', namespace: 'ns', resourceVersion: '3', labels: {} }, subsets });
const wanted = [{ addresses: [{ ip: '10.0.0.1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u' } }], ports: [{ port: 8080, protocol: 'TCP' }] }];

function store(objs: KubeObject[]): IndexedStore<Any> {
  const s = new IndexedStore<Any>();
  for (const o of objs) s.upsert(o as Any);
  return s;
}

async function run(services: KubeObject[], endpoints: KubeObject[]): Promise<string[]> {
  const calls: string[] = [];
  const client = {
    create: async (_r: unknown, ns: string, o: KubeObject) => calls.push(`create ${ns}/${o.metadata.name} ${JSON.stringify(o.subsets)}`),
    update: async (_r: unknown, o: KubeObject) => calls.push(`update ${o.metadata.namespace}/${o.metadata.name} rv=${o.metadata.resourceVersion}`),
    delete: async (_r: unknown, ns: string, name: string) => calls.push(`delete ${ns}/${name}`),
  } as unknown as RestClient;
  const l = { services: store(services), pods: store([pod]), endpoints: store(endpoints) } as unknown as EndpointsListers;
  await syncEndpoints(client, l, 'ns/web');
  return calls;
}

describe('syncEndpoints', () => {
  const cases = [
    { name: 'creates missing Endpoints', services: [svc({ app: 'web' })], endpoints: [], want: [`create ns/web ${JSON.stringify(wanted)}`] },
    { name: 'unchanged: no write', services: [svc({ app: 'web' })], endpoints: [ep(wanted)], want: [] },
    { name: 'stale: update guarded by the cached resourceVersion', services: [svc({ app: 'web' })], endpoints: [ep([])], want: ['update ns/web rv=3'] },
    { name: 'Service gone: Endpoints deleted', services: [], endpoints: [ep(wanted)], want: ['delete ns/web'] },
    { name: 'Service gone, no Endpoints: nothing', services: [], endpoints: [], want: [] },
    { name: 'selectorless Service: user-managed Endpoints left alone', services: [svc(undefined)], endpoints: [ep([])], want: [] },
  ];
  for (const tc of cases) it(tc.name, async () => expect(await run(tc.services, tc.endpoints)).toEqual(tc.want));
});
