// Hollow nodes share one pod informer (ISSUE-7 hollow mode): each node's view holds exactly the
// pods bound to it, and every event reaches the handlers of that node alone, with the informer
// contract a real agent's own field-selected informer gives (replay on register, delete on leave).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { FakeClock } from '../../../client/clock.js';
import { InformerFactory } from '../../../client/informer-factory.js';
import { AgentInformers, type PodObject } from '../../../kubelet/agent-informers.js';
import { FakeListerWatcher, settle } from '../client/fake-lister-watcher.js';

const pod = (name: string, nodeName: string, rv: string) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, uid: `u-${name}`, resourceVersion: rv }, spec: { nodeName, containers: [] } }) as unknown as KubeObject;

const emptyList = (kind: string) => ({ apiVersion: 'v1', kind, metadata: { resourceVersion: '1' }, items: [] });

function sharedWith(pods: FakeListerWatcher): AgentInformers {
  const other = (kind: string) => {
    const lw = new FakeListerWatcher();
    lw.lists.push(emptyList(kind));
    return lw;
  };
  const [services, nodes] = [other('ServiceList'), other('NodeList')];
  const clock = new FakeClock(0);
  const all = new InformerFactory((res) => (res.plural === 'nodes' ? nodes : services), { clock });
  return new AgentInformers(all, all, new InformerFactory(() => pods, { clock }));
}

/** record collects what one node's handlers are told, as `event:name@rv`. */
function record(informers: AgentInformers, node: string): string[] {
  const seen: string[] = [];
  const tag = (p: PodObject) => `${p.metadata.name}@${p.metadata.resourceVersion}`;
  informers.podsFor(node)!.source.addEventHandler({
    onAdd: (p) => seen.push(`add:${tag(p)}`),
    onUpdate: (_o, p) => seen.push(`update:${tag(p)}`),
    onDelete: (p) => seen.push(`delete:${tag(p)}`),
  });
  return seen;
}

describe('AgentInformers.podsFor', () => {
  it('gives each node its own pods and routes events by spec.nodeName', async () => {
    const lw = new FakeListerWatcher();
    lw.lists.push({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: [pod('a1', 'a', '1'), pod('b1', 'b', '1')] });
    const informers = sharedWith(lw);
    const a = record(informers, 'a');
    const b = record(informers, 'b');
    informers.start();
    expect(await informers.podsFor('a')!.feed.waitForSync()).toBe(true);
    await settle(); // the watch opens after the list
    lw.current.push(
      { type: 'ADDED', object: pod('a2', 'a', '2') },
      { type: 'MODIFIED', object: pod('b1', 'b', '3') },
      { type: 'DELETED', object: pod('a1', 'a', '4') },
    );
    await settle();
    expect(a).toEqual(['add:a1@1', 'add:a2@2', 'delete:a1@4']);
    expect(b).toEqual(['add:b1@1', 'update:b1@3']);
    const view = informers.podsFor('a')!.source.store;
    expect(view.list().map((p) => p.metadata.name)).toEqual(['a2']);
    expect(view.get('default/a2')?.metadata.name).toBe('a2');
    expect(view.get('default/b1')).toBeUndefined();
    expect(view.getByName('default', 'b1')).toBeUndefined();
    await informers.stop();
  });

  it('replays cached pods to a handler added later, and a stopped feed hears nothing more', async () => {
    const lw = new FakeListerWatcher();
    lw.lists.push({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: [pod('c1', 'c', '1')] });
    const informers = sharedWith(lw);
    informers.start();
    await informers.waitForSync();
    const pods = informers.podsFor('c')!;
    const seen: string[] = [];
    pods.source.addEventHandler({ onAdd: (p) => seen.push(p.metadata.name ?? ''), onUpdate: (_o, p) => seen.push(p.metadata.name ?? '') });
    await pods.feed.stop();
    lw.current.push({ type: 'MODIFIED', object: pod('c1', 'c', '2') });
    await settle();
    expect(seen).toEqual(['c1']);
    await informers.stop();
  });

  it('moves a pod seen under another node name from one view to the other', async () => {
    const lw = new FakeListerWatcher();
    lw.lists.push({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: [pod('p', 'x', '1')] });
    const informers = sharedWith(lw);
    const x = record(informers, 'x');
    const y = record(informers, 'y');
    informers.start();
    await informers.waitForSync();
    lw.current.push({ type: 'MODIFIED', object: pod('p', 'y', '2') });
    await settle();
    expect(x).toEqual(['add:p@1', 'delete:p@1']);
    expect(y).toEqual(['add:p@2']);
    await informers.stop();
  });

  it('is undefined when pods are not shared (a real agent watches its own)', () => {
    const lw = new FakeListerWatcher();
    const informers = new AgentInformers(new InformerFactory(() => lw, { clock: new FakeClock(0) }));
    expect(informers.podsFor('a')).toBeUndefined();
  });
});
