// Keeps one ProbeWorker per (pod, container, probe type) alive on the agent's clock and holds
// their latest results by container id (upstream prober_manager.go + results_manager.go).
// A result change calls onChange(podKey) so the pod worker re-syncs.

import type { Clock, TimerHandle } from '../client/clock.js';
import type { Container, Pod } from '../api/types/pod.js';
import { objectKey } from '../api/meta.js';
import type { Prober, ProbeResult } from './prober.js';
import { ProbeWorker, type ContainerView, type ProbeType } from './probe-worker.js';

/** ProbeManagerDeps connect the manager to the agent. */
export interface ProbeManagerDeps {
  clock: Clock;
  prober: Prober;
  /** The latest state of a pod's container, or 'gone'. */
  view(uid: string, container: string): ContainerView | undefined | 'gone';
  podIP(uid: string): string;
  onChange(podKey: string): void;
  onProbeFailure(pod: Pod, container: Container, type: ProbeType, output: string): void;
}

interface Running {
  worker: ProbeWorker;
  timer?: TimerHandle;
  stopped: boolean;
}

const TYPES: ProbeType[] = ['liveness', 'readiness', 'startup'];

/** ProbeManager runs the probe workers and stores their results. */
export class ProbeManager {
  private workers = new Map<string, Running>();
  private results: Record<ProbeType, Map<string, ProbeResult>> = { liveness: new Map(), readiness: new Map(), startup: new Map() };

  constructor(private readonly deps: ProbeManagerDeps) {}

  /** addPod starts workers for every probe of the pod's app containers (idempotent). */
  addPod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    for (const c of pod.spec.containers) {
      for (const type of TYPES) {
        const probe = c[`${type}Probe`];
        const key = `${uid}/${c.name}/${type}`;
        if (!probe || this.workers.has(key)) continue;
        const worker = new ProbeWorker(type, probe, {
          now: () => this.deps.clock.now(),
          view: () => this.deps.view(uid, c.name),
          run: () => this.deps.prober.run(probe, { container: c, containerId: this.containerIdOf(uid, c.name), podIP: this.deps.podIP(uid) }),
          setResult: (id, r) => this.set(type, id, r, objectKey(pod)),
          removeResult: (id) => this.results[type].delete(id),
          onProbeFailure: (out) => this.deps.onProbeFailure(pod, c, type, out),
        });
        const running: Running = { worker, stopped: false };
        this.workers.set(key, running);
        this.schedule(key, running, 0);
      }
    }
  }

  /** removePod stops the pod's workers. */
  removePod(uid: string): void {
    for (const [key, r] of this.workers) {
      if (!key.startsWith(`${uid}/`)) continue;
      r.stopped = true;
      if (r.timer) this.deps.clock.clearTimeout(r.timer);
      this.workers.delete(key);
    }
  }

  /** stop stops every worker. */
  stop(): void {
    for (const key of [...this.workers.keys()]) this.removePod(key.split('/')[0]);
  }

  /** result of a probe type for a container id (undefined before the worker has seen it). */
  result(type: ProbeType, containerId: string): ProbeResult | undefined {
    return this.results[type].get(containerId);
  }

  private containerIdOf(uid: string, name: string): string {
    const v = this.deps.view(uid, name);
    return v && v !== 'gone' ? v.containerId : '';
  }

  private set(type: ProbeType, id: string, r: ProbeResult, podKey: string): void {
    if (this.results[type].get(id) === r) return;
    this.results[type].set(id, r);
    this.deps.onChange(podKey);
  }

  private schedule(key: string, r: Running, ms: number): void {
    r.timer = this.deps.clock.setTimeout(() => {
      void r.worker.step().then(
        (keep) => this.afterStep(key, r, keep),
        () => this.afterStep(key, r, true),
      );
    }, ms);
  }

  private afterStep(key: string, r: Running, keep: boolean): void {
    if (r.stopped) return;
    if (!keep) {
      this.workers.delete(key);
      return;
    }
    this.schedule(key, r, r.worker.periodMs());
  }
}
