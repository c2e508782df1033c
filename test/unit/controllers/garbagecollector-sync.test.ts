// Sync fixture (STYLE §5.14): informer stores preloaded from in-memory lists, one syncItem call,
// the recorded API calls compared with the expected actions.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference, WatchEvent } from '../../../api/meta.js';
import { RESOURCES, type ResourceInfo } from '../../../api/registry.js';
import { InformerFactory } from '../../../client/informer-factory.js';
import { OwnerGraph, syncItem, type GcApi } from '../../../controllers/garbagecollector/index.js';

const ref = (o: KubeObject, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid!, blockOwnerDeletion: block });
const cm = (name: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', uid: `u-${name}`, resourceVersion: '1', ...meta } });
const deleting = { deletionTimestamp: '2024-01-01T00:00:00Z' };

function factoryWith(objs: KubeObject[]): InformerFactory {
  return new InformerFactory((res: ResourceInfo) => ({
    list: async () => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '1' }, items: res.plural === 'configmaps' ? objs : [] }),
    watch: (opts) => ({
      [Symbol.asyncIterator]: (): AsyncIterator<WatchEvent> => ({
        // The watch stays open without events until the informer stops.
        next: () => new Promise((r) => opts.signal.addEventListener('abort', () => r({ done: true, value: undefined }), { once: true })),
      }),
    }),
  }));
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => stop?.());

async function run(objs: KubeObject[], key: string, live: Record<string, KubeObject> = {}): Promise<string[]> {
  const factory = factoryWith(objs);
  const graph = new OwnerGraph(factory, RESOURCES);
  factory.start();
  await factory.waitForSync();
  stop = () => factory.stop();
  const calls: string[] = [];
  const enqueued: string[] = [];
  const api: GcApi = {
    getOwner: async (_ns, r) => (calls.push(`get ${r.name}`), live[r.name]),
    delete: async (_res, o, policy) => void calls.push(`delete ${o.metadata.name} ${policy}`),
    setOwnerRefs: async (_res, o, refs) => void calls.push(`refs ${o.metadata.name} [${refs.map((r) => r.name).join(',')}]`),
    removeFinalizer: async (_res, o, f) => void calls.push(`unfinalize ${o.metadata.name} ${f}`),
  };
  await syncItem({ graph, api, enqueue: (k) => enqueued.push(k) }, key);
  return [...calls, ...enqueued.map((k) => `enqueue ${k}`)];
}

const key = (name: string) => `configmaps.|ns/${name}`;

describe('syncItem', () => {
  const owner = cm('owner');
  const other = cm('other');
  const cases = [
    { name: 'owner cached: nothing', objs: [owner, cm('dep', { ownerReferences: [ref(owner)] })], key: 'dep', want: [] },
    { name: 'owner not cached and gone live: background delete', objs: [cm('dep', { ownerReferences: [ref(owner)] })], key: 'dep', want: ['get owner', 'delete dep Background'] },
    { name: 'owner not cached but present live (cache lag): nothing', objs: [cm('dep', { ownerReferences: [ref(owner)] })], key: 'dep', live: { owner }, want: ['get owner'] },
    { name: 'owner recreated with another uid: delete', objs: [cm('dep', { ownerReferences: [ref(owner)] })], key: 'dep', live: { owner: cm('owner', { uid: 'new' }) }, want: ['get owner', 'delete dep Background'] },
    { name: 'one owner gone, one live: drop the reference', objs: [other, cm('dep', { ownerReferences: [ref(owner), ref(other)] })], key: 'dep', want: ['get owner', 'refs dep [other]'] },
    {
      name: 'orphan: strip references, then the finalizer',
      objs: [cm('owner', { ...deleting, finalizers: ['orphan'] }), cm('d1', { ownerReferences: [ref(owner), ref(other)] }), other],
      key: 'owner',
      want: ['refs d1 [other]', 'unfinalize owner orphan'],
    },
    {
      name: 'foreground with a blocking dependent: dependents enqueued, finalizer kept',
      objs: [cm('owner', { ...deleting, finalizers: ['foregroundDeletion'] }), cm('d1', { ownerReferences: [ref(owner, true)] })],
      key: 'owner',
      want: ['enqueue configmaps.|ns/d1'],
    },
    { name: 'foreground with no dependents left: finalizer removed', objs: [cm('owner', { ...deleting, finalizers: ['foregroundDeletion'] })], key: 'owner', want: ['unfinalize owner foregroundDeletion'] },
    {
      name: 'dependent of a foreground owner with dependents of its own: foreground delete',
      objs: [cm('owner', { ...deleting, finalizers: ['foregroundDeletion'] }), cm('mid', { ownerReferences: [ref(owner, true)] }), cm('leaf', { ownerReferences: [ref(cm('mid'))] })],
      key: 'mid',
      want: ['delete mid Foreground'],
    },
    { name: 'object gone from the cache: nothing', objs: [], key: 'dep', want: [] },
  ];
  for (const tc of cases) it(tc.name, async () => expect(await run(tc.objs, key(tc.key), tc.live)).toEqual(tc.want));
});
