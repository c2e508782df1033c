// ServiceProxy against scripted informers and a recording Exec: rules are restored once the
// informers synced, not again when nothing changed, once per hold period for a burst of
// changes, and removed on stop. No iptables, no root.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeList, KubeObject } from '../../../api/meta.js';
import { FakeClock } from '../../../client/clock.js';
import { InformerFactory } from '../../../client/informer-factory.js';
import type { Exec } from '../../../kubelet/proxy/iptables.js';
import { ServiceProxy } from '../../../kubelet/proxy/proxier.js';
import { FakeListerWatcher } from '../client/fake-lister-watcher.js';

const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', resourceVersion: '1' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 80 }] } };
const endpoints = (rv: string, ips: string[], note = ''): KubeObject => ({
  apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default', resourceVersion: rv, annotations: { note } },
  subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ port: 8080 }] }],
});
const list = (rv: string, ...items: KubeObject[]): KubeList => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: rv }, items });

/** A host whose iptables-save shows our jump and chain once anything was restored. */
function recordingHost() {
  const restores: string[] = [];
  let programmed = false;
  const exec: Exec = async (cmd, _args, stdin) => {
    if (cmd === 'iptables-restore') {
      restores.push(stdin ?? '');
      programmed = !(stdin ?? '').includes('-X SKIFF-SERVICES');
    }
    const saved = programmed ? '*nat\n:SKIFF-SERVICES - [0:0]\n-A PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES\nCOMMIT\n' : '';
    return { code: 0, stdout: cmd === 'iptables-save' ? saved : '', stderr: '' };
  };
  return { exec, restores };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

function setup() {
  const lws: Record<string, FakeListerWatcher> = { services: new FakeListerWatcher(), endpoints: new FakeListerWatcher() };
  lws.services!.lists.push(list('1', service));
  lws.endpoints!.lists.push(list('2', endpoints('2', ['10.244.1.2'])));
  const factory = new InformerFactory((res) => lws[res.plural]!);
  const clock = new FakeClock();
  const host = recordingHost();
  const proxy = new ServiceProxy({ factory, exec: host.exec, clock, sysctls: false, minSyncPeriodMs: 1000 });
  factory.start();
  proxy.start();
  stop = async () => {
    await factory.stop();
    clock.step(1000);
    await proxy.stop();
  };
  return { lws, clock, host, proxy, factory };
}

const dnat = (text: string) => [...text.matchAll(/--to-destination (\S+)/g)].map((m) => m[1]);

describe('ServiceProxy', () => {
  it('restores once the informers synced, with the ready endpoints', async () => {
    const { host } = setup();
    await vi.waitFor(() => expect(host.restores).toHaveLength(1));
    expect(dnat(host.restores[0]!)).toEqual(['10.244.1.2:8080']);
    expect(host.restores[0]).toContain('-I PREROUTING 1 -m comment --comment "skiff service portals" -j SKIFF-SERVICES');
  });

  it('skips the restore when a change leaves the rules as they are', async () => {
    const { host, lws, clock, proxy } = setup();
    await vi.waitFor(() => expect(host.restores).toHaveLength(1));
    lws.endpoints!.current.push({ type: 'MODIFIED', object: endpoints('3', ['10.244.1.2'], 'only an annotation') });
    await vi.waitFor(() => expect(proxy['endpoints'].store.get('default/web')?.metadata.resourceVersion).toBe('3'));
    clock.step(1000);
    await vi.waitFor(() => expect(proxy.stats.unchanged).toBe(1));
    expect(host.restores).toHaveLength(1);
  });

  it('coalesces a burst of changes during the hold into one restore of the final state', async () => {
    const { host, lws, clock, proxy } = setup();
    await vi.waitFor(() => expect(host.restores).toHaveLength(1));
    const ips = ['10.244.1.2'];
    for (let i = 3; i <= 7; i++) {
      ips.push(`10.244.1.${i}`);
      lws.endpoints!.current.push({ type: 'MODIFIED', object: endpoints(String(i), [...ips]) });
    }
    await vi.waitFor(() => expect(proxy['endpoints'].store.get('default/web')?.metadata.resourceVersion).toBe('7'));
    expect(host.restores).toHaveLength(1); // still holding the key
    clock.step(1000);
    await vi.waitFor(() => expect(host.restores).toHaveLength(2));
    expect(dnat(host.restores[1]!)).toEqual(ips.map((ip) => `${ip}:8080`));
    expect(host.restores[1]).not.toContain('-I PREROUTING'); // the jump is already there
    clock.step(1000);
    expect(proxy.stats.syncs).toBe(2);
  });

  it('removes its jumps and chains on stop', async () => {
    const { host } = setup();
    await vi.waitFor(() => expect(host.restores).toHaveLength(1));
    await stop!();
    stop = undefined;
    expect(host.restores.at(-1)).toContain('-D PREROUTING -m comment --comment "skiff service portals" -j SKIFF-SERVICES');
    expect(host.restores.at(-1)).toContain('-X SKIFF-SERVICES');
  });
});
