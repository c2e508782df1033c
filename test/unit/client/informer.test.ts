import { afterEach, describe, expect, it } from 'vitest';
import { StatusError } from '../../../api/errors.js';
import { objectKey, type KubeObject } from '../../../api/meta.js';
import { mustResource } from '../../../api/registry.js';
import { FakeClock } from '../../../client/clock.js';
import { Informer } from '../../../client/informer.js';
import { InformerFactory } from '../../../client/informer-factory.js';
import { fieldIndexer } from '../../../client/store.js';
import { FakeListerWatcher, pod, podList, settle } from './fake-lister-watcher.js';

function recorder(inf: Informer): string[] {
  const log: string[] = [];
  inf.addEventHandler({
    onAdd: (o) => log.push(`add ${objectKey(o)}@${o.metadata.resourceVersion}`),
    onUpdate: (old, cur) => log.push(`update ${objectKey(cur)}@${old.metadata.resourceVersion}->${cur.metadata.resourceVersion}`),
    onDelete: (o, unknown) => log.push(`delete ${objectKey(o)}@${o.metadata.resourceVersion}${unknown ? ' tombstone' : ''}`),
  });
  return log;
}

const expired = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old' };
const running: Informer[] = [];

function setup(): { lw: FakeListerWatcher; clock: FakeClock; inf: Informer; log: string[]; errors: unknown[] } {
  const lw = new FakeListerWatcher();
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const inf = new Informer(lw, {
    clock,
    random: () => 0,
    onError: (e) => errors.push(e),
    indexers: { node: fieldIndexer<KubeObject>('spec.nodeName') },
  });
  running.push(inf);
  return { lw, clock, inf, log: recorder(inf), errors };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.stop()));
});

describe('Informer', () => {
  it('lists, syncs, then watches from the list resourceVersion', async () => {
    const { lw, inf, log } = setup();
    lw.lists.push(podList('10', pod('a', '5', { node: 'n1' }), pod('b', '6', { ns: 'kube-system' })));
    expect(inf.hasSynced()).toBe(false);
    inf.start();
    expect(await inf.waitForSync()).toBe(true);
    await settle();
    expect(log).toEqual(['add default/a@5', 'add kube-system/b@6']);
    expect(lw.watches[0].opts).toMatchObject({ resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 300 });
    expect(inf.lister.listByNamespace('kube-system').map((o) => o.metadata.name)).toEqual(['b']);
    expect(inf.lister.byIndex('node', 'n1').map((o) => o.metadata.name)).toEqual(['a']);
  });

  it('applies watch events to the store before calling handlers', async () => {
    const { lw, inf, log } = setup();
    lw.lists.push(podList('10', pod('a', '5')));
    const seen: (string | undefined)[] = [];
    inf.onUpdate((_, cur) => seen.push(inf.lister.get(objectKey(cur))?.metadata.resourceVersion));
    inf.start();
    await settle();
    lw.current.push(
      { type: 'ADDED', object: pod('c', '11', { node: 'n2' }) },
      { type: 'MODIFIED', object: pod('a', '12', { node: 'n2' }) },
      { type: 'DELETED', object: pod('c', '13') },
    );
    await settle();
    expect(log.slice(1)).toEqual(['add default/c@11', 'update default/a@5->12', 'delete default/c@13']);
    expect(seen).toEqual(['12']);
    expect(inf.lister.keys()).toEqual(['default/a']);
    expect(inf.lister.byIndex('node', 'n2').map((o) => o.metadata.name)).toEqual(['a']);
    expect(inf.lastSyncResourceVersion()).toBe('13');
  });

  it('resumes a dropped watch from the last resourceVersion, advanced by bookmarks, after back-off', async () => {
    const { lw, clock, inf, errors } = setup();
    lw.lists.push(podList('10'));
    inf.start();
    await settle();
    lw.current.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '42' } } });
    lw.current.fail(new Error('socket hang up'));
    await settle();
    expect(errors.map(String)).toEqual(['Error: socket hang up']);
    expect(lw.watches).toHaveLength(1);
    clock.step(799);
    await settle();
    expect(lw.watches).toHaveLength(1);
    clock.step(1);
    await settle();
    expect(lw.watches.map((w) => w.opts.resourceVersion)).toEqual(['10', '42']);
    expect(lw.listCalls).toBe(1);
  });

  it('re-watches at once when a stream that delivered events ends normally', async () => {
    const { lw, inf } = setup();
    lw.lists.push(podList('10'));
    inf.start();
    await settle();
    lw.current.push({ type: 'ADDED', object: pod('a', '11') });
    lw.current.end();
    await settle();
    expect(lw.watches.map((w) => w.opts.resourceVersion)).toEqual(['10', '11']);
  });

  it('relists on a 410 ERROR event: adds, updates, tombstones, unchanged objects silent', async () => {
    const { lw, inf, log } = setup();
    lw.lists.push(podList('10', pod('keep', '1'), pod('change', '2'), pod('gone', '3')));
    lw.lists.push(podList('50', pod('keep', '1'), pod('change', '40'), pod('new', '45')));
    inf.start();
    await settle();
    log.length = 0;
    lw.current.push({ type: 'ERROR', object: expired as unknown as KubeObject });
    await settle();
    expect(lw.listCalls).toBe(2);
    expect(log).toEqual(['add default/new@45', 'update default/change@2->40', 'delete default/gone@3 tombstone']);
    expect(inf.lister.keys().sort()).toEqual(['default/change', 'default/keep', 'default/new']);
    expect(lw.watches.map((w) => w.opts.resourceVersion)).toEqual(['10', '50']);
  });

  it('relists when opening the watch answers 410', async () => {
    const { lw, inf, errors } = setup();
    lw.lists.push(podList('10'), podList('60', pod('a', '55')));
    lw.watchOpenErrors.push(new StatusError(410, 'Expired', 'too old resource version'));
    inf.start();
    await settle();
    expect((errors[0] as StatusError).code).toBe(410);
    expect(lw.listCalls).toBe(2);
    expect(lw.current).toBeDefined();
    expect(lw.watches.map((w) => w.opts.resourceVersion)).toEqual(['10', '60']);
  });

  it('retries a failing list with capped exponential back-off', async () => {
    const lw = new FakeListerWatcher();
    const clock = new FakeClock();
    const inf = new Informer(lw, { clock, backoff: { initialMs: 100, maxMs: 400 } });
    running.push(inf);
    lw.lists.push(...Array.from({ length: 5 }, () => new StatusError(503, 'ServiceUnavailable', 'down')), podList('1'));
    inf.start();
    const callsAfter: number[] = [];
    for (const ms of [100, 200, 400, 400, 400]) {
      await settle();
      clock.step(ms - 1);
      await settle();
      callsAfter.push(lw.listCalls);
      clock.step(1);
    }
    await settle();
    expect(callsAfter).toEqual([1, 2, 3, 4, 5]); // each retry waits exactly 100, 200, 400, 400, 400 ms
    expect(lw.listCalls).toBe(6);
    expect(inf.hasSynced()).toBe(true);
  });

  it('replays cached objects to a handler added after sync; a throwing handler does not stop others', async () => {
    const { lw, inf, errors } = setup();
    lw.lists.push(podList('10', pod('a', '1')));
    inf.start();
    await inf.waitForSync();
    await settle();
    const late: string[] = [];
    inf.onAdd(() => {
      throw new Error('handler bug');
    });
    inf.onAdd((o) => late.push(objectKey(o)));
    lw.current.push({ type: 'ADDED', object: pod('b', '11') });
    await settle();
    expect(late).toEqual(['default/a', 'default/b']);
    expect(errors.map(String)).toEqual(['Error: handler bug', 'Error: handler bug']);
  });

  it('stop ends the loop and waitForSync reports false if never synced', async () => {
    const { lw, inf } = setup();
    lw.lists.push(new Error('refused'));
    inf.start();
    const synced = inf.waitForSync();
    await settle();
    await inf.stop();
    expect(await synced).toBe(false);
    expect(inf.hasSynced()).toBe(false);
  });
});

describe('InformerFactory', () => {
  it('shares one informer per resource and waits for all to sync', async () => {
    const lws = new Map<string, FakeListerWatcher>();
    const factory = new InformerFactory((res) => {
      const lw = new FakeListerWatcher();
      lw.lists.push(podList('1', pod(`${res.plural}-x`, '1')));
      lws.set(res.plural, lw);
      return lw;
    }, { clock: new FakeClock() });
    const pods = factory.informerFor(mustResource('pods'));
    expect(factory.informerFor(mustResource('pods'), { node: fieldIndexer('spec.nodeName') })).toBe(pods);
    factory.informerFor(mustResource('nodes'));
    expect([...lws.keys()]).toEqual(['pods', 'nodes']);
    factory.start();
    expect(await factory.waitForSync()).toBe(true);
    expect(pods.store.hasIndexer('node')).toBe(true);
    await factory.stop();
  });
});
