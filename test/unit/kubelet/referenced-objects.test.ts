// The per-object watches of the ConfigMaps and Secrets a node's pods use (upstream's watch-based
// manager): reference counting by pod, change notification, and the GET fallback on a 403.
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/meta.js';
import type { Pod } from '../../../api/types/pod.js';
import { FakeClock } from '../../../client/clock.js';
import type { RestClient } from '../../../client/rest.js';
import { podObjectRefs, ReferencedObjects, type ObjectKind } from '../../../kubelet/referenced-objects.js';
import { FakeListerWatcher, settle } from '../client/fake-lister-watcher.js';

function cm(name: string, rv: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: rv }, data } as KubeObject;
}

function pod(uid: string, spec: Partial<Pod['spec']>): Pod {
  return { metadata: { name: uid, namespace: 'ns', uid }, spec: { containers: [{ name: 'app' }], ...spec } } as Pod;
}

const usesCm = (uid: string, name: string) => pod(uid, { volumes: [{ name: 'v', configMap: { name } }] });

/** setup: one scripted ListerWatcher per object key; a client whose get answers from `objects`. */
function setup(objects: Record<string, KubeObject> = {}) {
  const lws = new Map<string, FakeListerWatcher>();
  const changes: string[][] = [];
  const gets: string[] = [];
  const errors: string[] = [];
  const client = {
    get: async (res: { plural: string }, ns: string, name: string) => {
      gets.push(`${res.plural}/${ns}/${name}`);
      const o = objects[`${res.plural}/${ns}/${name}`];
      if (!o) throw new StatusError(404, 'NotFound', `${res.plural} "${name}" not found`);
      return o;
    },
  } as unknown as RestClient;
  const lwFor = (kind: ObjectKind, ns: string, name: string) => {
    const k = `${kind}/${ns}/${name}`;
    let lw = lws.get(k);
    if (!lw) lws.set(k, (lw = new FakeListerWatcher()));
    return lw;
  };
  const objs = new ReferencedObjects({ client, clock: new FakeClock(0), onChange: (uids) => changes.push(uids.sort()), onError: (_e, w) => errors.push(w), lw: lwFor });
  return { objs, lwFor, changes, gets, errors };
}

const list = (rv: string, ...items: KubeObject[]) => ({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: rv }, items });

describe('podObjectRefs', () => {
  it('collects volumes, projected sources, env and envFrom of init and app containers, once each', () => {
    const p = pod('u', {
      volumes: [
        { name: 'a', configMap: { name: 'cm1' } },
        { name: 'b', secret: { secretName: 's1' } },
        { name: 'c', projected: { sources: [{ configMap: { name: 'cm2' } }, { secret: { name: 's1' } }] } },
      ],
      initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 's2' } }] }],
      containers: [{ name: 'app', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm1', key: 'k' } } }] }],
    } as Partial<Pod['spec']>);
    expect(podObjectRefs(p).map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['configmaps/cm1', 'configmaps/cm2', 'secrets/s1', 'secrets/s2']);
  });
});

describe('ReferencedObjects', () => {
  it('reads from the watch once listed; a change tells every pod using the object, the first list does not', async () => {
    const { objs, lwFor, changes, gets } = setup();
    const lw = lwFor('configmaps', 'ns', 'app');
    lw.lists.push(list('10', cm('app', '10', { k: 'v1' })));
    objs.setPod(usesCm('p1', 'app'));
    objs.setPod(usesCm('p2', 'app'));
    expect(((await objs.configMap('ns', 'app')) as KubeObject & { data: object }).data).toEqual({ k: 'v1' });
    expect(changes).toEqual([]);
    lw.current.push({ type: 'MODIFIED', object: cm('app', '11', { k: 'v2' }) });
    await settle();
    expect(changes).toEqual([['p1', 'p2']]);
    expect(((await objs.configMap('ns', 'app')) as KubeObject & { data: object }).data).toEqual({ k: 'v2' });
    expect(gets).toEqual([]);
    expect(lw.listCalls).toBe(1); // one watch for both pods
    await objs.stop();
  });

  it('an object that does not exist yet reads as absent, and its creation is a change', async () => {
    const { objs, lwFor, changes } = setup();
    const lw = lwFor('configmaps', 'ns', 'later');
    lw.lists.push(list('5'));
    objs.setPod(usesCm('p1', 'later'));
    expect(await objs.configMap('ns', 'later')).toBeUndefined();
    lw.current.push({ type: 'ADDED', object: cm('later', '6') });
    await settle();
    expect(changes).toEqual([['p1']]);
    await objs.stop();
  });

  it('the last pod to let go ends the watch; a pod that changes what it uses moves its reference', async () => {
    const { objs, lwFor } = setup();
    lwFor('configmaps', 'ns', 'a').lists.push(list('1', cm('a', '1')));
    lwFor('configmaps', 'ns', 'b').lists.push(list('1', cm('b', '1')));
    objs.setPod(usesCm('p1', 'a'));
    objs.setPod(usesCm('p2', 'a'));
    await settle();
    expect(objs.watching).toBe(1);
    objs.removePod('p1');
    expect(objs.watching).toBe(1);
    objs.setPod(usesCm('p2', 'b'));
    await settle();
    expect(objs.watching).toBe(1);
    await objs.configMap('ns', 'b');
    objs.removePod('p2');
    expect(objs.watching).toBe(0);
    await objs.stop();
  });

  it('a refused watch (403) falls back to a GET per read and says so once', async () => {
    const { objs, lwFor, gets, errors } = setup({ 'configmaps/ns/app': cm('app', '3', { k: 'got' }) });
    lwFor('configmaps', 'ns', 'app').lists.push(new StatusError(403, 'Forbidden', 'configmaps is forbidden'));
    objs.setPod(usesCm('p1', 'app'));
    await settle();
    expect(objs.watching).toBe(0);
    expect(((await objs.configMap('ns', 'app')) as KubeObject & { data: object }).data).toEqual({ k: 'got' });
    expect(await objs.configMap('ns', 'app')).toBeDefined();
    expect(gets).toEqual(['configmaps/ns/app', 'configmaps/ns/app']);
    expect(errors).toHaveLength(1);
    // Later objects of the refused kind go straight to GET: no list attempt, no second report.
    const later = lwFor('configmaps', 'ns', 'later');
    objs.setPod(usesCm('p2', 'later'));
    await settle();
    expect(await objs.configMap('ns', 'later')).toBeUndefined();
    expect(later.listCalls).toBe(0);
    expect(errors).toHaveLength(1);
    await objs.stop();
  });

  it('an object no pod registered is read with a GET; a missing one is absent', async () => {
    const { objs, gets } = setup();
    expect(await objs.secret('ns', 'nope')).toBeUndefined();
    expect(gets).toEqual(['secrets/ns/nope']);
    await objs.stop();
  });
});
