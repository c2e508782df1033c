// Which Services give a pod its variables (upstream getServiceEnvVarMap), and the Node routing
// that lets many hollow agents share one Node informer.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import type { Node, Service } from '../../../api/types/core.js';
import { FakeClock } from '../../../client/clock.js';
import { InformerFactory } from '../../../client/informer-factory.js';
import { IndexedStore } from '../../../client/store.js';
import { AgentInformers, serviceEnvServices } from '../../../kubelet/agent-informers.js';
import { FakeListerWatcher, settle } from '../client/fake-lister-watcher.js';

const svc = (ns: string, name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { namespace: ns, name }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } }) as Service & KubeObject;
const node = (name: string, rv: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, resourceVersion: rv } }) as unknown as KubeObject;

describe('serviceEnvServices', () => {
  const store = new IndexedStore<Service & KubeObject>();
  for (const s of [svc('default', 'kubernetes'), svc('default', 'web'), svc('shop', 'cart'), svc('other', 'db')]) store.upsert(s);
  const names = (ns: string) => serviceEnvServices(store, ns).map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort();
  it.each([
    ['default', ['default/kubernetes', 'default/web']],
    ['shop', ['default/kubernetes', 'shop/cart']],
    ['empty', ['default/kubernetes']],
  ])('a pod in %s gets %j', (ns, want) => {
    expect(names(ns)).toEqual(want);
  });
});

describe('AgentInformers.node', () => {
  it('routes each Node change to the agents of that name only', async () => {
    const lw = new FakeListerWatcher();
    lw.lists.push({ apiVersion: 'v1', kind: 'NodeList', metadata: { resourceVersion: '1' }, items: [node('a', '1'), node('b', '1')] });
    const services = new FakeListerWatcher();
    services.lists.push({ apiVersion: 'v1', kind: 'ServiceList', metadata: { resourceVersion: '1' }, items: [] });
    const informers = new AgentInformers(new InformerFactory((res) => (res.plural === 'nodes' ? lw : services), { clock: new FakeClock(0) }));
    const seen: string[] = [];
    informers.node('a').onChange((n: Node) => seen.push(`a:${n.metadata.resourceVersion}`));
    const stopB = informers.node('b').onChange((n: Node) => seen.push(`b:${n.metadata.resourceVersion}`));
    informers.start();
    await informers.waitForSync();
    lw.current.push({ type: 'MODIFIED', object: node('a', '2') });
    await settle();
    stopB();
    lw.current.push({ type: 'MODIFIED', object: node('b', '3') });
    await settle();
    expect(seen).toEqual(['a:1', 'b:1', 'a:2']);
    expect(informers.node('a').get()?.metadata.resourceVersion).toBe('2');
    await informers.stop();
  });
});
