// A stand-in for the node agent in integration tests and benchmarks: it watches pods and, after
// a short delay, marks each one Running and Ready with a pod IP, as a kubelet would once its
// containers started. Optionally it first binds unbound pods to a node name (so deletions become
// graceful, as on a real node) and then finishes those graceful deletions itself. A hook keeps
// chosen pods (e.g. a broken template) from ever becoming ready.
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Pod } from '../../api/types/pod.js';
import { realClock, type Clock } from '../../client/clock.js';
import { Informer } from '../../client/informer.js';
import { restListerWatcher } from '../../client/lister-watcher.js';
import type { RestClient } from '../../client/rest.js';

/** StubAgentOptions configures startStubAgent; only client is required. */
export interface StubAgentOptions {
  client: RestClient;
  /** Watch only this namespace (default: all). */
  namespace?: string;
  /** Delay between seeing a pod and marking it ready (default 20 ms). */
  readyDelayMs?: number;
  /** When set, unbound pods are bound to this node first and graceful deletions are finished here. */
  nodeName?: string;
  /** Pods for which this returns true are marked Running but never Ready. */
  neverReady?: (pod: Pod) => boolean;
  /** Parallel API writes (default 32). */
  concurrency?: number;
  clock?: Clock;
}

/** StubAgent is a running stub; stop() ends its watch. */
export interface StubAgent {
  stop(): Promise<void>;
  /** How many pods it has marked Ready so far. */
  readyCount(): number;
}

type PodObj = Pod & KubeObject;
const pods = mustResource('pods');

/** startStubAgent starts watching pods and resolves once its informer has synced. */
export async function startStubAgent(opts: StubAgentOptions): Promise<StubAgent> {
  const inf = new Informer<PodObj>(restListerWatcher<PodObj>(opts.client, pods, { namespace: opts.namespace }));
  const agent = new Agent(opts);
  inf.addEventHandler({ onAdd: (p) => agent.consider(p), onUpdate: (_o, p) => agent.consider(p) });
  inf.start();
  await inf.waitForSync();
  return {
    stop: async () => {
      agent.stopped = true;
      await inf.stop();
    },
    readyCount: () => agent.ready,
  };
}

class Agent {
  stopped = false;
  ready = 0;
  private inFlight = new Set<string>();
  private queue: (() => Promise<void>)[] = [];
  private active = 0;
  private nextIp = 0;
  private readonly clock: Clock;

  constructor(private readonly opts: StubAgentOptions) {
    this.clock = opts.clock ?? realClock;
  }

  /** consider decides what, if anything, this pod needs next and schedules it once. */
  consider(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
    const step = this.nextStep(pod);
    if (!step || this.inFlight.has(key) || this.stopped) return;
    this.inFlight.add(key);
    const delayMs = step === 'ready' ? (this.opts.readyDelayMs ?? 20) : 0;
    this.clock.setTimeout(() => this.enqueue(key, () => this.run(step, pod)), delayMs);
  }

  private nextStep(pod: Pod): 'bind' | 'finish' | 'ready' | undefined {
    if (pod.metadata.deletionTimestamp) return this.opts.nodeName ? 'finish' : undefined;
    if (this.opts.nodeName && !pod.spec.nodeName) return 'bind';
    if (pod.status?.phase === 'Running') return undefined;
    return 'ready';
  }

  private enqueue(key: string, fn: () => Promise<void>, attempt = 0): void {
    this.queue.push(async () => {
      try {
        if (!this.stopped) await fn();
        this.inFlight.delete(key);
      } catch (err) {
        if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return void this.inFlight.delete(key);
        // A real agent retries too: on a loaded machine a connect may time out.
        if (attempt < 5) return void this.clock.setTimeout(() => this.enqueue(key, fn, attempt + 1), 100 * 2 ** attempt);
        this.inFlight.delete(key);
        console.error('stub agent:', err);
      }
    });
    this.pump();
  }

  private pump(): void {
    while (this.active < (this.opts.concurrency ?? 32) && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      void job().finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async run(step: 'bind' | 'finish' | 'ready', pod: Pod): Promise<void> {
    const { namespace, name } = pod.metadata;
    if (step === 'finish') {
      await this.opts.client.delete(pods, namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } else if (step === 'bind') {
      await this.bind(pod);
    } else {
      await this.opts.client.patch(pods, namespace, name!, 'merge', { status: this.runningStatus(pod) }, { subresource: 'status' });
      if (!this.opts.neverReady?.(pod)) this.ready++;
    }
  }

  private async bind(pod: Pod): Promise<void> {
    const { namespace, name } = pod.metadata;
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: this.opts.nodeName } };
    await this.opts.client.request('POST', `/api/v1/namespaces/${namespace}/pods/${name}/binding`, body);
  }

  private runningStatus(pod: Pod): Record<string, unknown> {
    const ready = !this.opts.neverReady?.(pod);
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const n = this.nextIp++;
    const ip = `10.250.${(n >> 8) & 255}.${n & 255}`;
    const cond = (type: string, status: boolean) => ({ type, status: status ? 'True' : 'False', lastTransitionTime: now });
    return {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      hostIP: '127.0.0.1',
      startTime: now,
      conditions: [cond('Initialized', true), cond('ContainersReady', ready), cond('Ready', ready), cond('PodScheduled', true)],
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name, image: c.image, imageID: '', ready, restartCount: 0, started: true, state: { running: { startedAt: now } },
      })),
    };
  }
}
