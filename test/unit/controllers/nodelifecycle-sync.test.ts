// Sync fixture for the node lifecycle controller on a FakeClock: informer stores preloaded from
// in-memory lists, sync(name) run at chosen times, the recorded API calls compared.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../../../api/meta.js';
import { mustResource, type ResourceInfo } from '../../../api/registry.js';
import { FakeClock } from '../../../client/clock.js';
import { InformerFactory } from '../../../client/informer-factory.js';
import { DEFAULT_CONTROLLER_CONFIG } from '../../../controllers/controller.js';
import { NodeLifecycleController, type NodeLifecycleApi } from '../../../controllers/nodelifecycle/index.js';
import type { RestClient } from '../../../client/rest.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function factoryWith(byPlural: Record<string, KubeObject[]>, clock: FakeClock): InformerFactory {
  return new InformerFactory(
    (res: ResourceInfo) => ({
      list: async () => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '1' }, items: byPlural[res.plural] ?? [] }),
      watch: (opts) => ({
        [Symbol.asyncIterator]: (): AsyncIterator<WatchEvent> => ({
          next: () => new Promise((r) => opts.signal.addEventListener('abort', () => r({ done: true, value: undefined }), { once: true })),
        }),
      }),
    }),
    { clock },
  );
}

const node = (name: string): KubeObject => ({
  metadata: { name, resourceVersion: '5' },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: iso(T0) }] },
});
const lease = (name: string, at = T0): KubeObject => ({ metadata: { name, namespace: 'kube-node-lease', resourceVersion: String(at) }, spec: { renewTime: iso(at) } });
// Pods as the API server admits them: both default tolerations for 300 s, plus an own one if given.
const tolerate = (key: string, tolerationSeconds: number) => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect: 'NoExecute', tolerationSeconds });
const pod = (name: string, tolerationSeconds?: number): KubeObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: '3' },
  spec: {
    nodeName: 'n1', containers: [],
    tolerations: [...(tolerationSeconds === undefined ? [] : [tolerate('unreachable', tolerationSeconds)]), tolerate('not-ready', 300), tolerate('unreachable', 300)],
  },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

let factory: InformerFactory | undefined;
afterEach(async () => factory?.stop());

interface Fixture {
  ctrl: NodeLifecycleController;
  calls: string[];
  /** `Reason kind/name: message` of every event recorded. */
  events: string[];
  /** renew stands in for a healthy node's agent: a fresh lease in the store, then a sync. */
  renew(name: string): Promise<void>;
}

async function setup(clock: FakeClock, nodeNames = ['n1', 'n2']): Promise<Fixture> {
  factory = factoryWith({ nodes: nodeNames.map(node), leases: nodeNames.map((n) => lease(n)), pods: [pod('p-default'), pod('p-long', 60)] }, clock);
  const calls: string[] = [];
  const events: string[] = [];
  // Writes to the node land in the store, as the watch would deliver them.
  const nodes = factory.informerFor(mustResource('nodes')).store;
  const pods = factory.informerFor(mustResource('pods')).store;
  const write = (n: KubeObject, patch: Partial<KubeObject>) => {
    const next = { ...n, ...patch, metadata: { ...n.metadata, resourceVersion: String(Number(n.metadata.resourceVersion) + 1) } };
    nodes.upsert(next);
    return next;
  };
  const api: NodeLifecycleApi = {
    event: (obj, type, reason, message) => void events.push(`${type} ${reason} ${obj.kind}/${obj.name}: ${message}`),
    setConditions: async (n, cs) => (calls.push(`conditions ${cs.map((c) => `${c.type}=${c.status}`).join(',')}`), write(n, { status: { conditions: cs } })),
    setTaints: async (n, ts) => void (calls.push(`taints ${ts.map((t) => `${t.key}:${t.effect}`).join(',')}`), write(n, { spec: { taints: ts } })),
    markPodNotReady: async (p) => {
      calls.push(`notready ${p.metadata.name}`);
      pods.upsert({ ...p, status: { conditions: [{ type: 'Ready', status: 'False' }] } });
    },
    evict: async (p) => {
      calls.push(`evict ${p.metadata.name}`);
      pods.upsert({ ...p, metadata: { ...p.metadata, deletionTimestamp: iso(clock.now()) } });
    },
  };
  const config = { ...DEFAULT_CONTROLLER_CONFIG, nodeMonitorGracePeriodMs: 40_000 };
  const ctrl = new NodeLifecycleController({ client: {} as RestClient, informers: factory, clock, config }, api);
  factory.start();
  await factory.waitForSync();
  const leases = factory.informerFor(mustResource('leases')).store;
  const renew = async (name: string) => {
    leases.upsert(lease(name, clock.now()));
    await ctrl.sync(name);
  };
  return { ctrl, calls, events, renew };
}

describe('NodeLifecycleController.sync', () => {
  it('healthy at first sight: no writes, a recheck when the grace period would run out', async () => {
    const clock = new FakeClock(T0);
    const { ctrl, calls } = await setup(clock);
    await ctrl.sync('n1');
    expect(calls).toEqual([]);
    expect(clock.pending()).toBe(1);
  });

  it('silent past the grace period: Unknown, tainted, pods not ready; evictions as tolerations run out', async () => {
    const clock = new FakeClock(T0);
    const { ctrl, calls, events, renew } = await setup(clock);
    await ctrl.sync('n1');
    await renew('n2');
    clock.step(40_001);
    await renew('n2');
    await ctrl.sync('n1');
    expect(calls).toEqual([
      'conditions Ready=Unknown',
      'taints node.kubernetes.io/unreachable:NoSchedule,node.kubernetes.io/unreachable:NoExecute',
      'notready p-default',
      'notready p-long',
    ]);
    expect(events).toEqual([
      'Normal RegisteredNode Node/n1: Node n1 event: Registered Node n1 in Controller',
      'Normal RegisteredNode Node/n2: Node n2 event: Registered Node n2 in Controller',
      'Normal NodeNotReady Node/n1: Node n1 status is now: NodeNotReady',
      'Warning NodeNotReady Pod/p-default: Node is not ready',
      'Warning NodeNotReady Pod/p-long: Node is not ready',
    ]);
    calls.length = 0;
    events.length = 0;
    // p-long tolerates the taint for 60 s, p-default for the admitted default 300 s.
    clock.step(59_000);
    await renew('n2');
    await ctrl.sync('n1');
    expect(calls).toEqual([]);
    clock.step(1000);
    await renew('n2');
    await ctrl.sync('n1');
    expect(calls).toEqual(['evict p-long']);
    clock.step(240_000);
    await renew('n2');
    await ctrl.sync('n1');
    expect(calls).toEqual(['evict p-long', 'evict p-default']);
    expect(events).toEqual(['Normal TaintManagerEviction Pod/p-long: Marking for deletion Pod ns/p-long', 'Normal TaintManagerEviction Pod/p-default: Marking for deletion Pod ns/p-default']);
  });

  it('a node back before the tolerations ran out: taints gone, the scheduled evictions cancelled', async () => {
    const clock = new FakeClock(T0);
    const { ctrl, calls, events, renew } = await setup(clock);
    await ctrl.sync('n1');
    clock.step(40_001);
    await renew('n2');
    await ctrl.sync('n1');
    events.length = 0;
    clock.step(10_000);
    await renew('n1');
    expect(calls.at(-1)).toBe('taints ');
    expect(calls.filter((c) => c.startsWith('evict'))).toEqual([]);
    expect(events).toEqual([
      'Normal TaintManagerEviction Pod/p-default: Cancelling deletion of Pod ns/p-default',
      'Normal TaintManagerEviction Pod/p-long: Cancelling deletion of Pod ns/p-long',
    ]);
  });

  it('the only node silent (full disruption): tainted, but no pod is evicted', async () => {
    const clock = new FakeClock(T0);
    const { ctrl, calls } = await setup(clock, ['n1']);
    await ctrl.sync('n1');
    clock.step(40_001);
    await ctrl.sync('n1');
    clock.step(600_000);
    await ctrl.sync('n1');
    expect(calls.filter((c) => c.startsWith('evict'))).toEqual([]);
    expect(calls[1]).toMatch(/^taints node.kubernetes.io\/unreachable/);
  });

  it('forgets a deleted node', async () => {
    const clock = new FakeClock(T0);
    const { ctrl, calls } = await setup(clock);
    await ctrl.sync('gone');
    expect(calls).toEqual([]);
    expect(ctrl.health.has('gone')).toBe(false);
  });
});
